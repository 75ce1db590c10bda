package io.rollgate.engine;

/** One flag's value for one context, with the step that decided it. */
public record FlagResult(FlagDefinition flag, boolean value, Source source) {
}
