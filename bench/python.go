package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// numcodecsScript decodes every chunk file of a Zarr v2 array directory with numcodecs'
// C-blosc into one reused buffer, the best of REPEAT passes, and prints the time as JSON.
// Each pass reads the files too, as (b) does.
const numcodecsScript = `
import json, os, sys, time
import numcodecs.blosc as nb
import numpy as np

tp, threads, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(os.path.join(tp, ".zarray")) as f:
    meta = json.load(f)
nbytes = int(np.prod(meta["chunks"])) * np.dtype(meta["dtype"]).itemsize
names = sorted(n for n in os.listdir(tp) if not n.startswith("."))
nb.set_nthreads(threads)
nb.use_threads = True
out = np.empty(nbytes, dtype="u1")
best = None
for _ in range(repeat):
    t0 = time.perf_counter()
    for n in names:
        with open(os.path.join(tp, n), "rb") as f:
            nb.decompress(f.read(), out)
    t = time.perf_counter() - t0
    best = t if best is None else min(best, t)
with open("/proc/self/status") as f:
    hwm = [int(l.split()[1]) << 10 for l in f if l.startswith("VmHWM:")]
print(json.dumps({"seconds": best, "chunks": len(names), "blosc": nb.VERSION_STRING, "peak_rss": (hwm or [0])[0]}))
`

// seedWrapper runs the script named by its first argument as __main__ with the remaining
// arguments, then prints the process's peak RSS (VmHWM, bytes) as "peak_rss=N". The
// child's ru_maxrss would not do: Linux carries the Go parent's peak into it through
// exec.
const seedWrapper = `
import os, runpy, sys
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    try:
        with open("/proc/self/status") as f:
            print("peak_rss=%d" % [int(l.split()[1]) << 10 for l in f if l.startswith("VmHWM:")][0])
    except (OSError, IndexError):
        pass
    sys.stdout.flush()
`

// measureCBlosc is (c): numcodecs' C-blosc decoding the chunk files of tp in one Python
// process with o.Workers blosc threads.
func measureCBlosc(ctx context.Context, o Options, st Store) Measure {
	m := Measure{Label: "(c) C-blosc decode only", Detail: fmt.Sprintf("numcodecs, 1 process, blosc.set_nthreads(%d)", o.Workers)}
	if why := missingModules(ctx, o.Python, "numcodecs.blosc", "numpy"); why != "" {
		m.Skipped = why
		return m
	}
	out, err := runPython(ctx, o.Python, numcodecsScript, "-", filepath.Join(st.Path, "tp"),
		strconv.Itoa(o.Workers), strconv.Itoa(o.Repeat))
	if err != nil {
		m.Err = err
		return m
	}
	var res struct {
		Seconds float64 `json:"seconds"`
		Chunks  int     `json:"chunks"`
		Blosc   string  `json:"blosc"`
		PeakRSS int64   `json:"peak_rss"`
	}
	if err := json.Unmarshal([]byte(lastLine(out)), &res); err != nil {
		m.Err = fmt.Errorf("bench: numcodecs script output %q: %w", out, err)
		return m
	}
	if res.Chunks != st.Chunks {
		m.Err = fmt.Errorf("bench: numcodecs decoded %d chunks, the store has %d", res.Chunks, st.Chunks)
	}
	m.Seconds, m.PeakRSS, m.Detail = res.Seconds, res.PeakRSS, m.Detail+", c-blosc "+res.Blosc
	return m
}

// secondsRE finds the time seed_hist.py prints; peakRE the wrapper's peak RSS.
const (
	secondsRE = `seconds=([0-9.]+)`
	peakRE    = `peak_rss=([0-9]+)`
)

// measureXarray is (d): the seed's computation with xarray + dask through the reference
// script, which writes its result as CSV. The time is the script's own (opening the
// store and computing, not starting Python); the CSV is returned for comparison.
func measureXarray(ctx context.Context, o Options, st Store) (Measure, table) {
	m := Measure{Label: "(d) xarray + dask", Detail: fmt.Sprintf("seed_hist.py --workers %d (its own seconds: open + compute)", o.Workers)}
	script := filepath.Join(o.ReferenceDir, "seed_hist.py")
	if _, err := os.Stat(script); err != nil {
		m.Skipped = fmt.Sprintf("no %s (--reference-dir)", script)
		return m, table{}
	}
	if why := missingModules(ctx, o.Python, "xarray", "dask", "zarr"); why != "" {
		m.Skipped = why
		return m, table{}
	}
	tmp, err := os.MkdirTemp("", "zarrsql-bench-")
	if err != nil {
		m.Err = fmt.Errorf("bench: %w", err)
		return m, table{}
	}
	defer os.RemoveAll(tmp)
	csv := filepath.Join(tmp, "seed_hist.csv")
	args := []string{"-", script, "era5", st.Path, csv, "--start", seedStart, "--end", seedEnd, "--workers", strconv.Itoa(o.Workers)}
	var wall float64
	for i := range o.Repeat {
		secs, w, err := runSeedHist(ctx, o.Python, args, &m.PeakRSS)
		if err != nil {
			m.Err = err
			return m, table{}
		}
		if i == 0 || secs < m.Seconds {
			m.Seconds, wall = secs, w
		}
	}
	m.Detail += fmt.Sprintf("; wall with Python's start %.2f s", wall)
	ref, err := readCSV(csv)
	m.Err = err
	return m, ref
}

// runSeedHist runs the reference script once: its own seconds, the wall time, and its
// peak RSS folded into *peak.
func runSeedHist(ctx context.Context, python string, args []string, peak *int64) (secs, wall float64, err error) {
	start := time.Now()
	out, err := runPython(ctx, python, seedWrapper, args...)
	wall = time.Since(start).Seconds()
	if err != nil {
		return 0, 0, err
	}
	if m := regexp.MustCompile(peakRE).FindStringSubmatch(out); m != nil {
		rss, _ := strconv.ParseInt(m[1], 10, 64)
		*peak = max(*peak, rss)
	}
	match := regexp.MustCompile(secondsRE).FindStringSubmatch(out)
	if match == nil {
		return 0, 0, fmt.Errorf("bench: seed_hist.py printed no seconds: %q", out)
	}
	secs, err = strconv.ParseFloat(match[1], 64)
	return secs, wall, err
}

func readCSV(path string) (table, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return table{}, fmt.Errorf("bench: read reference result: %w", err)
	}
	return parseTable(string(b), ',')
}

// missingModules says why python cannot import the modules, or "" when it can.
func missingModules(ctx context.Context, python string, modules ...string) string {
	code := "import " + strings.Join(modules, ", ")
	if _, err := runPython(ctx, python, "", "-c", code); err != nil {
		return fmt.Sprintf("%s cannot %s: %v", python, code, firstLine(err.Error()))
	}
	return ""
}

// runPython runs python with args (and stdin, when not empty) and returns its standard
// output. An error carries the end of its standard error.
func runPython(ctx context.Context, python, stdin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, python, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		err = fmt.Errorf("%w: %s", err, lastLine(stderr.String()))
	}
	if err != nil {
		return "", fmt.Errorf("bench: run %s: %w", python, err)
	}
	return stdout.String(), nil
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	return s[strings.LastIndex(s, "\n")+1:]
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
