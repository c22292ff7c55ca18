package planner

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/transform"
	"github.com/zarrsql/zarrsql/connectors/blobstore"
	"github.com/zarrsql/zarrsql/connectors/zarr"
)

// jsonRunner runs fragments as an executor would: each one travels as JSON, the store
// is opened from its URL, and histogram partials come back as JSON.
type jsonRunner struct {
	t     *testing.T
	mu    sync.Mutex
	frags []Fragment
}

func (r *jsonRunner) Run(ctx context.Context, frags []Fragment) ([]*Partial, error) {
	var out []*Partial
	for _, f := range frags {
		b, err := json.Marshal(f)
		if err != nil {
			return nil, err
		}
		var g Fragment
		if err := json.Unmarshal(b, &g); err != nil {
			return nil, err
		}
		r.mu.Lock()
		r.frags = append(r.frags, g)
		r.mu.Unlock()
		p, err := runOne(ctx, g)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func runOne(ctx context.Context, f Fragment) (*Partial, error) {
	st, err := blobstore.Open(ctx, f.URL, blobstore.Options{})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	grp, err := zarr.Open(ctx, st, zarr.Options{})
	if err != nil {
		return nil, err
	}
	p, err := RunFragment(ctx, f, grp.Array(f.Variable), 2)
	if err != nil || p.Hist == nil {
		return p, err
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var q Partial
	return &q, json.Unmarshal(b, &q)
}

// TestFragmentsAgree runs every array-path query as fragments of one chunk (the most
// slabs, windows straddling every cut) and checks the rows equal the in-process run.
func TestFragmentsAgree(t *testing.T) {
	whole := newEngine(t, false, corpusStores())
	frag := newEngine(t, false, corpusStores())
	r := &jsonRunner{t: t}
	frag.opts(func(o *Options) { o.Runner, o.FragmentChunks = r, 1 })
	for _, c := range planQueries {
		if !c.array {
			continue
		}
		a, b := whole.mustQuery(whole.text(c.q)), frag.mustQuery(frag.text(c.q))
		if msg := diffRows(a, b); msg != "" {
			t.Errorf("%s: fragments differ from the whole plan: %s", c.name, msg)
		}
	}
	if len(r.frags) < 10 {
		t.Fatalf("only %d fragments ran", len(r.frags))
	}
}

// TestFragmentCuts checks slabs start at chunk boundaries, or at the next window
// boundary when coarsening, and cover the selection.
func TestFragmentCuts(t *testing.T) {
	e := newEngine(t, false, corpusStores())
	ctx := newCtx()
	n, err := e.e.AnalyzeQuery(ctx, example(t, "era5_histogram.sql"))
	if err != nil {
		t.Fatal(err)
	}
	var p *Plan
	transform.Inspect(replaceTopDown(ctx, n, new(bool)), func(n sql.Node) bool {
		if a, ok := n.(*ArrayNode); ok {
			p = a.Plan
		}
		return true
	})
	if p == nil {
		t.Fatal("no array plan")
	}
	var got []string
	for _, f := range p.Fragments(1) {
		got = append(got, fmt.Sprintf("[%d:%d]%s", f.Start[0], f.Stop[0], f.Coarsen.Boundary))
	}
	// selection time[10:100], chunks of 31, windows of 6 from 10: cuts at 34 (31 -> next
	// window boundary), 64 (62 -> 64), 94 (93 -> 94)
	want := "[10:34]exact [34:64]exact [64:94]exact [94:100]trim"
	if strings.Join(got, " ") != want {
		t.Fatalf("slabs %q, want %q", strings.Join(got, " "), want)
	}
}
