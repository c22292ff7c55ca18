package distributed

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zarrsql/zarrsql/planner"
)

// zarrsqlBinary returns the zarrsql command: $ZARRSQL_BIN, else built into a temporary
// directory.
func zarrsqlBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("ZARRSQL_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "zarrsql")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/zarrsql")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build cmd/zarrsql, skipping the end-to-end test: %v\n%s", err, out)
	}
	return bin
}

// process is a `zarrsql executor` process.
type process struct {
	once   sync.Once
	cmd    *exec.Cmd
	addr   string
	region string
}

var servingAddr = regexp.MustCompile(`addr"?[=:]"?([0-9.]+:[0-9]+)`)

// startProcess runs `zarrsql executor` on a free loopback port and waits until it
// serves; it is killed when the test ends.
func startProcess(t *testing.T, bin, region string) *process {
	t.Helper()
	cmd := exec.Command(bin, "executor", "--listen", "127.0.0.1:0", "--region", region, "--workers", "1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, region: region}
	t.Cleanup(func() { p.kill() })
	addr := make(chan string, 1)
	var log syncBuilder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			log.add(line)
			if m := servingAddr.FindStringSubmatch(line); m != nil && strings.Contains(line, "executor serving") {
				addr <- m[1]
				break
			}
		}
		close(addr)
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			_ = cmd.Wait()
			if strings.Contains(log.String(), "unknown command") {
				t.Skipf("this zarrsql has no executor command yet (cmd/zarrsql/main.go lacks its dispatch line): %s", log.String())
			}
			t.Fatalf("zarrsql executor exited: %s", log.String())
		}
		p.addr = a
	case <-time.After(20 * time.Second):
		t.Fatalf("zarrsql executor did not start: %s", log.String())
	}
	return p
}

// syncBuilder collects lines from one goroutine for another.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) add(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.WriteString(line + "\n")
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// kill kills the process (SIGKILL: a crash) and reaps it, once.
func (p *process) kill() {
	p.once.Do(func() {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	})
}

func (p *process) endpoint() Endpoint { return Endpoint{Region: p.region, Addr: p.addr} }

// TestEndToEndProcesses runs the two seed queries at once through real executor
// processes on loopback (two in GCP, one in AWS) and an in-process coordinator; then
// kills one GCP executor, and then the AWS one.
func TestEndToEndProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs zarrsql processes")
	}
	bin := zarrsqlBinary(t)
	ga, gb, aw := startProcess(t, bin, gcp), startProcess(t, bin, gcp), startProcess(t, bin, aws)
	want := reference(t)
	p, err := NewPool(PoolOptions{Executors: []Endpoint{ga.endpoint(), gb.endpoint(), aw.endpoint()},
		BackoffBase: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond, StallTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	if err := p.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{Runner: p}
	e := newEngine(t, seedDatasets(t), planner.Options{Runner: rec, FragmentChunks: 1})
	got := runSeeds(t, e, p)
	sameRows(t, "era5", got.era5, want.era5)
	sameRows(t, "lens", got.lens, want.lens)
	onlyIn(t, "era5", got.era5S, gcp)
	onlyIn(t, "lens", got.lensS, aws)
	checkPlacement(t, "lens", got.lensS, rec.byDataset()["lens"], aw.addr, aws)

	rec.mu.Lock()
	rec.onRun = func(frags []planner.Fragment) {
		if frags[0].Dataset == "era5" {
			go ga.kill() // while the fragments go out
		}
	}
	rec.mu.Unlock()
	got = runSeeds(t, e, p)
	sameRows(t, "era5 with a GCP executor killed during the query", got.era5, want.era5)
	sameRows(t, "lens, meanwhile", got.lens, want.lens)
	s := got.era5S
	if n := s.Executors[ga.addr].Fragments + s.Executors[gb.addr].Fragments; n != s.Fragments || n != rec.byDataset()["era5"]/2 {
		t.Errorf("era5 with a kill: %d fragments accepted of %d: %+v", s.Fragments, rec.byDataset()["era5"]/2, s.Executors)
	}
	t.Logf("era5 with a GCP executor killed: %d fragments, %d attempts, on %+v", s.Fragments, s.Attempts, s.Executors)
	aw.kill()
	start := time.Now()
	_, err = e.query(context.Background(), example(t, "lens_histogram.sql"))
	if err == nil || !strings.Contains(err.Error(), aws) {
		t.Fatalf("lens without its executors: %v", err)
	}
	t.Logf("lens without its executors, after %v: %v", time.Since(start).Round(time.Millisecond), err)
}

// onlyIn checks that every fragment of a query ran in region.
func onlyIn(t *testing.T, name string, st QueryStats, region string) {
	t.Helper()
	for addr, x := range st.Executors {
		if x.Region != region && x.Fragments > 0 {
			t.Errorf("%s: %d fragments ran on %s in %s", name, x.Fragments, addr, x.Region)
		}
	}
	if len(st.BytesSent) != 1 || st.BytesSent[region] == 0 {
		t.Errorf("%s: bytes sent by region %v, want only %s", name, st.BytesSent, region)
	}
}
