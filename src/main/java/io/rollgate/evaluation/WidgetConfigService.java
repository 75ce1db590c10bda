package io.rollgate.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.catalog.RollgateConfig;
import io.rollgate.engine.Evaluation;
import io.rollgate.engine.EvaluationContext;
import io.rollgate.http.EntityTags;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Resolves every flag for a customer and organization in the configured environment. The widget asks on every
 * page load, and its answer changes only when the catalog or one of its two override documents does: the
 * rendered bytes are kept per customer and organization, from the second time they are asked for, and sent again
 * while those inputs are the same instances, so the hot path neither evaluates nor serializes.
 * <p>
 * Caffeine loads a class generated for each builder configuration by name, and a native executable holds only the
 * classes registered for it: the rendered answers, bounded by weight, need the cache {@code SSMW} and its entries
 * {@code PSMW}.
 */
@Singleton
@RegisterForReflection(classNames = { "com.github.benmanes.caffeine.cache.SSMW",
        "com.github.benmanes.caffeine.cache.PSMW" })
public class WidgetConfigService {

    /**
     * One hit in this many is told to the kept answers' eviction policy. Each read it is told moves the answer in
     * the policy's access lists, which live in the old generation: every young collection then scanned the cards
     * those moves dirtied, and a page load's young pauses took 2.7 ms at the median instead of 1.1. Told one read
     * in sixteen, the policy still sees which answers are asked for often and which not for a while.
     */
    private static final int READS_SAMPLED = 16;

    private final EvaluationService evaluations;
    private final RollgateConfig config;
    private final Clock clock;
    private final ObjectMapper json;
    private final Cache<String, RenderedConfig> rendered;
    private final Policy<String, RenderedConfig> renderedPolicy;
    private final SeenOnce asked;
    private final KeptBound bound;

    public WidgetConfigService(EvaluationService evaluations, RollgateConfig config, Clock clock, ObjectMapper json,
            WidgetSettings settings, MeterRegistry registry) {
        this.evaluations = evaluations;
        this.config = config;
        this.clock = clock;
        this.json = json;
        this.rendered = Caffeine.newBuilder()
                .maximumWeight(settings.renderedCacheSize().asLongValue())
                // what a class histogram showed one held answer to cost beyond its bytes and key (the tag, the
                // counters to add to, the inputs, the cache's own node) while the tag and the counters were objects
                // of its own; an upper bound now that they are not
                .<String, RenderedConfig>weigher((key, value) -> key.length() + value.body().length + 330)
                .executor(Runnable::run) // eviction bookkeeping inline: no task per write on the common pool
                .build();
        this.renderedPolicy = rendered.policy();
        // an answer weighs about a kilobyte: an answer is kept when asked for again before four times as many other
        // keys as fit were first asked for
        this.asked = new SeenOnce((int) Math.min(1 << 24, settings.renderedCacheSize().asLongValue() / 1024 * 4));
        Policy.Eviction<String, RenderedConfig> eviction = renderedPolicy.eviction().orElseThrow();
        // full when another answer of the usual size would not fit without one going
        this.bound = new KeptBound(settings.renderedCacheSize().asLongValue(),
                () -> eviction.weightedSize().orElse(0) + 2048 > eviction.getMaximum(), eviction::setMaximum);
        Gauge.builder("rollgate_widget_rendered_answers", rendered, Cache::estimatedSize)
                .description(
                        "Widget configurations held rendered, ready to send again (rollgate.widget.rendered-cache-size)")
                .register(registry);
        Gauge.builder("rollgate_widget_rendered_bound_bytes", bound, KeptBound::current)
                .description("Memory the kept widget configurations may use now: rollgate.widget.rendered-cache-size, "
                        + "or down to a sixteenth of it while they serve few page loads")
                .baseUnit("bytes")
                .register(registry);
    }

    public Uni<Resolved> resolve(String customerId, String organizationId) {
        return resolve(customerId, organizationId, Function.identity());
    }

    /** Resolves and shapes the answer in one step (on a warm cache, without any reactive operator). */
    public <T> Uni<T> resolve(String customerId, String organizationId, Function<Resolved, T> view) {
        EvaluationContext context = EvaluationContext.of(customerId, organizationId, config.environment());
        return evaluations.evaluateAll(context, outcome -> view.apply(resolved(outcome, customerId, organizationId)));
    }

    /**
     * The configuration ready to send, shaped by {@code view}: from memory while its inputs are unchanged (at once,
     * with no reactive operator on the way), rendered anew otherwise.
     */
    public <T> Uni<T> rendered(String customerId, String organizationId, Function<RenderedConfig, T> view) {
        return rendered(customerId, organizationId, true, view);
    }

