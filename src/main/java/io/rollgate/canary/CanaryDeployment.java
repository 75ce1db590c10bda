package io.rollgate.canary;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** A deployment as stored. {@code rowVersion} guards concurrent control actions. */
public record CanaryDeployment(UUID id, String service, String version, Strategy strategy, List<CanaryStage> stages,
        int currentStage, int percentage, Status status, Instant startedAt, Instant stageStartedAt,
        Instant finishedAt, String rollbackReason, long rowVersion) {

    public enum Strategy {
        CANARY, INSTANT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Strategy fromWire(String value) {
            for (Strategy strategy : values()) {
                if (strategy.wireName().equals(value)) {
                    return strategy;
                }
            }
            return null;
        }
    }

    public enum Status {
        ACTIVE, PAUSED, COMPLETED, ROLLED_BACK;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }

        public boolean inFlight() {
            return this == ACTIVE || this == PAUSED;
        }
    }

    public CanaryDeployment {
        stages = List.copyOf(stages);
    }

    public CanaryStage stage() {
        return stages.get(currentStage);
    }

    public boolean lastStage() {
        return currentStage == stages.size() - 1;
    }

    CanaryDeployment with(int stage, int newPercentage, Status newStatus, Instant stageStarted, Instant finished,
            String reason) {
        return new CanaryDeployment(id, service, version, strategy, stages, stage, newPercentage, newStatus,
                startedAt, stageStarted, finished, reason, rowVersion);
    }
}
