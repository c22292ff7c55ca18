package server_test

// Real clients against a running coordinator: the mysql/mariadb CLI, go-sql-driver/mysql
// over both protocols, MariaDB Connector/J (what BI tools load) and SQLAlchemy/pandas
// over PyMySQL (what Superset runs on connect). Each test skips, saying what is missing,
// when its client is not installed; .ci/clients.sh installs them.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	connectorJ = "/usr/share/java/mariadb-java-client.jar"
	debPython  = "/usr/bin/python3" // Debian's, with python3-sqlalchemy, -pymysql, -pandas
)

// runClient runs a client program to completion (at most a minute) and returns its
// standard output; a non-zero exit fails the test with its standard error.
func runClient(t *testing.T, stdin string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\nstderr: %s\nstdout: %s", name, strings.Join(args, " "), err, stderr.String(), stdout.String())
	}
	return stdout.String()
}

func needProgram(t *testing.T, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not on PATH: install Debian %s (bash .ci/run does)", name, pkg)
	}
}

func TestMySQLCLI(t *testing.T) {
	needProgram(t, "mysql", "mariadb-client")
	addr := startAddr(t, corpusConfig())
	host, port, _ := strings.Cut(addr, ":")
	conn := []string{"--protocol=tcp", "-h", host, "-P", port, "-u", "root", "--skip-ssl"}
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		want  []string // lines (or, in vertical output, line fragments) that must appear
	}{
		{"show tables", []string{"-e", "SHOW TABLES"}, "", []string{"era5", "lens", "datasets", "catalog"}},
		{"use then select", []string{"-e", "USE zarrsql; SELECT DATABASE()"}, "", []string{"zarrsql"}},
		{"vertical", []string{"zarrsql", "-e", "SELECT * FROM era5 WHERE time = '1989-12-31 14:00:00' AND latitude = 90 AND longitude = 42.5\\G"}, "",
			[]string{"*************************** 1. row ***************************", "     time: 1989-12-31 14:00:00.000000", "       tp: 0.00028928628"}},
		{"batch", []string{"-B", "zarrsql", "-e", "SELECT time, latitude, longitude, tp FROM era5 WHERE time = '1989-12-31 14:00:00' AND latitude IN (87.5, 90) AND longitude IN (7.5, 42.5) ORDER BY latitude, longitude"}, "",
			[]string{"time\tlatitude\tlongitude\ttp",
				"1989-12-31 14:00:00.000000\t87.5\t7.5\tNULL",
				"1989-12-31 14:00:00.000000\t87.5\t42.5\t0",
				"1989-12-31 14:00:00.000000\t90\t7.5\t0.00017679189",
				"1989-12-31 14:00:00.000000\t90\t42.5\t0.00028928628"}},
		{"script on stdin", nil, "USE zarrsql;\nSELECT COUNT(*) FROM era5 WHERE latitude = 0 AND longitude = 0;\n" +
			"SELECT DISTINCT time FROM lens WHERE time > '1990-02-28 12:00' AND time < '1990-03-01 06:00' ORDER BY time;\n",
			[]string{"COUNT(*)", "100", "time", "1990-02-28 18:00:00.000000", "1990-03-01 00:00:00.000000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := runClient(t, tc.stdin, "mysql", append(conn, tc.args...)...)
			lines := strings.Split(out, "\n")
			for _, w := range tc.want {
				if !containsLine(lines, w) {
					t.Errorf("output lacks line %q:\n%s", w, out)
				}
			}
		})
	}
}

// containsLine reports whether one of lines is want, or ends with it when want starts
// with blanks (vertical output right-aligns the column names).
func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want || strings.HasPrefix(want, " ") && strings.HasSuffix(l, strings.TrimLeft(want, " ")) {
			return true
		}
	}
	return false
}

