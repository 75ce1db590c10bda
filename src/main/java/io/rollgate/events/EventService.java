package io.rollgate.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollgate.catalog.CatalogService;
import io.rollgate.database.Database;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.Ids;
import io.rollgate.errors.ConflictException;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import io.rollgate.evaluation.FlagUsage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Takes batches of rollout events from reporters. A batch is validated whole (one bad event refuses it
 * all), stored in one transaction with its per-minute counters and its batch id (shared with the batches
 * that arrived with it, see {@link EventWriter}), and acknowledged only after commit. A batch id names a batch of
 * one reporter (the ingest token's principal): a retry of it is acknowledged again without being counted twice, and
 * the same id with other events is refused with 409 rather than dropped as a duplicate.
 */
@ApplicationScoped
public class EventService {

    private static final int MAX_METADATA_CHARS = 4096;

    private final EventWriter writer;
    private final CatalogService catalogs;
    private final FlagUsage usage;
    private final Database database;
    private final EventsConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<EventType, Counter> ingested = new EnumMap<>(EventType.class);

    public EventService(EventWriter writer, CatalogService catalogs, Database database, FlagUsage usage,
            EventsConfig config, ObjectMapper json, Clock clock, MeterRegistry registry) {
        this.writer = writer;
        this.catalogs = catalogs;
        this.usage = usage;
        this.database = database;
        this.config = config;
        this.json = json;
        this.clock = clock;
        for (EventType type : EventType.values()) {
            ingested.put(type, Counter.builder("rollgate_rollout_events_ingested")
                    .description("Rollout events stored, by type").tag("type", type.wireName()).register(registry));
        }
    }

    private record Valid(String feature, String flagKey, String customer, EventType type, String metadata,
            OffsetDateTime at) {
    }

    public Uni<IngestResult> ingest(EventBatch batch, String actor) {
        List<Valid> events = validate(batch);
        database.requireUp();
        int n = events.size();
        List<String> features = new ArrayList<>(n);
        List<String> customers = new ArrayList<>(n);
        List<String> types = new ArrayList<>(n);
        List<String> metadata = new ArrayList<>(n);
        List<OffsetDateTime> timestamps = new ArrayList<>(n);
        for (Valid event : events) {
            features.add(event.feature());
            customers.add(event.customer());
            types.add(event.type().wireName());
            metadata.add(event.metadata());
            timestamps.add(event.at());
        }
        return writer.write(new PreparedBatch(batch.batchId(), actor, contentHash(batch), features, customers,
                types, metadata, timestamps))
                .map(stored -> switch (stored) {
                    case NOW -> {
                        events.forEach(event -> ingested.get(event.type()).increment());
                        // a reporter's events say which flags its widgets use, where a bulk answer cannot
                        events.stream().map(Valid::flagKey).distinct().forEach(usage::reported);
                        yield new IngestResult(batch.batchId(), n, false);
                    }
                    case BEFORE -> new IngestResult(batch.batchId(), n, true);
                    case OTHER_CONTENT -> throw new ConflictException("batchId " + batch.batchId() + " was already "
                            + "used by this reporter for other events; nothing was stored: give each batch an id of its "
                            + "own (the same id with the same events is answered as a duplicate)");
                });
    }

    /**
     * What a batch says, as it was sent (an event without a timestamp stays without one, so a retry matches): the
     * same batch id with the same hash is a retry, with another hash a different batch under a used name.
     */
    private String contentHash(EventBatch batch) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
        for (RolloutEvent event : batch.events()) {
            String line = event.featureName() + '\n' + event.customerId() + '\n' + event.event() + '\n'
                    + (event.timestamp() == null ? "" : event.timestamp().toInstant().toString()) + '\n'
                    + metadata(event.metadata()) + '\n';
            sha.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Every event is checked; the answer names each bad item, and nothing of the batch is stored. */
    private List<Valid> validate(EventBatch batch) {
        if (batch == null) {
            throw new InvalidInputException("body", "is required");
        }
        List<Violation> violations = new ArrayList<>();
        if (!Ids.isValid(batch.batchId())) {
            violations.add(new Violation("batchId", "is required: 1-128 of letters, digits and . _ : -"));
        }
        if (batch.events() == null || batch.events().isEmpty()) {
            violations.add(new Violation("events", "must hold at least one event"));
        } else if (batch.events().size() > config.maxBatchSize()) {
            violations.add(new Violation("events", "holds more than " + config.maxBatchSize() + " events"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        Catalog catalog = catalogs.require();
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        OffsetDateTime latest = now.plus(config.maxClockSkew());
        OffsetDateTime earliest = now.minus(config.rawRetention());
        List<Valid> valid = new ArrayList<>(batch.events().size());
        for (int i = 0; i < batch.events().size(); i++) {
            RolloutEvent event = batch.events().get(i);
            String at = "events[" + i + "]";
            if (event == null) {
                violations.add(new Violation(at, "is null"));
                continue;
            }
            FlagDefinition flag = catalog.find(event.featureName()).orElse(null);
            if (flag == null) {
                violations.add(new Violation(at + ".featureName", "is not a known flag"));
            }
            if (!Ids.isValid(event.customerId())) {
                violations.add(new Violation(at + ".customerId", "is required: 1-128 of letters, digits and . _ : -"));
            }
            EventType type = EventType.fromWire(event.event());
            if (type == null) {
                violations.add(new Violation(at + ".event", "must be enabled, disabled, success or error"));
            }
            OffsetDateTime timestamp = event.timestamp() == null ? now : event.timestamp();
            if (timestamp.isAfter(latest)) {
                violations.add(new Violation(at + ".timestamp", "is more than " + config.maxClockSkew()
                        + " in the future"));
            } else if (timestamp.isBefore(earliest)) {
                violations.add(new Violation(at + ".timestamp", "is older than the retention of "
                        + config.rawRetention()));
            }
            String metadata = metadata(event.metadata());
            if (metadata.length() > MAX_METADATA_CHARS) {
                violations.add(new Violation(at + ".metadata", "is larger than " + MAX_METADATA_CHARS + " characters"));
            }
            if (violations.isEmpty()) {
                valid.add(new Valid(flag.rolloutName(), flag.key(), event.customerId(), type, metadata, timestamp));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return valid;
    }

    private String metadata(Map<String, Object> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return "{}";
        }
        try {
            return json.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("metadata", "cannot be written as JSON");
        }
    }
}
