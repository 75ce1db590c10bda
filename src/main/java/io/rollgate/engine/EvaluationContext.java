package io.rollgate.engine;

import io.rollgate.errors.InvalidInputException;
import java.util.HashMap;
import java.util.Map;

/**
 * Who a flag is evaluated for. The customer id is the OFREP targeting key; attributes carry groupId,
 * userId and the like for the targeting rules.
 */
public record EvaluationContext(String customerId, String organizationId, String environment,
        Map<String, String> attributes) {

    public EvaluationContext {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** Most attributes one context may carry; beyond, a caller is sending something other than a context. */
    public static final int MAX_ATTRIBUTES = 50;
    /** Longest attribute value kept for the rules. */
    public static final int MAX_VALUE_LENGTH = 256;

    public static EvaluationContext of(String customerId, String organizationId, String environment) {
        return new EvaluationContext(customerId, organizationId, environment, Map.of());
    }

    /**
     * The context from free-form attributes, as the evaluation API and OFREP receive them: customerId (or
     * targetingKey) and organizationId pick the override documents; string, number and boolean attributes
     * are kept as strings for the rules; others (objects, lists) are ignored.
     */
    public static EvaluationContext fromAttributes(Map<String, Object> attributes, String defaultEnvironment) {
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new InvalidInputException("context", "has more than " + MAX_ATTRIBUTES + " attributes");
        }
        Map<String, String> strings = new HashMap<>();
        attributes.forEach((key, value) -> {
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                String text = value.toString();
                if (text.length() > MAX_VALUE_LENGTH) {
                    throw new InvalidInputException("context." + key, "is longer than " + MAX_VALUE_LENGTH
                            + " characters");
                }
                strings.put(key, text);
            }
        });
        String customerId = strings.containsKey("customerId") ? strings.get("customerId") : strings.get("targetingKey");
        String field = strings.containsKey("customerId") ? "context.customerId" : "context.targetingKey";
        // OpenFeature clients key users by whatever identifies them (an e-mail address, say): any text, bounded
        Ids.targetingKey(field, customerId);
        String organizationId = Ids.optional("context.organizationId", strings.get("organizationId"));
        // the defaults that apply are the service's environment's, never the caller's: an anonymous caller
        // saying "development" must not get development's defaults in production; its attribute still
        // feeds environment rules
        return new EvaluationContext(customerId, organizationId, defaultEnvironment, strings);
    }

    /** The environment environment rules match: the context's environment attribute, else the service's. */
    public String ruleEnvironment() {
        String attribute = attributes.get("environment");
        return attribute != null ? attribute : environment;
    }

    /** The id user rules match: the userId attribute, else the customer id. */
    public String userId() {
        String userId = attributes.get("userId");
        return userId != null ? userId : customerId;
    }

    /** The id group rules match: the groupId attribute, else the organization id. */
    public String groupId() {
        String groupId = attributes.get("groupId");
        return groupId != null ? groupId : organizationId;
    }

    /** The id percentages bucket: the customer id (OFREP targetingKey), else the userId attribute. */
    public String targetingKey() {
        return customerId != null ? customerId : attributes.get("userId");
    }
}
