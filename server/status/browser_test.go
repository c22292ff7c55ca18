package status

import (
	"bytes"
	"context"
	"flag"
	"image"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "write the page's screenshots to testdata/")

// browser is headless Chromium (Debian's chromium package).
type browser struct {
	t   *testing.T
	bin string
}

func newBrowser(t *testing.T) *browser {
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not on PATH: the browser tests need Debian's chromium package (apt-get install chromium)")
	}
	return &browser{t: t, bin: bin}
}

// run runs chromium on url with args and returns its standard output. Chromium's
// helper processes share its process group, which is killed on a timeout.
func (b *browser) run(url string, args ...string) []byte {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args = append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--user-data-dir=" + b.t.TempDir()}, append(args, url)...)
	cmd := exec.CommandContext(ctx, b.bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		b.t.Fatalf("chromium %s: %v\n%s", url, err, stderr.String())
	}
	return out.Bytes()
}

// dom returns the page's DOM once loaded and after its scripts ran for budget of
// virtual time.
func (b *browser) dom(url string, budget time.Duration) string {
	b.t.Helper()
	args := []string{"--dump-dom"}
	if budget > 0 {
		args = append(args, "--virtual-time-budget="+itoa(budget.Milliseconds()))
	}
	return string(b.run(url, args...))
}

// screenshot renders url in a w x h window and returns the image; keep, when set,
// is where the PNG is copied.
func (b *browser) screenshot(url string, w, h int, keep string) image.Image {
	b.t.Helper()
	out := filepath.Join(b.t.TempDir(), "shot.png")
	// Draw every compositor stage before the capture, and let the page settle for half
	// a second of virtual time (less than its refresh period).
	b.run(url, "--screenshot="+out, "--window-size="+itoa(int64(w))+","+itoa(int64(h)),
		"--run-all-compositor-stages-before-draw", "--virtual-time-budget=500")
	data, err := os.ReadFile(out)
	if err != nil {
		b.t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		b.t.Fatalf("screenshot of %s: %v", url, err)
	}
	if keep != "" {
		if err := os.WriteFile(keep, data, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	return img
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// inked is the share of the pixels of r in img that are not white.
func inked(img image.Image, r image.Rectangle) float64 {
	r = r.Intersect(img.Bounds())
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr < 0xf000 || cg < 0xf000 || cb < 0xf000 {
				n++
			}
		}
	}
	if r.Empty() {
		return 0
	}
	return float64(n) / float64(r.Dx()*r.Dy())
}

// TestBrowserSeedQuery runs the ERA5 seed query on a real engine, its chunk reads let
// through one by one, and loads the status page in Chromium: while it runs, the page
// shows the chunks done of total moving (1 of 4, then 2 of 4) and SHOW PROCESSLIST's
// state; once done, the page shows the query among the recent ones and the seed's plot
// (its screenshot's plot area is not blank), and the plot alone renders too.
func TestBrowserSeedQuery(t *testing.T) {
	br := newBrowser(t)
	se := newSeedEngine(t)
	srv := httptest.NewServer(New(NewSource(se.b, se.e.ProcessList)))
	defer srv.Close()
	done := se.query(7, seedQuery(t))
	for chunk, want := range []string{"1 of 4", "2 of 4"} {
		se.release(1)
		se.waitChunks(7, int64(chunk+1))
		dom := br.dom(srv.URL+"/", 0)
		for _, s := range []string{want, "<progress", "era5.tp", "chunks along time", "scientist", "era5 (" + want[:1] + "/4 partitions)"} {
			if !strings.Contains(dom, s) {
				t.Errorf("page after %d chunks lacks %q:\n%s", chunk+1, s, dom)
			}
		}
	}
	br.screenshot(srv.URL+"/", 1200, 900, keep("screenshot-running.png"))
	se.release(2)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	page := br.screenshot(srv.URL+"/", 1200, 900, keep("screenshot.png"))
	if f := inked(page, image.Rect(110, 270, 795, 770)); f < 0.9 {
		t.Errorf("page screenshot: %.0f%% of the plot's area is inked", 100*f)
	}
	plot := br.screenshot(srv.URL+"/plot/1.svg", 900, 620, "")
	area := image.Rect(int(marginL)+1, int(marginT)+1, int(marginL+areaW)-1, int(marginT+areaH)-1)
	if f := inked(plot, area); f < 0.99 {
		t.Errorf("plot screenshot: %.0f%% of the heat-map is inked", 100*f)
	}
}

// keep is where a screenshot is saved with -update.
func keep(name string) string {
	if !*update {
		return ""
	}
	return filepath.Join("testdata", name)
}

// TestBrowserRefreshes: the page's script replaces the live part every second (the
// fake plan advances one chunk each time it is read).
func TestBrowserRefreshes(t *testing.T) {
	br := newBrowser(t)
	srv := httptest.NewServer(New(newFakeSource()))
	defer srv.Close()
	dom := br.dom(srv.URL+"/", 2500*time.Millisecond)
	if strings.Contains(dom, "3 of 12") || !strings.Contains(dom, " of 12") {
		t.Errorf("the page did not refresh its progress:\n%s", dom)
	}
}