func openDB(t *testing.T, addr, params string) *sql.DB {
	t.Helper()
	db, err := sql.Open("mysql", "root@tcp("+addr+")/zarrsql?parseTime=true"+params)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// TestGoDriver: the same parameterised queries over the text protocol (parameters
// interpolated by the driver) and the binary one (server-side prepared statements).
func TestGoDriver(t *testing.T) {
	addr := startAddr(t, corpusConfig())
	for _, proto := range []struct{ name, params string }{
		{"text", "&interpolateParams=true"},
		{"binary", ""},
	} {
		db := openDB(t, addr, proto.params)
		t.Run(proto.name+"/era5 first time", func(t *testing.T) {
			var first time.Time
			q := "SELECT MIN(time) FROM era5 WHERE latitude = ? AND longitude = ?"
			if err := db.QueryRow(q, 0.0, 0.0).Scan(&first); err != nil {
				t.Fatal(err)
			}
			if want := time.Date(1989, 12, 31, 14, 0, 0, 0, time.UTC); !first.Equal(want) {
				t.Fatalf("first time %v, want %v", first, want)
			}
		})
		t.Run(proto.name+"/lens noleap", func(t *testing.T) {
			q := "SELECT DISTINCT time FROM lens WHERE time > ? AND time < ? ORDER BY time"
			got := scanTimes(t, db, q, time.Date(1990, 2, 28, 12, 0, 0, 0, time.UTC), time.Date(1990, 3, 1, 6, 0, 0, 0, time.UTC))
			want := []time.Time{time.Date(1990, 2, 28, 18, 0, 0, 0, time.UTC), time.Date(1990, 3, 1, 0, 0, 0, 0, time.UTC)}
			if len(got) != 2 || !got[0].Equal(want[0]) || !got[1].Equal(want[1]) {
				t.Fatalf("times %v, want %v", got, want)
			}
		})
		t.Run(proto.name+"/NaN is NULL", func(t *testing.T) {
			q := "SELECT longitude, tp FROM era5 WHERE time = ? AND latitude = ? AND longitude IN (7.5, 42.5) ORDER BY longitude"
			got := scanFloats(t, db, q, time.Date(1989, 12, 31, 14, 0, 0, 0, time.UTC), 87.5)
			want := []sql.NullFloat64{{}, {Float64: 0, Valid: true}}
			if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
				t.Fatalf("tp %v, want %v", got, want)
			}
		})
	}
	t.Run("cancel", func(t *testing.T) { testCancel(t, openDB(t, addr, "")) })
}

func scanTimes(t *testing.T, db *sql.DB, q string, args ...any) []time.Time {
	t.Helper()
	var out []time.Time
	scanEach(t, db, q, args, func(rows *sql.Rows) error {
		var v time.Time
		err := rows.Scan(&v)
		out = append(out, v)
		return err
	})
	return out
}

// scanFloats scans the second column of each row.
func scanFloats(t *testing.T, db *sql.DB, q string, args ...any) []sql.NullFloat64 {
	t.Helper()
	var out []sql.NullFloat64
	scanEach(t, db, q, args, func(rows *sql.Rows) error {
		var key float64
		var v sql.NullFloat64
		err := rows.Scan(&key, &v)
		out = append(out, v)
		return err
	})
	return out
}

func scanEach(t *testing.T, db *sql.DB, q string, args []any, scan func(*sql.Rows) error) {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			t.Fatalf("%s: scan: %v", q, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// testCancel: a query taking ~20 s (a 2e8-row cross join) cancelled after 200 ms
// returns within 2 s, and the server answers the next query promptly (it stopped the
// join rather than finishing it behind the client's back).
func testCancel(t *testing.T, db *sql.DB) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	begin := time.Now()
	var n int64
	err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM era5 a CROSS JOIN era5 b WHERE a.latitude = 0 AND b.latitude = 0").Scan(&n)
	took := time.Since(begin)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled query: err %v (count %d), want context.DeadlineExceeded", err, n)
	}
	if took > 2*time.Second {
		t.Fatalf("cancelled query returned after %v, want < 2s", took)
	}
	begin = time.Now()
	if err := db.QueryRow("SELECT COUNT(*) FROM era5 WHERE latitude = 0 AND longitude = 0").Scan(&n); err != nil || n != 100 {
		t.Fatalf("after cancel: count %d, err %v", n, err)
	}
	if took := time.Since(begin); took > 2*time.Second {
		t.Fatalf("query after cancel took %v", took)
	}
	// go-mysql-server notices the closed socket by polling it every 5 s and only then
	// stops the join, so the CPU goes quiet some seconds after the cancel.
	if idle, ok := waitIdle(10 * time.Second); !ok {
		t.Fatalf("the server still computes the cancelled join %v after the cancel", idle)
	} else {
		t.Logf("the server stopped the cancelled join within %v", idle.Round(100*time.Millisecond))
	}
}

