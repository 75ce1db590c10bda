package bench;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A widget-config-shaped answer built and serialized on every request, with no lookup, rule or cache behind it:
 * what a Quarkus endpoint costs at the least for the same request and the same size of answer.
 */
@Path("/api/widget/config")
public class CeilingResource {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> config(@QueryParam("customerId") String customerId,
            @QueryParam("organizationId") String organizationId) {
        boolean even = customerId != null && customerId.hashCode() % 2 == 0;
        Map<String, Object> phase1 = new LinkedHashMap<>();
        phase1.put("autoRestore", true);
        phase1.put("crossTabSync", true);
        phase1.put("sessionTimeout", true);
        phase1.put("visibilityHandling", true);
        Map<String, Object> phase2 = new LinkedHashMap<>();
        phase2.put("enhancedStorage", even);
        phase2.put("retryLogic", !even);
        phase2.put("offlineMode", false);
        phase2.put("compression", false);
        Map<String, Object> phase3 = new LinkedHashMap<>();
        phase3.put("analytics", false);
        phase3.put("performanceMode", false);
        phase3.put("predictivePrefetch", false);
        phase3.put("experimentalSync", false);
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("phase1", phase1);
        session.put("phase2", phase2);
        session.put("phase3", phase3);
        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("source", "customer_override");
        evaluation.put("evaluatedAt", Instant.now().toString());
        evaluation.put("environment", "production");
        evaluation.put("customerId", customerId);
        evaluation.put("organizationId", organizationId);
        evaluation.put("stale", false);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sessionPersistence", session);
        body.put("evaluation", evaluation);
        return body;
    }
}
