package io.rollgate.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads what the service left in PostgreSQL, over JDBC, so tests check state and not just answers. */
public final class TestDatabase {

    /** Set by a test profile whose service reaches PostgreSQL another way (through a proxy, say). */
    public static volatile String directUrl;

    private TestDatabase() {
    }

    public static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        Properties properties = new Properties();
        properties.setProperty("user", config.getOptionalValue("quarkus.datasource.username", String.class)
                .orElse("postgres"));
        config.getOptionalValue("quarkus.datasource.password", String.class)
                .ifPresent(password -> properties.setProperty("password", password));
        String url = directUrl != null ? directUrl : config.getValue("quarkus.datasource.jdbc.url", String.class);
        return new org.postgresql.Driver().connect(url, properties);
    }

    /**
     * A session of its own, as an operator's psql is, that ran {@code statement} in a transaction it leaves open: it
     * holds whatever the statement locked until it is rolled back or closed.
     */
    public static Connection holding(String statement) throws SQLException {
        Connection session = connect();
        try (var locking = session.createStatement()) {
            session.setAutoCommit(false);
            locking.execute(statement);
            return session;
        } catch (SQLException e) {
            session.close();
            throw e;
        }
    }

    public static List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                List<Map<String, Object>> result = new ArrayList<>();
                while (rows.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                        row.put(rows.getMetaData().getColumnLabel(c), rows.getObject(c));
                    }
                    result.add(row);
                }
                return result;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    public static int update(String sql, Object... parameters) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }
}