// waitIdle waits until this process (client and server) uses under 20% of a core for
// half a second, up to limit; it returns how long that took and whether it happened.
// Without /proc it returns at once, true.
func waitIdle(limit time.Duration) (time.Duration, bool) {
	begin := time.Now()
	for time.Since(begin) < limit {
		before, ok := cpuTicks()
		if !ok {
			return 0, true
		}
		time.Sleep(500 * time.Millisecond)
		after, _ := cpuTicks()
		if after-before < 10 { // USER_HZ is 100: 10 ticks are 100 ms
			return time.Since(begin), true
		}
	}
	return time.Since(begin), false
}

// cpuTicks is user plus system time of this process from /proc/self/stat.
func cpuTicks() (int64, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// Fields after the parenthesised command name; utime and stime are fields 14 and 15.
	_, rest, _ := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, false
	}
	user, err1 := strconv.ParseInt(f[11], 10, 64)
	sys, err2 := strconv.ParseInt(f[12], 10, 64)
	return user + sys, err1 == nil && err2 == nil
}

// TestJDBC runs testdata/clients/Probe.java with MariaDB Connector/J and checks what it
// printed, one "key<TAB>value" line per fact.
func TestJDBC(t *testing.T) {
	needProgram(t, "java", "default-jdk-headless")
	needProgram(t, "javac", "default-jdk-headless") // running Probe.java from source needs the compiler
	if _, err := os.Stat(connectorJ); err != nil {
		t.Skipf("%s missing: install Debian libmariadb-java (bash .ci/run does)", connectorJ)
	}
	addr := startAddr(t, corpusConfig())
	out := runClient(t, "", "java", "-Duser.timezone=UTC", "-cp", connectorJ, filepath.Join("testdata", "clients", "Probe.java"), addr, filepath.Join("..", "examples"))
	got, seeds := parseProbe(t, out)
	for _, tc := range []struct{ key, want string }{
		{"catalogs", "[information_schema, zarrsql]"},
		{"schemas", "[]"}, // Connector/J lists databases as catalogs, never as schemas
		{"tables", "[catalog, datasets, era5, lens, query_stats]"},
		{"columns", "[time:DATETIME, latitude:FLOAT, longitude:FLOAT, tp:FLOAT]"},
		{"primarykeys", "[]"},
		{"database", "zarrsql"},
		{"autocommit", "1"},
		{"prepared", "[1989-12-31T14:00=2.8928628E-4, 1989-12-31T15:00=0.0]"},
		{"streamed", "14400"}, // 100 times x 144 longitudes at the equator
		{"seed.era5-timestamp", "ServerSidePreparedStatement params=2 lat:FLOAT,bin:BIGINT,value:DOUBLE"},
		{"seed.era5-string", "ServerSidePreparedStatement params=2 lat:FLOAT,bin:BIGINT,value:DOUBLE"},
		{"seed.era5-file", "ClientSidePreparedStatement params=2 lat:FLOAT,bin:BIGINT,value:DOUBLE"},
		{"seed.lens", "ServerSidePreparedStatement params=0 lat:DOUBLE,bin:BIGINT,value:DOUBLE"},
	} {
		t.Run(tc.key, func(t *testing.T) {
			if got[tc.key] != tc.want {
				t.Fatalf("%s = %q, want %q\nprobe output:\n%s", tc.key, got[tc.key], tc.want, out)
			}
		})
	}
	if !strings.HasPrefix(got["version"], "8.") {
		t.Errorf("@@version = %q, want a MySQL 8 version", got["version"])
	}
	for _, tc := range []struct{ name, csv string }{
		{"era5-timestamp", "era5-small.hist.csv"},
		{"era5-string", "era5-small.hist.csv"},
		{"era5-file", "era5-small.hist.csv"},
		{"lens", "lens-small.hist.csv"},
	} {
		t.Run("rows/"+tc.name, func(t *testing.T) { checkHist(t, tc.name, seeds[tc.name], filepath.Join(corpus, tc.csv)) })
	}
}

// parseProbe splits Probe.java's output into its "key<TAB>value" facts and its seed
// rows ("row<TAB>name<TAB>lat<TAB>bin<TAB>value") by query name; it fails the test for
// each "error" line.
func parseProbe(t *testing.T, out string) (map[string]string, map[string][][3]string) {
	t.Helper()
	facts, seeds := map[string]string{}, map[string][][3]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		k, v, _ := strings.Cut(line, "\t")
		switch f := strings.Split(v, "\t"); {
		case k == "error":
			t.Errorf("probe step failed: %s", v)
		case k == "row" && len(f) == 4:
			seeds[f[0]] = append(seeds[f[0]], [3]string{f[1], f[2], f[3]})
		default:
			facts[k] = v
		}
	}
	return facts, seeds
}

