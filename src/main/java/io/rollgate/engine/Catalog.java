package io.rollgate.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Immutable snapshot of every flag, looked up by canonical key or alias; swapped whole on change. */
public final class Catalog {

    private final Map<String, FlagDefinition> byKey;
    /** Each flag's place in catalog order: an evaluation keeps its results in an array of that order. */
    private final Map<String, Integer> positions;
    private final Map<String, FlagDefinition> byName;
    private final Map<String, String[]> paths;
    /** The nested objects of an evaluation's values (see {@link Evaluation#writeNested}). */
    private final List<Nesting.Member> shape;
    private final Map<String, Rollout> rollouts;
    private final Map<String, Segment> segments;
    private final long version;
    private final Instant lastUpdated;
    private final Instant loadedAt;
    private final long revision;

    public Catalog(List<FlagDefinition> flags, Instant loadedAt) {
        this(flags, List.of(), 0, loadedAt, loadedAt, -1);
    }

    public Catalog(List<FlagDefinition> flags, List<Rollout> rollouts, Instant loadedAt) {
        this(flags, rollouts, 0, loadedAt, loadedAt, -1);
    }

    /**
     * @param version     the catalog version of the configuration document, bumped by every flag write
     * @param lastUpdated when the catalog last changed
     * @param revision    the change revision the snapshot was read at (-1 for one not read from the database)
     */
    public Catalog(List<FlagDefinition> flags, List<Rollout> rollouts, long version, Instant lastUpdated,
            Instant loadedAt, long revision) {
        this(flags, rollouts, List.of(), version, lastUpdated, loadedAt, revision);
    }

    /** A snapshot with the segments its flags' rules can name. */
    public Catalog(List<FlagDefinition> flags, List<Rollout> rollouts, List<Segment> segments, long version,
            Instant lastUpdated, Instant loadedAt, long revision) {
        Map<String, FlagDefinition> keys = new LinkedHashMap<>();
        Map<String, FlagDefinition> names = new HashMap<>();
        Map<String, String[]> pathsByKey = new HashMap<>();
        Map<String, Integer> places = new HashMap<>();
        for (FlagDefinition flag : flags) {
            if (keys.put(flag.key(), flag) == null) {
                places.put(flag.key(), places.size());
            }
            pathsByKey.put(flag.key(), flag.key().split("\\."));
            names.put(flag.key(), flag);
            if (flag.alias() != null) {
                names.put(flag.alias(), flag);
            }
        }
        this.byKey = Collections.unmodifiableMap(keys);
        this.positions = places;
        this.byName = Collections.unmodifiableMap(names);
        this.paths = pathsByKey;
        this.shape = Nesting.shape(keys.keySet().stream().map(pathsByKey::get).toList());
        Map<String, Rollout> byFlag = new HashMap<>();
        rollouts.forEach(rollout -> byFlag.put(rollout.flagKey(), rollout));
        this.rollouts = Collections.unmodifiableMap(byFlag);
        Map<String, Segment> audiences = new LinkedHashMap<>();
        segments.forEach(segment -> audiences.put(segment.key(), segment));
        this.segments = Collections.unmodifiableMap(audiences);
        this.version = version;
        this.lastUpdated = lastUpdated;
        this.loadedAt = loadedAt;
        this.revision = revision;
    }

    /**
     * This snapshot with {@code flag} in place of the flag of its key: a snapshot no change made, for a starting
     * replica to rehearse a change on answers no one is sent.
     */
    public Catalog with(FlagDefinition flag) {
        List<FlagDefinition> flags = new ArrayList<>(byKey.values());
        flags.replaceAll(held -> held.key().equals(flag.key()) ? flag : held);
        return new Catalog(flags, List.copyOf(rollouts.values()), List.copyOf(segments.values()), version,
                lastUpdated, loadedAt, revision);
    }

    public static Catalog empty() {
        return new Catalog(List.of(), Instant.EPOCH);
    }

    /** The flag with this canonical key or alias. */
    public Optional<FlagDefinition> find(String keyOrAlias) {
        return Optional.ofNullable(named(keyOrAlias));
    }

    /** The flag with this canonical key or alias, or null: {@link #find} without an allocation per call. */
    FlagDefinition named(String keyOrAlias) {
        return keyOrAlias == null ? null : byName.get(keyOrAlias);
    }

    /** The flag's place in {@link #flags()} order, or -1 for a key this catalog does not hold. */
    int position(String key) {
        Integer position = positions.get(key);
        return position == null ? -1 : position;
    }

    /** Whether {@code from} depends on {@code target} through its prerequisites, directly or not. */
    public boolean dependsOn(String from, String target) {
        return dependsOn(from, target, new HashSet<>());
    }

    private boolean dependsOn(String from, String target, Set<String> seen) {
        FlagDefinition flag = byKey.get(from);
        if (flag == null || !seen.add(from)) {
            return false;
        }
        for (String next : flag.prerequisites()) {
            if (next.equals(target) || dependsOn(next, target, seen)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The flag whose path a new key would nest into or around ({@code a.b} and {@code a.b.c} cannot both be
     * flags: override documents nest by path), or empty.
     */
    public Optional<String> pathClash(String key) {
        return byKey.keySet().stream().filter(other -> other.startsWith(key + ".") || key.startsWith(other + "."))
                .findFirst();
    }

    List<Nesting.Member> shape() {
        return shape;
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

    /** The segment of that key, or null. */
    public Segment segment(String key) {
        return segments.get(key);
    }

    /** Segments in key order. */
    public Collection<Segment> segments() {
        return segments.values();
    }

    /** The keys of the flags whose rules name the segment. */
    public List<String> flagsTargeting(String segmentKey) {
        return byKey.values().stream().filter(flag -> flag.namesSegment(segmentKey)).map(FlagDefinition::key)
                .toList();
    }

    public Collection<Rollout> rollouts() {
        return rollouts.values();
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

    /** The change revision this snapshot reflects: a replica never replaces it with an older one. */
    public long revision() {
        return revision;
    }
}
