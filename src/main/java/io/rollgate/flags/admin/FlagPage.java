package io.rollgate.flags.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** A page of flags with the catalog's version and last update (the flag configuration document). */
@RegisterForReflection
public record FlagPage(List<FlagView> flags, int page, int size, long total, long version, Instant lastUpdated) {
}
