package io.rollgate.engine;

/**
 * One flag's value for one context, with the step that decided it. A typed flag's result also names its variant and
 * value; its {@code value} is whether a rule or a split chose the variant (rather than the default).
 */
public record FlagResult(FlagDefinition flag, boolean value, Source source, String variant, Object typedValue) {

    /** A boolean flag's result. */
    public FlagResult(FlagDefinition flag, boolean value, Source source) {
        this(flag, value, source, null, null);
    }

    /** What is served: the variant's value for a typed flag, else on or off. */
    public Object served() {
        return flag.typed() ? typedValue : value;
    }

    /** The variant served: a typed flag's name, else on or off. */
    public String variantName() {
        return flag.typed() ? variant : value ? "on" : "off";
    }

    /**
     * Whether the value only fell through to a default because there was no targeting key to bucket:
     * the flag splits by percentage, and nothing before the split decided.
     */
    public boolean missingTargetingKey(EvaluationContext context) {
        boolean fellThrough = source == Source.ENVIRONMENT || source == Source.DEFAULT;
        return fellThrough && context.targetingKey() == null && flag.splits();
    }
}
