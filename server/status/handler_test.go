package status

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dolthub/go-mysql-server/sql"
)

func get(t *testing.T, h http.Handler, path string, header ...string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAPIStatus: the JSON holds the running plan with its estimates, the executor,
// the connections and the recent plans, the latest histogram's plot URL first.
func TestAPIStatus(t *testing.T) {
	src := newFakeSource()
	h := &handler{src: src, now: func() time.Time { return src.started.Add(6 * time.Second) }}
	var st Status
	w := httptest.NewRecorder()
	h.serveAPI(w, httptest.NewRequest(http.MethodGet, "/api/status", nil))
	if err := json.Unmarshal(w.Body.Bytes(), &st); err != nil {
		t.Fatalf("%v\n%s", err, w.Body)
	}
	r := st.Running[0]
	if len(st.Running) != 1 || r.Conn != 12 || r.User != "root" || r.ChunksDone != 3 || r.Chunks != 12 || r.Percent != 25 ||
		r.Elapsed != 6 || r.Remaining == nil || *r.Remaining != 18 || r.BytesRead != r.Bytes/4 || r.Region != "local" {
		t.Errorf("running = %+v", st.Running)
	}
	if len(st.Executors) != 1 || st.Executors[0] != (Executor{"in-process executor", "local", 1}) {
		t.Errorf("executors = %+v", st.Executors)
	}
	if len(st.Recent) != 2 || st.Plot == nil || st.Plot.PlotURL != "plot/7.svg" || st.Plot.Groups != 721 || st.Plot.Bins != 50 ||
		st.Recent[1].Error == "" || st.Recent[1].PlotURL != "" {
		t.Errorf("recent = %+v, plot = %+v", st.Recent, st.Plot)
	}
	if len(st.Processes) != 1 || !strings.Contains(st.Processes[0].State, "3/12 partitions") {
		t.Errorf("processes = %+v", st.Processes)
	}
}

// TestRoutes: the page and its live part, the plots (cached by ETag) and what is not
// there.
func TestRoutes(t *testing.T) {
	h := New(newFakeSource())
	for _, c := range []struct {
		path, etag string
		code       int
		ctype      string
		has, lacks []string
	}{
		{"/", "", 200, "text/html", []string{"<html", "<progress value=\"3\" max=\"12\">", "3 of 12", "in-process executor",
			"region local", `src="plot/7.svg"`, "read chunk tp/12.0.0: context canceled", ">WITH tp_6hr AS (SELECT COARSEN", "setInterval"}, nil},
		{"/?live=1", "", 200, "text/html", []string{"<table id=\"running\">", "4 of 12", "33%"}, []string{"<html", "<script"}},
		{"/plot/7.svg", "", 200, "image/svg+xml", []string{"<svg", "latitude"}, nil},
		{"/plot/7.svg", "if-none-match", 304, "", nil, nil},
		{"/plot/6.svg", "", 404, "", nil, nil},
		{"/plot/7.png", "", 404, "", nil, nil},
		{"/nothing", "", 404, "", nil, nil},
	} {
		t.Run(c.path, func(t *testing.T) {
			var header []string
			if c.etag != "" {
				header = []string{"If-None-Match", get(t, h, c.path).Header.Get("ETag")}
			}
			resp := get(t, h, c.path, header...)
			b := body(t, resp)
			if resp.StatusCode != c.code || !strings.HasPrefix(resp.Header.Get("Content-Type"), c.ctype) {
				t.Fatalf("%s: %d %s", c.path, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			for _, s := range c.has {
				if !strings.Contains(b, s) {
					t.Errorf("%s lacks %q", c.path, s)
				}
			}
			for _, s := range c.lacks {
				if strings.Contains(b, s) {
					t.Errorf("%s holds %q", c.path, s)
				}
			}
		})
	}
}

// TestUnderPrefix: mounted under a path, the page's links still resolve.
func TestUnderPrefix(t *testing.T) {
	h := http.StripPrefix("/status", New(newFakeSource()))
	page := body(t, get(t, h, "/status/"))
	if !strings.Contains(page, `src="plot/7.svg"`) || !strings.Contains(page, `href="api/status"`) {
		t.Fatalf("page links are not relative:\n%s", page)
	}
	for _, path := range []string{"/status/plot/7.svg", "/status/api/status", "/status/?live=1"} {
		if code := get(t, h, path).StatusCode; code != http.StatusOK {
			t.Errorf("%s: %d", path, code)
		}
	}
}

// TestStateOf: the process list's progress on one line.
func TestStateOf(t *testing.T) {
	tp := sql.NewTableProgress("era5", 4)
	tp.Done = 1
	tp.PartitionsProgress["tp cells read"] = sql.PartitionProgress{Progress: sql.Progress{Name: "tp cells read", Done: 5, Total: 20}}
	for _, c := range []struct {
		p    sql.Process
		want string
	}{
		{sql.Process{Command: sql.ProcessCommandQuery, Progress: map[string]sql.TableProgress{"era5": tp}},
			"era5 (1/4 partitions) [tp cells read (5/20 rows)]"},
		{sql.Process{Command: sql.ProcessCommandQuery, Progress: map[string]sql.TableProgress{"b": sql.NewTableProgress("b", -1),
			"a": sql.NewTableProgress("a", 2)}}, "a (0/2 partitions); b (0/? partitions)"},
		{sql.Process{Command: sql.ProcessCommandQuery}, "running"},
		{sql.Process{Command: sql.ProcessCommandSleep}, ""},
	} {
		if got := stateOf(c.p); got != c.want {
			t.Errorf("stateOf = %q, want %q", got, c.want)
		}
	}
}

func TestTexts(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{thousands(1234567), "1\u2009234\u2009567"},
		{thousands(-123456), "-123\u2009456"},
		{thousands(12), "12"},
		{bytesText(1023), "1023 B"},
		{bytesText(5213952), "5.0 MiB"},
		{bytesText(1 << 40), "1.0 TiB"},
		{secondsText(18.04), "18s"},
		{secondsText(0.1234), "100ms"},
		{shortQuery("-- c\n  SELECT a,\n\tb -- x\nFROM t", 100), "SELECT a, b -- x FROM t"},
		{shortQuery("SELECT 123456", 8), "SELECT …"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