    /**
     * The configuration rendered again for open streams after a change, leaving the answer kept for the widget's
     * next request in place (from older inputs, it is rendered again when asked for). Answers kept by a fan-out
     * live long: a change to ten thousand streams put ten thousand of them into the old generation and left as many
     * dead ones there, and the full collection that followed stopped the fan-out for 300 to 460 ms.
     */
    public Uni<RenderedConfig> renderedForStreams(String customerId, String organizationId) {
        return rendered(customerId, organizationId, false, Function.identity());
    }

    private <T> Uni<T> rendered(String customerId, String organizationId, boolean keep,
            Function<RenderedConfig, T> view) {
        RenderedConfig now = inMemory(customerId, organizationId, keep);
        return now != null ? Uni.createFrom().item(view.apply(now)) : loaded(customerId, organizationId, keep, view);
    }

    /**
     * The configuration when everything it is made of is in memory: kept while its inputs are unchanged, rendered
     * from the inputs just found otherwise; null when a document must be read first ({@link #loaded}). The
     * widget's warm path.
     */
    public RenderedConfig inMemory(String customerId, String organizationId) {
        return inMemory(customerId, organizationId, true);
    }

    private RenderedConfig inMemory(String customerId, String organizationId, boolean keep) {
        EvaluationContext context = EvaluationContext.of(customerId, organizationId, config.environment());
        EvaluationService.Inputs inputs = evaluations.inputsInMemory(context);
        if (inputs == null) {
            return null;
        }
        String key = key(customerId, organizationId);
        RenderedConfig kept;
        if (ThreadLocalRandom.current().nextInt(READS_SAMPLED) == 0) {
            kept = rendered.getIfPresent(key);
            bound.looked(kept != null); // kept from older inputs or not, it shows what the kept answers are worth
        } else {
            kept = renderedPolicy.getIfPresentQuietly(key);
        }
        if (kept != null && kept.renderedFrom(inputs)) {
            evaluations.served(kept.tally());
            return kept;
        }
        // not kept, or kept from older inputs: rendered from the inputs just found, not looked up again
        return renderAndKeep(evaluations.evaluateAll(inputs, context), key, customerId, organizationId, keep);
    }

    /** The configuration after reading what is not in memory (or, with the database down, from what is). */
    public <T> Uni<T> loaded(String customerId, String organizationId, Function<RenderedConfig, T> view) {
        return loaded(customerId, organizationId, true, view);
    }

    private <T> Uni<T> loaded(String customerId, String organizationId, boolean keep,
            Function<RenderedConfig, T> view) {
        EvaluationContext context = EvaluationContext.of(customerId, organizationId, config.environment());
        return evaluations.evaluateAll(context, outcome -> view.apply(renderAndKeep(outcome,
                key(customerId, organizationId), customerId, organizationId, keep)));
    }

    /** The key a rendered answer is kept under. */
    private static String key(String customerId, String organizationId) {
        return customerId + '\n' + organizationId;
    }

    /** Renders the outcome, and keeps the answer for the widget's next request when {@code keep} allows it. */
    private RenderedConfig renderAndKeep(EvaluationService.Outcome<Evaluation> outcome, String key,
            String customerId, String organizationId, boolean keep) {
        RenderedConfig fresh = render(outcome, customerId, organizationId);
        if (keep && !outcome.stale() && asked.seenBefore(key)) {
            rendered.put(key, fresh);
        }
        return fresh;
    }

    /** Drops the answers kept for customers whose ids start with {@code prefix}: ids no widget will ask for again. */
    public void forgetCustomers(String prefix) {
        rendered.asMap().keySet().removeIf(key -> key.startsWith(prefix));
    }

    private Resolved resolved(EvaluationService.Outcome<Evaluation> outcome, String customerId,
            String organizationId) {
        return new Resolved(outcome.result(), customerId, organizationId, config.environment(), clock.instant(),
                outcome.stale());
    }

    private RenderedConfig render(EvaluationService.Outcome<Evaluation> outcome, String customerId,
            String organizationId) {
        Resolved resolved = resolved(outcome, customerId, organizationId);
        EvaluationInfo info = EvaluationInfo.of(resolved);
        try {
            // the tag covers the answer without its evaluation time, so an unchanged answer keeps its tag; the answer
            // is the same bytes with the time written into the evaluation object, which therefore comes last
            byte[] untimed = json.writeValueAsBytes(new AnswerBody(resolved.evaluation(), info.withoutTime()));
            byte[] digest = EntityTags.digestBytes(untimed);
            byte[] answer = AnswerTime.withEvaluatedAt(untimed, info.evaluatedAt());
            return new RenderedConfig(answer, digest, evaluations.tally(outcome.result()), outcome.inputs(),
                    outcome.stale());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A widget configuration could not be serialized", e);
        }
    }

}
