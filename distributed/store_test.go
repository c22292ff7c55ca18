package distributed

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/zarrsql/zarrsql/connectors/blobstore"
	"github.com/zarrsql/zarrsql/connectors/zarr"
)

// readChunk0 reads the first chunk of tp through e, counting into rc.
func readChunk0(e *storeEntry, rc *readCounter) error {
	a := e.grp.Array("tp")
	_, err := a.ReadChunk(withReadCounter(context.Background(), rc), make([]int64, len(a.Shape)), nil)
	return err
}

// TestStoreCache: opened stores are shared by URL, bounded, closed once evicted and
// unused; failed opens are not kept; reads count into the context's counter.
func TestStoreCache(t *testing.T) {
	dir := "../planner/testdata/stores"
	urls := []string{abs(t, filepath.Join(dir, "era5-edges.zarr")), abs(t, filepath.Join(dir, "era5-nan-heavy.zarr")), abs(t, filepath.Join(dir, "era5-t7-trim.zarr"))}
	c := newStoreCache(2, blobstore.Options{}, zarr.Options{})
	ctx := context.Background()
	var rc readCounter
	a, err := c.acquire(withReadCounter(ctx, &rc), urls[0])
	if err != nil {
		t.Fatal(err)
	}
	if rc.n.Load() == 0 {
		t.Errorf("opening read no counted bytes")
	}
	for _, u := range urls[1:] {
		e, err := c.acquire(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		c.release(e)
	}
	if n := len(c.entries); n != 2 || c.entries[urls[0]] != nil || !a.evicted {
		t.Fatalf("%d entries, the first evicted %v", n, a.evicted)
	}
	before := rc.n.Load()
	if err := readChunk0(a, &rc); err != nil || rc.n.Load() <= before {
		t.Fatalf("an evicted store in use: %v, %d bytes counted", err, rc.n.Load()-before)
	}
	c.release(a)
	if err := readChunk0(a, &rc); err == nil {
		t.Errorf("an evicted store still reads after its last release")
	}
	missing := abs(t, "testdata/none.zarr")
	if _, err := c.acquire(ctx, missing); err == nil || c.entries[missing] != nil {
		t.Errorf("a missing store: %v, kept %v", err, c.entries[missing] != nil)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestStoreCacheConcurrent: concurrent fragments of a few URLs share their opens.
func TestStoreCacheConcurrent(t *testing.T) {
	urls := []string{abs(t, filepath.Join(corpus, "era5-small.zarr")), abs(t, filepath.Join(corpus, "lens-small.zarr"))}
	c := newStoreCache(1, blobstore.Options{}, zarr.Options{})
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, err := c.acquire(context.Background(), urls[i%2])
			if err == nil && e.grp == nil {
				err = errors.New("no group")
			}
			if err == nil {
				c.release(e)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestEndpoints parses --executor values.
func TestEndpoints(t *testing.T) {
	var es Endpoints
	for _, v := range []string{"gcp:us-central1=10.0.0.7:8815", "aws:us-west-2=a:1,aws:us-west-2=[::1]:2"} {
		if err := es.Set(v); err != nil {
			t.Fatal(err)
		}
	}
	if got := es.String(); got != "gcp:us-central1=10.0.0.7:8815,aws:us-west-2=a:1,aws:us-west-2=[::1]:2" {
		t.Errorf("parsed %s", got)
	}
	for _, bad := range []string{"", "gcp", "=a:1", "gcp=", "gcp=host", "gcp=host:1:2"} {
		if _, err := ParseEndpoint(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
