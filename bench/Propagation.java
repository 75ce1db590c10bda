import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How long a change takes from its commit to being served by the other replica. Run by
 * bench/propagation.sh with two replicas on one database: A takes the changes, B is watched.
 * Args: A's URL, B's URL, JDBC URL, admin token, changes per kind.
 */
public class Propagation {

    private static final String PATH = "\"enhancedStorage\":";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        String a = args[0];
        String b = args[1];
        String jdbc = args[2];
        String token = args[3];
        int changes = Integer.parseInt(args[4]);
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
            report("api-write", measure(changes, (customer, value) -> {
                send(a, "PUT", "/api/admin/customers/" + customer + "/flags", token, document(value, "propagation"));
                return System.nanoTime();
            }, b));
            report("sql-write", measure(changes, (customer, value) -> {
                sqlWrite(db, customer, value, false);
                return System.nanoTime();
            }, b));
            report("cache-clear", measure(changes, (customer, value) -> {
                // a write no trigger sees, so only the cache clear can bring it to B
                sqlWrite(db, customer, value, true);
                long start = System.nanoTime();
                send(a, "DELETE", "/api/admin/cache/customers/" + customer, token, null);
                return start;
            }, b));
            report("sql-write-listen-killed", measure(Math.max(5, changes / 5), (customer, value) -> {
                try (Statement statement = db.createStatement()) {
                    statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            + "WHERE query = 'LISTEN rollgate_changes'");
                }
                sqlWrite(db, customer, value, false);
                return System.nanoTime();
            }, b));
        }
    }

    interface Change {
        /** Makes the change and answers when it committed (or, for API calls, when the call was sent). */
        long apply(String customer, boolean value) throws Exception;
    }

    private static List<Long> measure(int changes, Change change, String watched) throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < changes; i++) {
            String customer = "prop-" + System.nanoTime();
            boolean value = true;
            // B caches the new customer's empty document first (enhancedStorage off in production)
            if (servedValue(watched, customer)) {
                throw new IllegalStateException("a new customer is served enhancedStorage on: not production defaults");
            }
            long start = change.apply(customer, value);
            long deadline = start + Duration.ofSeconds(10).toNanos();
            while (servedValue(watched, customer) != value) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("B did not serve the change within 10 s");
                }
            }
            millis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
            if (i % 5 == 4) {
                Thread.sleep(1_100);
            }
        }
        return millis;
    }

    private static void report(String kind, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        // nearest rank: with fewer than a hundred changes the p99 is the slowest one
        int p99 = (int) Math.ceil(sorted.size() * 0.99) - 1;
        System.out.printf("RESULT %s changes=%d p50=%dms p99=%dms max=%dms%n", kind, sorted.size(),
                sorted.get(sorted.size() / 2), sorted.get(p99), sorted.get(sorted.size() - 1));
    }

    private static boolean servedValue(String base, String customer) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/widget/config?customerId=" + customer))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        int at = body.indexOf(PATH);
        return at >= 0 && body.startsWith("true", at + PATH.length());
    }

    private static String document(boolean value, String reason) {
        return "{\"flags\":{\"sessionPersistence\":{\"phase2\":{\"enhancedStorage\":" + value + "}}},\"reason\":\""
                + reason + "\"}";
    }

    private static void sqlWrite(Connection db, String customer, boolean value, boolean unseen) throws Exception {
        try (Statement statement = db.createStatement()) {
            statement.execute("SET session_replication_role = " + (unseen ? "replica" : "DEFAULT"));
        }
        try (PreparedStatement upsert = db.prepareStatement("""
                INSERT INTO customer_feature_flags (customer_id, flags) VALUES (?, ?::jsonb)
                ON CONFLICT (customer_id) DO UPDATE SET flags = EXCLUDED.flags""")) {
            upsert.setString(1, customer);
            upsert.setString(2, "{\"sessionPersistence\":{\"phase2\":{\"enhancedStorage\":" + value + "}}}");
            upsert.executeUpdate();
        }
    }

    private static void send(String base, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }
}
