package io.rollgate.canary;

import io.rollgate.database.Database;
import io.rollgate.engine.Ids;
import io.rollgate.errors.ConflictException;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Canary traffic intake: reporters' request samples, counted per side against the deployment's current stage. */
@ApplicationScoped
public class CanaryTraffic {

    private static final int MAX_SAMPLES = 10_000;

    private final CanaryRepository repository;
    private final Database database;

    public CanaryTraffic(CanaryRepository repository, Database database) {
        this.repository = repository;
        this.database = database;
    }

    /** recordCanaryRequest in batches: counted against the deployment's current stage, per side. */
    public Uni<CanaryViews.RecordResult> record(String service, CanaryViews.RequestBatch batch) {
        ServiceNames.require(service);
        if (batch == null || batch.requests() == null || batch.requests().isEmpty()) {
            throw new InvalidInputException("requests", "must hold at least one request");
        }
        if (batch.requests().size() > MAX_SAMPLES) {
            throw new InvalidInputException("requests", "holds more than " + MAX_SAMPLES + " requests");
        }
        if (batch.batchId() != null && !Ids.isValid(batch.batchId())) {
            throw new InvalidInputException("batchId", "must be 1-128 of letters, digits and . _ : -");
        }
        if (batch.stage() != null && batch.stage() < 1) {
            throw new InvalidInputException("stage", "must be 1 or more");
        }
        Map<String, double[]> rows = new LinkedHashMap<>();
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < batch.requests().size(); i++) {
            CanaryViews.RequestSample sample = batch.requests().get(i);
            if (sample == null || sample.canary() == null || sample.error() == null || sample.latencyMs() == null
                    || sample.latencyMs().isNaN() || sample.latencyMs() < 0) {
                violations.add(new Violation("requests[" + i + "]",
                        "needs canary (boolean), error (boolean) and latencyMs (0 or more)"));
                continue;
            }
            String key = (sample.canary() ? "canary" : "stable") + ":" + LatencyHistogram.bucket(sample.latencyMs());
            double[] counts = rows.computeIfAbsent(key, k -> new double[3]);
            counts[0]++;
            if (sample.error()) {
                counts[1]++;
            }
            counts[2] = Math.max(counts[2], sample.latencyMs());
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations.subList(0, Math.min(violations.size(), 20)));
        }
        String[] arms = new String[rows.size()];
        Short[] buckets = new Short[rows.size()];
        Long[] requests = new Long[rows.size()];
        Long[] errors = new Long[rows.size()];
        Double[] maxLatencies = new Double[rows.size()];
        int i = 0;
        for (Map.Entry<String, double[]> row : rows.entrySet()) {
            String[] parts = row.getKey().split(":", 2);
            arms[i] = parts[0];
            buckets[i] = Short.parseShort(parts[1]);
            requests[i] = (long) row.getValue()[0];
            errors[i] = (long) row.getValue()[1];
            maxLatencies[i] = row.getValue()[2];
            i++;
        }
        int size = batch.requests().size();
        database.requireUp();
        return repository.addTraffic(service, batch.batchId(), deployment -> {
            if (batch.deploymentId() != null && !batch.deploymentId().equals(deployment.id())) {
                throw new ConflictException("Deployment " + batch.deploymentId() + " is no longer in flight for "
                        + service);
            }
            // stages are numbered from 1 on the wire, as the deployment view numbers them; a report for another
            // stage is dropped, not counted against this one
            return batch.stage() != null && batch.stage() != deployment.currentStage() + 1
                    ? null
                    : deployment.currentStage();
        }, new CanaryRepository.TrafficRows(arms, buckets, requests, errors, maxLatencies))
                .map(counted -> {
                    int wireStage = counted.deployment().currentStage() + 1;
                    return new CanaryViews.RecordResult(counted.deployment().id(), wireStage,
                            counted.counted() ? size : 0, counted.counted() || counted.duplicate() ? 0 : size,
                            counted.duplicate());
                })
                .plug(database::bounded);
    }
}
