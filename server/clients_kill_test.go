package server_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"
)

// TestMySQLCLIKill: a long query runs on one connection; the mysql CLI finds it with
// SHOW PROCESSLIST and stops it with KILL QUERY. The query must end with an error soon
// after the KILL, its connection must stay open and serve the next query, and the
// server must stop computing it.
func TestMySQLCLIKill(t *testing.T) {
	needProgram(t, "mysql", "mariadb-client")
	addr := startAddr(t, corpusConfig())
	db := openDB(t, addr, "")
	cli := mysqlCLI(addr)
	for _, tc := range []struct {
		name, query string
		args        []any // with arguments, the driver prepares the query on the server
	}{
		{"sleep", "SELECT SLEEP(20)", nil},
		{"sleep, prepared", "SELECT SLEEP(?)", []any{20}},
		// ~20 s of work on the row engine (2e8 joined rows), stopped well before.
		{"cross join", "SELECT COUNT(*) FROM era5 a CROSS JOIN era5 b WHERE a.latitude = 0 AND b.latitude = 0", nil},
	} {
		t.Run(tc.name, func(t *testing.T) { testKillQuery(t, db, cli, tc.query, tc.args) })
	}
}

// mysqlCLI is the mysql command line that reaches addr, in batch mode (tab-separated).
func mysqlCLI(addr string) []string {
	host, port, _ := strings.Cut(addr, ":")
	return []string{"--protocol=tcp", "-h", host, "-P", port, "-u", "root", "--skip-ssl", "-B"}
}

// queryEnd is how a query on the victim connection ended, and when.
type queryEnd struct {
	err error
	at  time.Time
}

func testKillQuery(t *testing.T, db *sql.DB, cli []string, query string, args []any) {
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var id string
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		t.Fatal(err)
	}
	done := make(chan queryEnd, 1)
	go func() {
		var v any
		err := conn.QueryRowContext(ctx, query, args...).Scan(&v)
		done <- queryEnd{err, time.Now()}
	}()
	row := waitProcess(t, cli, id, "Query", 5*time.Second)
	if row["Info"] != query {
		t.Fatalf("SHOW PROCESSLIST row of connection %s: Info %q, want %q (row %v)", id, row["Info"], query, row)
	}
	killed := time.Now()
	runClient(t, "", "mysql", append(cli, "-e", "KILL QUERY "+id)...)
	var end queryEnd
	select {
	case end = <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s still runs 5 s after KILL QUERY %s", query, id)
	}
	if took := end.at.Sub(killed); took > 1500*time.Millisecond {
		t.Errorf("%s ended %v after the KILL, want < 1.5 s", query, took)
	}
	checkKilledError(t, end.err)
	checkAfterKill(t, conn, cli, id)
}

// checkKilledError: a killed query ends with MySQL's 1317 (70100) "Query execution was
// interrupted" (go-mysql-server itself sends 1105 "context canceled"; the server maps it).
func checkKilledError(t *testing.T, err error) {
	t.Helper()
	var me *mysqldriver.MySQLError
	switch {
	case !errors.As(err, &me):
		t.Fatalf("killed query: err %v, want a MySQL error", err)
	case me.Number == 1317 && string(me.SQLState[:]) == "70100":
	default:
		t.Fatalf("killed query: error %d %q, want 1317", me.Number, me.Message)
	}
}

// checkAfterKill: KILL QUERY leaves the connection open and idle, it answers the next
// query, and the server does not go on computing the killed one.
func checkAfterKill(t *testing.T, conn *sql.Conn, cli []string, id string) {
	t.Helper()
	var n int
	if err := conn.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM era5 WHERE latitude = 0 AND longitude = 0").Scan(&n); err != nil || n != 100 {
		t.Fatalf("the killed query's connection: count %d, err %v; want 100", n, err)
	}
	waitProcess(t, cli, id, "Sleep", 2*time.Second)
	if idle, ok := waitIdle(5 * time.Second); !ok {
		t.Fatalf("the server still computes %v after KILL QUERY", idle)
	}
}

// waitProcess polls SHOW PROCESSLIST through the mysql CLI until connection id is in
// state command (Query, Sleep), and returns that row by column name.
func waitProcess(t *testing.T, cli []string, id, command string, limit time.Duration) map[string]string {
	t.Helper()
	var last string
	for begin := time.Now(); time.Since(begin) < limit; time.Sleep(50 * time.Millisecond) {
		last = runClient(t, "", "mysql", append(cli, "-e", "SHOW PROCESSLIST")...)
		for _, row := range batchRows(last) {
			if row["Id"] == id && row["Command"] == command {
				return row
			}
		}
	}
	t.Fatalf("SHOW PROCESSLIST has no %s row for connection %s after %v:\n%s", command, id, limit, last)
	return nil
}

// batchRows parses the mysql CLI's batch output: a header line, then tab-separated rows.
func batchRows(out string) []map[string]string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	header := strings.Split(lines[0], "\t")
	var rows []map[string]string
	for _, l := range lines[1:] {
		row := map[string]string{}
		for i, v := range strings.Split(l, "\t") {
			if i < len(header) {
				row[header[i]] = v
			}
		}
		rows = append(rows, row)
	}
	return rows
}
