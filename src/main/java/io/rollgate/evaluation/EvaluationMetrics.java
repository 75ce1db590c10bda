package io.rollgate.evaluation;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollgate.engine.Evaluation;
import io.rollgate.engine.FlagResult;
import io.rollgate.engine.Source;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts evaluations by flag and source, and by flag and the variant served (on and off for a boolean flag). Tagged
 * by flag key (bounded by the catalog), never by customer id. The widget evaluates every flag on every page load, so a
 * count is a plain adder the metrics endpoint reads: a configuration served again from its rendering increments the
 * adders it looked up once, when it was rendered.
 */
@ApplicationScoped
public class EvaluationMetrics {

    private static final Source[] SOURCES = Source.values();
    private static final int MAX_SHARED_TALLIES = 1024;

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Map<Source, LongAdder>> counts = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, LongAdder>> served = new ConcurrentHashMap<>();
    // keyed by the adders themselves (LongAdder compares by identity)
    private final ConcurrentMap<List<LongAdder>, Tally> tallies = new ConcurrentHashMap<>();

    public EvaluationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * The counts an evaluation adds to, looked up once: count it again with {@link Tally#add()}. Evaluations that
     * count the same adders share one tally: a handful of combinations of sources cover tens of thousands of kept
     * answers, and a shared tally stays in the processor's cache where one per answer was fetched from memory on
     * every request.
     */
    public Tally tally(Evaluation evaluation) {
        List<LongAdder> adders = new ArrayList<>(evaluation.results().size() * 2);
        for (FlagResult result : evaluation.results()) {
            adders.add(adder(result));
            adders.add(variantAdder(result));
        }
        Tally shared = tallies.get(adders);
        if (shared != null) {
            return shared;
        }
        Tally tally = new Tally(adders.toArray(LongAdder[]::new));
        // bounded: past it (a catalog changing many times over) each answer keeps a tally of its own
        return tallies.size() < MAX_SHARED_TALLIES ? tallies.computeIfAbsent(adders, ignored -> tally) : tally;
    }

    public void record(Evaluation evaluation) {
        for (FlagResult result : evaluation.results()) {
            record(result);
        }
    }

    public void record(FlagResult result) {
        adder(result).increment();
        variantAdder(result).increment();
    }

    private LongAdder adder(FlagResult result) {
        Map<Source, LongAdder> bySource = counts.get(result.flag().key());
        if (bySource == null) {
            bySource = counts.computeIfAbsent(result.flag().key(), this::register);
        }
        return bySource.get(result.source());
    }

    private LongAdder variantAdder(FlagResult result) {
        ConcurrentMap<String, LongAdder> byVariant = served.get(result.flag().key());
        if (byVariant == null) {
            byVariant = served.computeIfAbsent(result.flag().key(), key -> registerVariants(result));
        }
        LongAdder adder = byVariant.get(result.variantName());
        // a typed flag given a new variant since its counters were made
        return adder != null
                ? adder
                : byVariant.computeIfAbsent(result.variantName(),
                        variant -> variantCounter(result.flag().key(), variant));
    }

    /** Every variant of the flag at zero, so a panel shows the variants nobody was served yet. */
    private ConcurrentMap<String, LongAdder> registerVariants(FlagResult result) {
        ConcurrentMap<String, LongAdder> byVariant = new ConcurrentHashMap<>();
        List<String> names = result.flag().typed()
                ? List.copyOf(result.flag().variants().values().keySet())
                : List.of("on", "off");
        names.forEach(variant -> byVariant.put(variant, variantCounter(result.flag().key(), variant)));
        return byVariant;
    }

    private LongAdder variantCounter(String flag, String variant) {
        LongAdder adder = new LongAdder();
        FunctionCounter.builder("rollgate_flag_variants", adder, LongAdder::sum)
                .description("Flag evaluations by flag and the variant served (on and off for a boolean flag)")
                .tag("flag", flag)
                .tag("variant", variant)
                .register(registry);
        return adder;
    }

    private Map<Source, LongAdder> register(String flag) {
        Map<Source, LongAdder> bySource = new EnumMap<>(Source.class);
        for (Source source : SOURCES) {
            LongAdder adder = new LongAdder();
            bySource.put(source, adder);
            FunctionCounter.builder("rollgate_flag_evaluations", adder, LongAdder::sum)
                    .description("Flag evaluations by flag and the source that decided them")
                    .tag("flag", flag)
                    .tag("source", source.wireName())
                    .register(registry);
        }
        return bySource;
    }

    /** The per-flag counts of one evaluation, to add to each time it is served again. */
    public static final class Tally {

        private final LongAdder[] adders;

        private Tally(LongAdder[] adders) {
            this.adders = adders;
        }

        public void add() {
            for (LongAdder adder : adders) {
                adder.increment();
            }
        }
    }
}
