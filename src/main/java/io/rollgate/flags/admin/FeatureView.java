package io.rollgate.flags.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.engine.FlagResult;
import java.util.List;

/** One flag in the admin list: what it is, and what it resolves to for the asked context. */
@RegisterForReflection
public record FeatureView(String key, String alias, String phase, String description, boolean value,
        String source, boolean killed, List<String> prerequisites) {

    static FeatureView of(FlagResult result) {
        var flag = result.flag();
        return new FeatureView(flag.key(), flag.alias(), flag.group(), flag.description(), result.value(),
                result.source().wireName(), !flag.enabled(), flag.prerequisites());
    }
}
