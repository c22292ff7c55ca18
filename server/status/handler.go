package status

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/zarrsql/zarrsql/planner"
)

// handler serves the status page of one Source.
type handler struct {
	src  Source
	page *template.Template
	now  func() time.Time
}

// New returns the status page's handler over src. Mount it at the root of a listener,
// or under a prefix with http.StripPrefix: its links are relative.
func New(src Source) http.Handler {
	page, err := parsePage()
	if err != nil { // the page is a constant: only a broken build gets here
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		})
	}
	h := &handler{src: src, page: page, now: time.Now}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.servePage)
	mux.HandleFunc("GET /plot/{file}", h.servePlot)
	mux.HandleFunc("GET /api/status", h.serveAPI)
	return mux
}

// servePage writes the page, or with ?live=1 only its live part (what the page's
// script fetches every second).
func (h *handler) servePage(w http.ResponseWriter, r *http.Request) {
	name := "page"
	if r.URL.Query().Get("live") != "" {
		name = "live"
	}
	var b bytes.Buffer
	if err := h.page.ExecuteTemplate(&b, name, collect(h.src, h.now())); err != nil {
		http.Error(w, fmt.Sprintf("render status page: %v", err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b.Bytes())
}

func (h *handler) serveAPI(w http.ResponseWriter, _ *http.Request) {
	b, err := json.MarshalIndent(collect(h.src, h.now()), "", "  ")
	if err != nil {
		http.Error(w, fmt.Sprintf("encode status: %v", err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b)
}

// servePlot writes /plot/{n}.svg, the plot of finished histogram plan n. A plot never
// changes; its ETag lets the browser keep it.
func (h *handler) servePlot(w http.ResponseWriter, r *http.Request) {
	f, ok := h.finished(r.PathValue("file"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	etag := fmt.Sprintf(`"%d-%d"`, f.Seq, f.Progress.Started.UnixNano())
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "no-cache")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	_ = writePlot(w, plotTitle(f), f.Hist)
}

// finished returns the histogram plan that file ("{seq}.svg") names.
func (h *handler) finished(file string) (planner.Finished, bool) {
	seq, err := strconv.ParseInt(strings.TrimSuffix(file, ".svg"), 10, 64)
	if err != nil || !strings.HasSuffix(file, ".svg") {
		return planner.Finished{}, false
	}
	for _, f := range h.src.Recent() {
		if f.Seq == seq && f.Hist != nil {
			return f, true
		}
	}
	return planner.Finished{}, false
}

func plotTitle(f planner.Finished) string {
	return fmt.Sprintf("%s.%s: mean count per bin and %s (query #%d)", f.Progress.Table, f.Progress.Variable, f.Hist.GroupDim, f.Seq)
}
