package io.rollgate.evaluation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollgate.engine.Evaluation;
import io.rollgate.engine.FlagResult;
import io.rollgate.engine.Source;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts evaluations by flag and source. Tagged by flag key (bounded by the catalog), never by customer
 * id; counters are looked up once per flag and source, so the hot path only increments.
 */
@ApplicationScoped
public class EvaluationMetrics {

    private static final Source[] SOURCES = Source.values();

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter[]> counters = new ConcurrentHashMap<>();

    public EvaluationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(Evaluation evaluation) {
        for (FlagResult result : evaluation.results()) {
            record(result);
        }
    }

    public void record(FlagResult result) {
        Counter[] bySource = counters.get(result.flag().key());
        if (bySource == null) {
            bySource = counters.computeIfAbsent(result.flag().key(), this::register);
        }
        bySource[result.source().ordinal()].increment();
    }

    private Counter[] register(String flag) {
        Counter[] bySource = new Counter[SOURCES.length];
        for (Source source : SOURCES) {
            bySource[source.ordinal()] = Counter.builder("rollgate_flag_evaluations")
                    .description("Flag evaluations by flag and the source that decided them")
                    .tag("flag", flag)
                    .tag("source", source.wireName())
                    .register(registry);
        }
        return bySource;
    }
}
