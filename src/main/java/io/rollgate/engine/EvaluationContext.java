package io.rollgate.engine;

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

    public static EvaluationContext of(String customerId, String organizationId, String environment) {
        return new EvaluationContext(customerId, organizationId, environment, Map.of());
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
