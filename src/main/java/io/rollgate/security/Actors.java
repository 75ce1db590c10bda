package io.rollgate.security;

import jakarta.ws.rs.core.SecurityContext;

/** Who made a change, as the audit trail names them: the authenticated token's name. */
public final class Actors {

    private Actors() {
    }

    public static String of(SecurityContext security) {
        return security.getUserPrincipal().getName();
    }
}