// pythonProbe is what testdata/clients/sqlalchemy_probe.py prints.
type pythonProbe struct {
	Schemas []string `json:"schemas"`
	Tables  []string `json:"tables"`
	Columns []struct {
		Name, Type, Comment string
		Nullable            bool
	} `json:"columns"`
	PK    []string `json:"pk"`
	Frame struct {
		Dtypes map[string]string `json:"dtypes"`
		Rows   [][]any           `json:"rows"`
	} `json:"frame"`
	Seeds  map[string]histFrame `json:"seeds"`
	Errors map[string]string    `json:"errors"`
}

// histFrame is a seed query's pandas.DataFrame: rows of lat, bin, value.
type histFrame struct {
	Dtypes map[string]string `json:"dtypes"`
	Rows   [][3]float64      `json:"rows"`
}

// TestSQLAlchemy runs testdata/clients/sqlalchemy_probe.py: the inspector calls Superset
// makes on connect, a pandas.read_sql of cells selected by coordinates, and
// pandas.read_sql of the seed queries (ERA5 also with its time bounds as parameters).
func TestSQLAlchemy(t *testing.T) {
	if err := exec.Command(debPython, "-c", "import sqlalchemy, pymysql, pandas").Run(); err != nil {
		t.Skipf("%s cannot import sqlalchemy, pymysql, pandas (%v): install Debian python3-sqlalchemy python3-pymysql python3-pandas (bash .ci/run does)", debPython, err)
	}
	addr := startAddr(t, corpusConfig())
	out := runClient(t, "", debPython, filepath.Join("testdata", "clients", "sqlalchemy_probe.py"), addr, filepath.Join("..", "examples"))
	var got pythonProbe
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("probe output: %v\n%s", err, out)
	}
	for step, msg := range got.Errors {
		t.Errorf("probe step %s: %s", step, msg)
	}
	var cols []string
	comments := map[string]string{}
	for _, c := range got.Columns {
		cols = append(cols, c.Name+":"+c.Type)
		comments[c.Name] = c.Comment
	}
	var rows []string
	for _, r := range got.Frame.Rows {
		b, _ := json.Marshal(r)
		rows = append(rows, string(b))
	}
	for _, tc := range []struct{ name, got, want string }{
		{"schemas", strings.Join(got.Schemas, ","), "information_schema,mysql,zarrsql"},
		{"tables", strings.Join(got.Tables, ","), "catalog,datasets,era5,lens,query_stats"},
		{"columns", strings.Join(cols, ","), "time:DATETIME,latitude:FLOAT,longitude:FLOAT,tp:FLOAT"},
		{"tp comment", comments["tp"], "Total precipitation; units: m"},
		{"pk", strings.Join(got.PK, ","), ""},
		{"time dtype", got.Frame.Dtypes["time"], "datetime64[ns]"},
		{"tp dtype", got.Frame.Dtypes["tp"], "float64"},
		{"rows", strings.Join(rows, "\n"), `["1989-12-31T14:00:00",87.5,7.5,null]
["1989-12-31T14:00:00",87.5,42.5,0]
["1989-12-31T14:00:00",90,7.5,0.00017679189]
["1989-12-31T14:00:00",90,42.5,0.00028928628]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Fatalf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
	checkSeedFrames(t, got.Seeds)
}

// checkSeedFrames compares the seed queries' DataFrames with xarray's histograms.
func checkSeedFrames(t *testing.T, frames map[string]histFrame) {
	t.Helper()
	for _, tc := range []struct{ name, csv string }{
		{"era5", "era5-small.hist.csv"},
		{"era5-params", "era5-small.hist.csv"},
		{"lens", "lens-small.hist.csv"},
	} {
		t.Run("read_sql/"+tc.name, func(t *testing.T) {
			f := frames[tc.name]
			if d := f.Dtypes; d["lat"] != "float64" || d["bin"] != "int64" || d["value"] != "float64" {
				t.Errorf("dtypes %v, want lat float64, bin int64, value float64", d)
			}
			rows := make([][3]string, len(f.Rows))
			for i, r := range f.Rows {
				rows[i] = [3]string{strconv.FormatFloat(r[0], 'g', -1, 64), strconv.Itoa(int(r[1])), strconv.FormatFloat(r[2], 'g', -1, 64)}
			}
			checkHist(t, tc.name, rows, filepath.Join(corpus, tc.csv))
		})
	}
}
