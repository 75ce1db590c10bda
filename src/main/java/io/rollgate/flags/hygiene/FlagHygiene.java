package io.rollgate.flags.hygiene;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.rollgate.audit.AuditEntry;
import io.rollgate.audit.AuditedChanges;
import io.rollgate.audit.AuditedChanges.Outcome;
import io.rollgate.audit.Reasons;
import io.rollgate.catalog.CatalogService;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.NotFoundException;
import io.rollgate.evaluation.FlagUsage;
import io.rollgate.flags.FlagsConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Which flags are done: every replica records the flags it evaluated (drained from memory every
 * {@code rollgate.flags.usage-interval}), and the facts of every flag are read again at the same pace to
 * say which ones are potentially stale and why. Marking a flag permanent opts it out.
 */
@ApplicationScoped
public class FlagHygiene {

    private static final Logger LOG = Logger.getLogger(FlagHygiene.class);

    /** What hygiene says of one flag; {@code staleReason} null when it is not stale. */
    public record State(boolean permanent, Instant lastEvaluatedAt, String staleReason) {
        static final State UNKNOWN = new State(false, null, null);
    }

    private final FlagUsage usage;
    private final FlagHygieneRepository repository;
    private final CatalogService catalogs;
    private final AuditedChanges changes;
    private final Staleness staleness;
    private final Clock clock;
    private volatile Map<String, State> states = Map.of();

    public FlagHygiene(FlagUsage usage, FlagHygieneRepository repository, CatalogService catalogs,
            AuditedChanges changes, FlagsConfig config, Clock clock, MeterRegistry registry) {
        this.usage = usage;
        this.repository = repository;
        this.catalogs = catalogs;
        this.changes = changes;
        this.staleness = new Staleness(config.staleAfter(), config.unusedAfter());
        this.clock = clock;
        Gauge.builder("rollgate_flags_stale", this,
                hygiene -> hygiene.states.values().stream().filter(state -> state.staleReason() != null).count())
                .description("Flags that are potentially stale: one value for everyone, or unused, for a while")
                .register(registry);
    }

    public State state(String key) {
        return states.getOrDefault(key, State.UNKNOWN);
    }

    /** Records this replica's usage, then works staleness out again. */
    @Scheduled(every = "${rollgate.flags.usage-interval:1m}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        if (!catalogs.isLoaded()) {
            return Uni.createFrom().voidItem();
        }
        Set<String> seen = usage.drain();
        Uni<Void> recorded = seen.isEmpty()
                ? Uni.createFrom().voidItem()
                : repository.evaluated(seen.toArray(String[]::new));
        return recorded.chain(this::recompute)
                .onFailure().invoke(e -> LOG.debug("Flag hygiene refresh failed; retried at the next interval", e))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> recompute() {
        return repository.facts().invoke(facts -> {
            Instant now = clock.instant();
            Map<String, State> next = new HashMap<>();
            facts.forEach((key, fact) -> next.put(key, new State(fact.permanent(), fact.lastEvaluated(),
                    staleness.reason(fact, now).orElse(null))));
            states = Map.copyOf(next);
        }).replaceWithVoid();
    }

    /** Marks a flag permanent (or not), audited; staleness follows at once on this replica. */
    public Uni<State> setPermanent(String name, PermanentRequest request, String actor) {
        String why = Reasons.require(request == null ? null : request.reason());
        if (request.permanent() == null) {
            throw new InvalidInputException("permanent", "is required: true or false");
        }
        boolean permanent = request.permanent();
        FlagDefinition flag = catalogs.require().find(name)
                .orElseThrow(() -> new NotFoundException("No flag named " + name));
        return changes.write(() -> repository.setPermanent(flag.key(), permanent)
                .map(changed -> changed
                        ? Outcome.of(flag.key(), AuditEntry.flag(flag.key(), "flag.permanent", null, null,
                                Map.of("permanent", permanent), actor, why))
                        : Outcome.unchanged(flag.key())))
                .call(ignored -> recompute())
                .map(ignored -> state(flag.key()));
    }
}
