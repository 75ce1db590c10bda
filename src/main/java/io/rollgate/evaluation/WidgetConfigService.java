package io.rollgate.evaluation;

import io.rollgate.catalog.FlagsConfig;
import io.rollgate.engine.EvaluationContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.function.Function;

/** Resolves every flag for a customer and organization in the configured environment. */
@ApplicationScoped
public class WidgetConfigService {

    private final EvaluationService evaluations;
    private final FlagsConfig config;
    private final Clock clock;

    public WidgetConfigService(EvaluationService evaluations, FlagsConfig config, Clock clock) {
        this.evaluations = evaluations;
        this.config = config;
        this.clock = clock;
    }

    public Uni<Resolved> resolve(String customerId, String organizationId) {
        return resolve(customerId, organizationId, Function.identity());
    }

    /** Resolves and shapes the answer in one step (on a warm cache, without any reactive operator). */
    public <T> Uni<T> resolve(String customerId, String organizationId, Function<Resolved, T> view) {
        EvaluationContext context = EvaluationContext.of(customerId, organizationId, config.environment());
        return evaluations.evaluateAll(context, outcome -> view.apply(new Resolved(outcome.result(), customerId,
                organizationId, config.environment(), clock.instant(), outcome.stale())));
    }
}
