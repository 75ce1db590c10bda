package io.rollgate.canary;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Canary gauges under our prefix, labelled by service, from the last routing refresh and check. */
@ApplicationScoped
public class CanaryMetrics {

    private record State(boolean active, int percentage, StageMetrics canary) {
    }

    private final MeterRegistry registry;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public CanaryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void state(String service, CanaryDeployment inFlight) {
        State previous = states.get(service);
        StageMetrics canary = previous == null || inFlight == null ? StageMetrics.NONE : previous.canary();
        put(service, new State(inFlight != null, inFlight == null ? 0 : inFlight.percentage(), canary));
    }

    void update(CanaryDeployment deployment, StageMetrics canary) {
        put(deployment.service(), new State(deployment.status().inFlight(), deployment.percentage(), canary));
    }

    private void put(String service, State state) {
        if (states.put(service, state) == null) {
            register(service);
        }
    }

    private void register(String service) {
        gauge("rollgate_canary_active", "1 while a deployment is in flight", service, s -> s.active() ? 1 : 0);
        gauge("rollgate_canary_percentage", "Share of traffic on the canary", service, State::percentage);
        gauge("rollgate_canary_requests", "Canary requests in the current stage", service, s -> s.canary().requests());
        gauge("rollgate_canary_errors", "Canary errors in the current stage", service, s -> s.canary().errors());
        gauge("rollgate_canary_error_rate", "Canary error rate in the current stage", service,
                s -> s.canary().errorRate());
        gauge("rollgate_canary_latency_p95", "Canary p95 latency (ms) in the current stage", service,
                s -> s.canary().latencyP95());
    }

    private void gauge(String name, String description, String service,
            java.util.function.ToDoubleFunction<State> read) {
        Gauge.builder(name, () -> {
            State state = states.get(service);
            return state == null ? 0 : read.applyAsDouble(state);
        }).description(description).tag("service", service).register(registry);
    }
}
