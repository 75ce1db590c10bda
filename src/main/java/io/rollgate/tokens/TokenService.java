package io.rollgate.tokens;

import io.rollgate.audit.AuditEntry;
import io.rollgate.audit.AuditedChanges;
import io.rollgate.audit.AuditedChanges.Outcome;
import io.rollgate.audit.Reasons;
import io.rollgate.database.Database;
import io.rollgate.engine.Ids;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.NotFoundException;
import io.rollgate.errors.Violation;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** Creates, lists and revokes managed tokens; audited; the secret exists only in the creation answer. */
@ApplicationScoped
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9 ._:-]{1,64}");
    private static final Set<String> ROLES = Set.of(Roles.ADMIN, Roles.OPERATOR, Roles.ORGANIZATION_OPERATOR,
            Roles.VIEWER, Roles.INGEST, Roles.EVALUATION);

    private final TokenRepository repository;
    private final TokenUse use;
    private final TokenIdentityProvider identities;
    private final TokenStore store;
    private final Database database;
    private final Clock clock;
    private final AuditedChanges changes;
    /** Seeded when the bean is made, at run time (in a native executable too). */
    private final SecureRandom random = new SecureRandom();

    public TokenService(TokenRepository repository, TokenStore store, Database database, Clock clock,
            AuditedChanges changes, TokenUse use, TokenIdentityProvider identities) {
        this.use = use;
        this.identities = identities;
        this.changes = changes;
        this.repository = repository;
        this.store = store;
        this.database = database;
        this.clock = clock;
    }

    public Uni<TokenViews.TokenView> create(TokenViews.CreateRequest request, String actor) {
        if (request == null) {
            throw new InvalidInputException("body", "is required");
        }
        List<Violation> violations = new ArrayList<>();
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            violations.add(new Violation("name", "must be 1-64 of letters, digits, space and . _ : -"));
        }
        if (request.role() == null || !ROLES.contains(request.role())) {
            violations.add(
                    new Violation("role", "must be one of " + String.join(", ", ROLES.stream().sorted().toList())));
        }
        boolean scoped = Roles.ORGANIZATION_OPERATOR.equals(request.role());
        if (scoped && !Ids.isValid(request.organizationId())) {
            violations.add(new Violation("organizationId", "is required for an organization-operator token"));
        } else if (!scoped && request.organizationId() != null) {
            violations.add(new Violation("organizationId", "is only for organization-operator tokens"));
        }
        Instant now = clock.instant();
        Instant expiresAt = request.expiresAt() == null ? null : request.expiresAt().toInstant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            violations.add(new Violation("expiresAt", "must be in the future"));
        }
        Reasons.check(request.reason()).ifPresent(violations::add);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        String secret = TokenSecrets.newSecret(random);
        byte[] salt = TokenSecrets.newSalt(random);
        ManagedToken token = new ManagedToken(UUID.randomUUID(), request.name(), request.role(),
                scoped ? request.organizationId() : null, salt, TokenSecrets.hash(salt, secret), actor, now, expiresAt,
                null);
        return changes.write(() -> repository.insert(token)
                .replaceWith(Outcome.of(token, entry(null, token, "token.create", actor, request.reason()))))
                .call(() -> store.reload().onFailure().recoverWithNull())
                .invoke(() -> LOG.infof("Token created: %s (%s, %s) by %s", token.name(), token.role(), token.id(),
                        actor))
                .map(ignored -> TokenViews.TokenView.of(token, TokenSecrets.format(token.id(), secret)));
    }

    /** The tokens set in configuration first (they cannot be revoked here), then the managed ones, newest first. */
    public Uni<List<TokenViews.TokenView>> list() {
        database.requireUp();
        return Uni.combine().all().unis(repository.loadAll(), use.lastUses()).asTuple()
                .plug(database::bounded)
                .map(both -> {
                    Map<String, Instant> uses = both.getItem2();
                    List<TokenViews.TokenView> views = new ArrayList<>();
                    identities.configured().forEach(c -> views.add(TokenViews.TokenView.configured(c.name(), c.role(),
                            uses.get(TokenUse.CONFIGURATION + c.name()))));
                    both.getItem1().stream().sorted(Comparator.comparing(ManagedToken::createdAt).reversed())
                            .forEach(token -> views.add(TokenViews.TokenView.of(token, null,
                                    uses.get(token.id().toString()))));
                    return views;
                });
    }

    public Uni<Void> revoke(UUID id, String reason, String actor) {
        Reasons.optional(reason);
        database.requireUp();
        return store.find(id)
                .onItem().ifNull().failWith(() -> new NotFoundException("No token " + id))
                .chain(token -> changes.write(() -> repository.revoke(id, actor, clock.instant())
                        .chain(revoked -> {
                            if (!revoked) {
                                return Uni.createFrom().failure(new NotFoundException("Token " + id
                                        + " is already revoked"));
                            }
                            return Uni.createFrom().item(Outcome.of(token, entry(token, revokedNow(token),
                                    "token.revoke", actor, reason)));
                        })))
                .call(() -> store.reload().onFailure().recoverWithNull())
                .invoke(() -> LOG.infof("Token revoked: %s by %s", id, actor))
                .replaceWithVoid();
    }

    /**
     * The token before and after the change, in the shape every audited change has: who and what, never the
     * secret or its hash.
     */
    private static AuditEntry entry(ManagedToken before, ManagedToken after, String action, String actor,
            String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (before != null) {
            details.put("before", state(before));
        }
        details.put("after", state(after));
        return AuditEntry.token(after.id().toString(), action, details, actor, reason);
    }

    private static Map<String, Object> state(ManagedToken token) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("name", token.name());
        state.put("role", token.role());
        if (token.organizationId() != null) {
            state.put("organizationId", token.organizationId());
        }
        if (token.expiresAt() != null) {
            state.put("expiresAt", token.expiresAt().toString());
        }
        state.put("revoked", token.revokedAt() != null);
        return state;
    }

    private ManagedToken revokedNow(ManagedToken token) {
        return new ManagedToken(token.id(), token.name(), token.role(), token.organizationId(), token.salt(),
                token.secretHash(), token.createdBy(), token.createdAt(), token.expiresAt(), clock.instant());
    }

}
