package io.rollgate.cluster;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.specification.RequestSpecification;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Events;
import io.rollgate.support.Local;
import io.rollgate.support.Overrides;
import io.rollgate.support.PackagedService;
import io.rollgate.support.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged service behind Debian's PgBouncer in transaction mode, with fewer server connections
 * than the replicas' pools ask for: statements go through the pooler (the driver in its layer 7 proxy mode), LISTEN
 * and Flyway go to PostgreSQL itself (a session each). A database of their own, so what PostgreSQL counts is theirs
 * (the integration tests' own service keeps its connections to rollgate_test). Skipped where pgbouncer is not
 * installed (.ci/run installs it).
 */
class PgBouncerIT {

    private static final String PGBOUNCER = "/usr/sbin/pgbouncer";
    private static final int BOUNCER_PORT = 26439;
    /** Server connections PgBouncer keeps to PostgreSQL for all the replicas' pooled connections together. */
    private static final int SERVER_CONNECTIONS = 4;
    private static final String DATABASE = "rollgate_pgbouncer_test";
    private static final int[] PORTS = { 8121, 8122 };
    private static final List<Process> replicas = new ArrayList<>();
    private static Path dir;
    private static Process bouncer;

    @BeforeAll
    static void startPoolerAndReplicas() throws Exception {
        Assumptions.assumeTrue(new File(PGBOUNCER).canExecute(),
                "pgbouncer is not installed (apt-get install pgbouncer): this test runs the service behind it");
        TestDatabase.directUrl = "jdbc:postgresql://127.0.0.1:5432/" + DATABASE;
        // PgBouncer will not run as root and reads its files as postgres: a directory anyone may read, outside a
        // checkout that may sit under a root-only temporary directory
        dir = Files.createTempDirectory(Path.of("/tmp"), "rollgate-pgbouncer-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(dir.resolve("users.txt"), "\"postgres\" \"\"\n");
        Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                "[databases]",
                DATABASE + " = host=127.0.0.1 port=5432 dbname=" + DATABASE,
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + BOUNCER_PORT,
                "unix_socket_dir =",
                "auth_type = trust",
                "auth_file = " + dir.resolve("users.txt"),
                "pool_mode = transaction",
                // a login that failed is retried after 15 s by default: far longer than a start-up waits
                "server_login_retry = 1",
                "default_pool_size = " + SERVER_CONNECTIONS,
                "max_client_conn = 500",
                // the service's session settings, sent at connection start, cannot pass a transaction pooler: set
                // them on the service's role instead (docs/deployment.md)
                "ignore_startup_parameters = extra_float_digits,lock_timeout,statement_timeout,"
                        + "idle_in_transaction_session_timeout",
                "logfile = " + dir.resolve("pgbouncer.log"),
                ""));
        for (File file : dir.toFile().listFiles()) {
            Files.setPosixFilePermissions(file.toPath(), PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        // made before PgBouncer is first asked for it: the replicas would make it themselves, but a login PgBouncer
        // saw fail for a database not yet made holds its pool back
        try (Connection postgres = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                "postgres", ""); Statement create = postgres.createStatement()) {
            if (!create.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'").next()) {
                create.executeUpdate("CREATE DATABASE " + DATABASE);
            }
        }
        bouncer = new ProcessBuilder(PGBOUNCER, "-u", "postgres", dir.resolve("pgbouncer.ini").toString())
                .redirectErrorStream(true).redirectOutput(new File("target/pgbouncer.out")).start();
        Await.until(Duration.ofSeconds(10), () -> {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), BOUNCER_PORT)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, "PgBouncer to listen");
        for (int port : PORTS) {
            replicas.add(new ProcessBuilder(PackagedService.command("-Dquarkus.profile=test",
                    "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + (port + 1000),
                    "-Dquarkus.log.file.enabled=false",
                    "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:" + BOUNCER_PORT + "/" + DATABASE,
                    "-Dquarkus.datasource.reactive.postgresql.use-layer7-proxy=true",
                    "-Dquarkus.datasource.reactive.cache-prepared-statements=false",
                    "-Drollgate.changes.listen-url=postgresql://127.0.0.1:5432/" + DATABASE,
                    "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:5432/" + DATABASE))
                    .redirectErrorStream(true).redirectOutput(new File("target/pgbouncer-replica-" + port + ".log"))
                    .start());
        }
        for (int i = 0; i < PORTS.length; i++) {
            Local.awaitReady(replicas.get(i), PORTS[i] + 1000);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process replica : replicas) {
            // gone before the next test starts a service on ports of its own
            replica.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (bouncer != null) {
            bouncer.destroy();
            bouncer.waitFor(10, TimeUnit.SECONDS);
        }
        if (dir != null) {
            for (File file : dir.toFile().listFiles()) {
                file.delete();
            }
            dir.toFile().delete();
        }
        TestDatabase.directUrl = null;
    }

    private static RequestSpecification on(int port, String token) {
        return given().port(port).header("Authorization", "Bearer " + token).contentType("application/json");
    }

    /**
     * Connections PostgreSQL has from PgBouncer: what its transaction mode keeps of both replicas' pools. The others
     * are the replicas' LISTEN sessions and JDBC's (Flyway's, and this test's own).
     */
    private static long serverConnectionsOfThePooler() {
        return (Long) TestDatabase.query("""
                SELECT count(*) AS n FROM pg_stat_activity
                WHERE datname = ? AND backend_type = 'client backend' AND pid <> pg_backend_pid()
                  AND query NOT LIKE 'LISTEN %' AND application_name <> 'PostgreSQL JDBC Driver'""",
                DATABASE).get(0).get("n");
    }

    @Test
    void twoReplicasWriteReadAndHearEachOtherThroughAFewServerConnections() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            // more writes at once than PgBouncer has server connections, on both replicas: each is a transaction
            List<Future<Integer>> writes = new ArrayList<>();
            List<String> customers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String customer = "bouncer-" + UUID.randomUUID();
                customers.add(customer);
                int port = PORTS[i % 2];
                writes.add(clients.submit(() -> on(port, Api.ADMIN_TOKEN)
                        .body(Overrides.body(Overrides.phase2("enhancedStorage", true), "behind pgbouncer"))
                        .put("/api/admin/customers/{id}/flags", customer).statusCode()));
            }
            for (Future<Integer> write : writes) {
                assertEquals(200, write.get());
            }
            // every write, made through either replica, is served by the other
            for (int i = 0; i < customers.size(); i++) {
                String customer = customers.get(i);
                int other = PORTS[(i + 1) % 2];
                Await.until(Duration.ofSeconds(2), Duration.ofMillis(20), () -> given().port(other)
                        .queryParam("customerId", customer).get("/api/widget/config").jsonPath()
                        .getBoolean(Overrides.ENHANCED_STORAGE), "the other replica to serve " + customer);
            }
            // one write at a time: heard within a notice's time, not the revision check's second
            for (int i = 0; i < 5; i++) {
                String customer = "bouncer-one-" + UUID.randomUUID();
                on(PORTS[0], Api.ADMIN_TOKEN)
                        .body(Overrides.body(Overrides.phase2("enhancedStorage", true), "behind pgbouncer"))
                        .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
                long took = Await.until(Duration.ofSeconds(2), Duration.ofMillis(10), () -> given().port(PORTS[1])
                        .queryParam("customerId", customer).get("/api/widget/config").jsonPath()
                        .getBoolean(Overrides.ENHANCED_STORAGE), "the other replica to serve " + customer);
                assertTrue(took < 500, "served by the other replica " + took + " ms after the write");
            }
            // a flag created through one replica, in the definitions' transaction with its advisory lock
            String flag = "bouncer-flag-" + UUID.randomUUID().toString().substring(0, 8);
            on(PORTS[0], Api.ADMIN_TOKEN)
                    .body(Map.of("name", flag, "group", "pgbouncer-test", "reason", "pgbouncer test"))
                    .post("/api/admin/flags").then().statusCode(201);
            Await.until(Duration.ofSeconds(2), Duration.ofMillis(20), () -> on(PORTS[1], Api.ADMIN_TOKEN)
                    .get("/api/admin/flags/{key}", flag).statusCode() == 200, "the other replica to know " + flag);
            // events, stored by the one statement a write
            on(PORTS[1], Api.INGEST_TOKEN).body(Events.outcomes(flag, 20, 5)).post("/api/rollout-events").then()
                    .statusCode(200);
            assertEquals(25, Events.stored(flag));
            assertEquals(25, Events.counted(flag));
            // each replica's LISTEN is a session of its own on PostgreSQL: through the pooler, its server connection
            // would have gone on to run other clients' statements
            assertEquals(2L, TestDatabase
                    .query("""
                            SELECT count(*) AS n FROM pg_stat_activity WHERE datname = ? AND query = 'LISTEN rollgate_changes'""",
                            DATABASE)
                    .get(0).get("n"));
            long held = serverConnectionsOfThePooler();
            assertTrue(held <= SERVER_CONNECTIONS, held + " server connections for both replicas' pools");
            for (int port : PORTS) {
                List<String> errors = Files.readAllLines(Path.of("target/pgbouncer-replica-" + port + ".log"))
                        .stream().filter(line -> line.contains(" ERROR ")).toList();
                assertEquals(List.of(), errors.stream().limit(3).toList(), errors.size() + " ERROR lines on " + port);
            }
        } finally {
            clients.shutdownNow();
        }
    }
}
