package io.rollgate.security;

/** The roles a token can carry. */
public final class Roles {

    /** Everything, including token management. */
    public static final String ADMIN = "admin";
    /** Flags, overrides, rollouts and canaries: every change but tokens. */
    public static final String OPERATOR = "operator";
    /** An operator limited to one organization's override document. */
    public static final String ORGANIZATION_OPERATOR = "organization-operator";
    /** Read-only admin API and audit. */
    public static final String VIEWER = "viewer";
    /** Reporters: rollout events and canary metrics only. */
    public static final String INGEST = "ingest";
    /** OFREP and flag evaluation, when rollgate.security.evaluation-requires-token is on. */
    public static final String EVALUATION = "evaluation";

    /** The identity attribute naming the organization an organization-operator token is bound to. */
    public static final String ORGANIZATION_ATTRIBUTE = "rollgate.organization";

    private Roles() {
    }
}
