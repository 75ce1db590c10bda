package io.rollgate.engine;

/** One flag's value for one context, with the step that decided it. */
public record FlagResult(FlagDefinition flag, boolean value, Source source) {

    /**
     * Whether the value only fell through to a default because there was no targeting key to bucket:
     * the flag splits by percentage, and nothing before the split decided.
     */
    public boolean missingTargetingKey(EvaluationContext context) {
        boolean fellThrough = source == Source.ENVIRONMENT || source == Source.DEFAULT;
        return fellThrough && context.targetingKey() == null && flag.splits();
    }
}
