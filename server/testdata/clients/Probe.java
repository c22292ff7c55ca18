// Probe drives MariaDB Connector/J against a running zarrsql the way BI tools do:
// DatabaseMetaData, session-variable probes, a server-side prepared statement with
// time-bound parameters, a streamed result set, and the seed's histogram queries
// (examples/*.sql) as streamed server-side prepared statements. It prints one
// "key<TAB>value" line per fact, and one "row<TAB>name<TAB>lat<TAB>bin<TAB>value" line
// per seed result row; clients_test.go asserts them. Usage: java -cp
// mariadb-java-client.jar Probe.java HOST:PORT EXAMPLES_DIR. A failing step prints
// "error<TAB>step<TAB>message" and goes on.
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.sql.*;
import java.util.*;

public class Probe {
    interface Step { void run() throws SQLException; }

    static void step(String name, Step s) {
        try {
            s.run();
        } catch (SQLException e) {
            System.out.println("error\t" + name + "\t" + e.getMessage().replace('\n', ' '));
        }
    }

    static void out(String key, Object value) {
        System.out.println(key + "\t" + value);
    }

    static List<String> column(ResultSet rs, String name) throws SQLException {
        List<String> vals = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                vals.add(rs.getString(name));
            }
        }
        return vals;
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:mariadb://" + args[0] + "/zarrsql?user=root&useServerPrepStmts=true";
        try (Connection c = DriverManager.getConnection(url)) {
            DatabaseMetaData md = c.getMetaData();
            out("product", md.getDatabaseProductName());
            step("getCatalogs", () -> out("catalogs", column(md.getCatalogs(), "TABLE_CAT")));
            step("getSchemas", () -> out("schemas", column(md.getSchemas(), "TABLE_SCHEM")));
            step("getTables", () -> out("tables", column(md.getTables("zarrsql", null, "%", new String[] {"TABLE"}), "TABLE_NAME")));
            step("getColumns", () -> {
                List<String> cols = new ArrayList<>();
                try (ResultSet rs = md.getColumns("zarrsql", null, "era5", "%")) {
                    while (rs.next()) {
                        cols.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
                    }
                }
                out("columns", cols);
            });
            step("getPrimaryKeys", () -> out("primarykeys", column(md.getPrimaryKeys("zarrsql", null, "era5"), "COLUMN_NAME")));
            step("variables", () -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@version, @@sql_mode, @@autocommit, DATABASE()")) {
                    rs.next();
                    out("version", rs.getString(1));
                    out("sql_mode", rs.getString(2));
                    out("autocommit", rs.getString(3));
                    out("database", rs.getString(4));
                }
            });
            step("prepared", () -> prepared(c));
            step("streaming", () -> streaming(c));
            seeds(c, Paths.get(args[1]));
        }
    }

    // prepared runs a server-side prepared statement bounded by time parameters.
    static void prepared(Connection c) throws SQLException {
        String q = "SELECT time, tp FROM era5 WHERE time >= ? AND time < ? AND latitude = ? AND longitude = ? ORDER BY time";
        try (PreparedStatement ps = c.prepareStatement(q)) {
            ps.setTimestamp(1, Timestamp.valueOf("1989-12-31 14:00:00"));
            ps.setTimestamp(2, Timestamp.valueOf("1989-12-31 16:00:00"));
            ps.setDouble(3, 90);
            ps.setDouble(4, 42.5);
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getTimestamp(1).toLocalDateTime() + "=" + rs.getFloat(2));
                }
            }
            out("prepared", rows);
        }
    }

    // streaming reads a result row by row (Connector/J streams with fetch size MIN_VALUE).
    static void streaming(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setFetchSize(Integer.MIN_VALUE);
            long n = 0;
            try (ResultSet rs = st.executeQuery("SELECT tp FROM era5 WHERE latitude = 0")) {
                while (rs.next()) {
                    n++;
                }
            }
            out("streamed", n);
        }
    }

    interface Binder { void bind(PreparedStatement ps) throws SQLException; }

    // seeds runs examples/*.sql as a BI tool running a saved query would: wrapped as
    // "SELECT ... FROM (query) AS seed" (Connector/J 2.7 prepares on the server only
    // statements that start with SELECT, not WITH), the ERA5 time bounds bound as
    // parameters, rows streamed. "era5-file" is the file as written, bounds bound:
    // Connector/J prepares that one on the client side.
    static void seeds(Connection c, Path dir) throws IOException {
        String era5 = new String(Files.readAllBytes(dir.resolve("era5_histogram.sql")), StandardCharsets.UTF_8);
        String lens = new String(Files.readAllBytes(dir.resolve("lens_histogram.sql")), StandardCharsets.UTF_8);
        Binder timestamps = ps -> {
            ps.setTimestamp(1, Timestamp.valueOf("1990-01-01 00:00:00"));
            ps.setTimestamp(2, Timestamp.valueOf("2006-01-01 00:00:00"));
        };
        Binder strings = ps -> {
            ps.setString(1, "1990-01-01");
            ps.setString(2, "2006-01-01");
        };
        step("era5-timestamp", () -> seed(c, "era5-timestamp", wrap(timeBounds(era5)), timestamps, Integer.MIN_VALUE));
        step("era5-string", () -> seed(c, "era5-string", wrap(timeBounds(era5)), strings, 100));
        step("era5-file", () -> seed(c, "era5-file", timeBounds(era5), timestamps, 100));
        step("lens", () -> seed(c, "lens", wrap(lens), ps -> {}, Integer.MIN_VALUE));
    }

    // timeBounds turns the ERA5 query's literal time bounds into parameters, outside
    // its comments.
    static String timeBounds(String sql) {
        StringBuilder b = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.startsWith("--")) {
                line = line.replace("'1990-01-01'", "?").replace("'2006-01-01'", "?");
            }
            b.append(line).append('\n');
        }
        return b.toString();
    }

    // wrap drops a query's comment lines and final semicolon and selects from it.
    static String wrap(String sql) {
        StringBuilder b = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.startsWith("--")) {
                b.append(line).append('\n');
            }
        }
        String body = b.toString().trim().replaceAll(";$", "");
        return "SELECT lat, bin, value FROM (\n" + body + "\n) AS seed ORDER BY lat, bin";
    }

    // seed prints how the statement was prepared ("seed.NAME": statement class, number
    // of parameters, result columns) and then its rows.
    static void seed(Connection c, String name, String sql, Binder binder, int fetchSize) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.setFetchSize(fetchSize);
            List<String> rows = new ArrayList<>();
            String cols;
            try (ResultSet rs = ps.executeQuery()) {
                cols = columnTypes(rs.getMetaData());
                while (rs.next()) {
                    rows.add("row\t" + name + "\t" + rs.getString(1) + "\t" + rs.getLong(2) + "\t" + rs.getDouble(3));
                }
            }
            out("seed." + name, ps.getClass().getSimpleName() + " params=" + ps.getParameterMetaData().getParameterCount() + " " + cols);
            rows.forEach(System.out::println);
        }
    }

    static String columnTypes(ResultSetMetaData md) throws SQLException {
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            cols.add(md.getColumnLabel(i) + ":" + md.getColumnTypeName(i));
        }
        return String.join(",", cols);
    }
}
