package io.rollgate.canary;

import io.rollgate.database.Change;
import io.rollgate.database.Database;
import io.rollgate.engine.Bucketing;
import io.rollgate.errors.InvalidInputException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The routing table of the public hot path (shouldRouteToCanary): every service's deployment in flight and stable
 * version, in memory, refreshed after every change on any replica, as the catalog is.
 */
@ApplicationScoped
public class CanaryRouting {

    private static final Logger LOG = Logger.getLogger(CanaryRouting.class);

    /** What routing needs of a service: its deployment in flight (if any) and its stable version. */
    record Routing(CanaryDeployment inFlight, String stableVersion) {
        static final Routing NONE = new Routing(null, null);
    }

    private final CanaryRepository repository;
    private final CanaryMetrics metrics;
    private final Database database;
    private final Map<String, Routing> routing = new ConcurrentHashMap<>();
    /** Set by the first refresh: from then on the table holds every service that has deployments. */
    private volatile boolean routingLoaded;
    private final AtomicLong refreshes = new AtomicLong();
    private long installedRefresh = -1;

    public CanaryRouting(CanaryRepository repository, CanaryMetrics metrics, Database database) {
        this.repository = repository;
        this.metrics = metrics;
        this.database = database;
    }

    /**
     * shouldRouteToCanary: sticky per user (bucket of "deploymentId:userId" against the percentage, so a user
     * on the canary at 10 % stays on it at 50 %); without a user id, a random split per request.
     */
    public Uni<CanaryViews.RouteView> route(String service, String userId) {
        ServiceNames.require(service);
        if (userId != null && (userId.isEmpty() || userId.length() > 256)) {
            throw new InvalidInputException("userId", "must be 1-256 characters");
        }
        Routing known = routing.get(service);
        // once loaded, the table is complete: a service missing from it has nothing in flight
        Uni<Routing> state = known != null || routingLoaded || !database.isUp()
                ? Uni.createFrom().item(known != null ? known : Routing.NONE)
                : refresh(null).map(ignored -> routing.getOrDefault(service, Routing.NONE));
        return state.map(r -> {
            CanaryDeployment deployment = r.inFlight();
            if (deployment == null || deployment.percentage() == 0) {
                return new CanaryViews.RouteView(service, false, r.stableVersion(), userId != null, 0,
                        deployment == null ? null : deployment.id(),
                        deployment == null ? null : deployment.currentStage() + 1);
            }
            boolean canary = userId != null
                    ? sticky(deployment.id(), userId, deployment.percentage())
                    : ThreadLocalRandom.current().nextInt(100) < deployment.percentage();
            return new CanaryViews.RouteView(service, canary, canary ? deployment.version() : r.stableVersion(),
                    userId != null, deployment.percentage(), deployment.id(), deployment.currentStage() + 1);
        });
    }

    /** A user's side for a deployment: the same bucketing as rollouts, grouped by deployment. */
    static boolean sticky(UUID deploymentId, String userId, int percentage) {
        return Bucketing.inRollout(deploymentId.toString(), userId, percentage);
    }

    /** A deployment changed, on any replica or in SQL (or everything is reloaded): refresh the routing table. */
    void onChange(@ObservesAsync Change change) {
        if (change.subject() == Change.Subject.CANARY || change.subject() == Change.Subject.ALL) {
            refresh(null).subscribe().with(ignored -> {
            });
        }
    }

    /**
     * Reloads the routing table from the database (after every change and every automation pass). Reads
     * may finish out of order: one started before another that already installed its table is dropped.
     */
    Uni<Void> refresh(Object ignored) {
        long ticket = refreshes.incrementAndGet();
        return repository.routingState()
                .invoke(deployments -> install(ticket, deployments))
                .onFailure().invoke(e -> LOG.warn("Canary routing refresh failed; serving the last table", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private synchronized void install(long ticket, List<CanaryDeployment> deployments) {
        if (ticket < installedRefresh) {
            return;
        }
        installedRefresh = ticket;
        Map<String, CanaryDeployment> inFlight = new LinkedHashMap<>();
        Map<String, String> stable = new LinkedHashMap<>();
        for (CanaryDeployment deployment : deployments) {
            if (deployment.status().inFlight()) {
                inFlight.put(deployment.service(), deployment);
            } else {
                stable.put(deployment.service(), deployment.version());
            }
        }
        Set<String> services = new HashSet<>(inFlight.keySet());
        services.addAll(stable.keySet());
        services.addAll(routing.keySet());
        for (String service : services) {
            routing.put(service, new Routing(inFlight.get(service), stable.get(service)));
            metrics.state(service, inFlight.get(service));
        }
        routingLoaded = true;
    }

}
