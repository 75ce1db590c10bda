package io.rollgate.security;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Evaluation endpoints are public unless rollgate.security.evaluation-requires-token is on; then they
 * need a token with the evaluation or admin role. A configuration switch, so it is checked against the
 * request's identity here rather than fixed in an annotation.
 */
@ApplicationScoped
public class EvaluationAccess {

    private final SecurityConfig config;
    private final CurrentIdentityAssociation identities;

    public EvaluationAccess(SecurityConfig config, CurrentIdentityAssociation identities) {
        this.config = config;
        this.identities = identities;
    }

    public <T> Uni<T> guard(java.util.function.Supplier<Uni<T>> evaluation) {
        if (!config.evaluationRequiresToken()) {
            return evaluation.get();
        }
        return identities.getDeferredIdentity().chain(identity -> {
            if (identity.isAnonymous()) {
                return Uni.createFrom().failure(new UnauthorizedException());
            }
            if (!identity.hasRole(Roles.EVALUATION) && !identity.hasRole(Roles.ADMIN)) {
                return Uni.createFrom().failure(new ForbiddenException());
            }
            return evaluation.get();
        });
    }
}
