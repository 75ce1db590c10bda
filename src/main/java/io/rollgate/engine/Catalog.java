package io.rollgate.engine;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Immutable snapshot of every flag, looked up by canonical key or alias; swapped whole on change. */
public final class Catalog {

    private final Map<String, FlagDefinition> byKey;
    private final Map<String, FlagDefinition> byName;
    private final Map<String, String[]> paths;
    private final Map<String, Rollout> rollouts;
    private final long version;
    private final Instant lastUpdated;
    private final Instant loadedAt;

    public Catalog(List<FlagDefinition> flags, Instant loadedAt) {
        this(flags, List.of(), 0, loadedAt, loadedAt);
    }

    public Catalog(List<FlagDefinition> flags, List<Rollout> rollouts, Instant loadedAt) {
        this(flags, rollouts, 0, loadedAt, loadedAt);
    }

    /**
     * @param version     the catalog version (seed 004), bumped by every flag write
     * @param lastUpdated when the catalog last changed
     */
    public Catalog(List<FlagDefinition> flags, List<Rollout> rollouts, long version, Instant lastUpdated,
            Instant loadedAt) {
        Map<String, FlagDefinition> keys = new LinkedHashMap<>();
        Map<String, FlagDefinition> names = new HashMap<>();
        Map<String, String[]> segments = new HashMap<>();
        for (FlagDefinition flag : flags) {
            keys.put(flag.key(), flag);
            segments.put(flag.key(), flag.key().split("\\."));
            names.put(flag.key(), flag);
            if (flag.alias() != null) {
                names.put(flag.alias(), flag);
            }
        }
        this.byKey = Collections.unmodifiableMap(keys);
        this.byName = Collections.unmodifiableMap(names);
        this.paths = segments;
        Map<String, Rollout> byFlag = new HashMap<>();
        rollouts.forEach(rollout -> byFlag.put(rollout.flagKey(), rollout));
        this.rollouts = Collections.unmodifiableMap(byFlag);
        this.version = version;
        this.lastUpdated = lastUpdated;
        this.loadedAt = loadedAt;
    }

    public static Catalog empty() {
        return new Catalog(List.of(), Instant.EPOCH);
    }

    /** The flag with this canonical key or alias. */
    public Optional<FlagDefinition> find(String keyOrAlias) {
        return Optional.ofNullable(keyOrAlias == null ? null : byName.get(keyOrAlias));
    }

    /** The key split at its dots, computed once per snapshot rather than once per request. */
    String[] path(String key) {
        String[] path = paths.get(key);
        return path != null ? path : key.split("\\.");
    }

    /** The flag's rollout, or null when it has none. */
    public Rollout rollout(String key) {
        return rollouts.get(key);
    }

    public Collection<Rollout> rollouts() {
        return rollouts.values();
    }

    /** The same snapshot with other flag definitions, rollouts kept. */
    public Catalog withFlags(List<FlagDefinition> flags, Instant at) {
        return new Catalog(flags, List.copyOf(rollouts.values()), version, lastUpdated, at);
    }

    /** The same snapshot with other rollouts. */
    public Catalog withRollouts(List<Rollout> newRollouts, Instant at) {
        return new Catalog(List.copyOf(byKey.values()), newRollouts, version, lastUpdated, at);
    }

    public long version() {
        return version;
    }

    public Instant lastUpdated() {
        return lastUpdated;
    }

    public boolean contains(String key) {
        return byKey.containsKey(key);
    }

    /** Flags in catalog order (group, then sort order). */
    public Collection<FlagDefinition> flags() {
        return byKey.values();
    }

    public int size() {
        return byKey.size();
    }

    public Instant loadedAt() {
        return loadedAt;
    }
}
