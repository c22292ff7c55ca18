package server

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/zarrsql/zarrsql/connectors/catalog"
	"github.com/zarrsql/zarrsql/connectors/sqltable"
	"github.com/zarrsql/zarrsql/connectors/zarr"
)

// catalogSource is the sqltable.Source of a catalog: datasets are listed from the catalog
// on every call (so registrations show at once) and opened lazily, once, through the
// sqltable.MemSource of their region.
type catalogSource struct {
	cat  catalog.Catalog
	open *regionStores
}

func (s *catalogSource) Datasets(ctx context.Context) ([]sqltable.Dataset, error) {
	list, err := s.cat.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list catalog: %w", err)
	}
	out := make([]sqltable.Dataset, len(list))
	for i, d := range list {
		out[i] = tableDataset(d)
	}
	return out, nil
}

func tableDataset(d catalog.Dataset) sqltable.Dataset {
	return sqltable.Dataset{Name: d.Name, URL: d.URL, Region: d.Region}
}

// Open opens the named dataset's store on first use. MemSource.Add keeps the store of an
// unchanged entry and replaces it when the catalog's entry changed.
func (s *catalogSource) Open(ctx context.Context, name string) (*zarr.Group, error) {
	d, err := s.cat.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	src, err := s.open.source(d.Region)
	if err != nil {
		return nil, err
	}
	src.Add(tableDataset(d))
	return src.Open(ctx, d.Name) // sqltable names the dataset and URL in its error
}

// regionStores keeps one sqltable.MemSource per region, so that each region's object
// store reads are counted under its own label. A dataset registered anew in another
// region stays open in its old region's source until Close.
type regionStores struct {
	options func(region string) (sqltable.MemSourceOptions, error)

	mu       sync.Mutex
	byRegion map[string]*sqltable.MemSource
}

func newRegionStores(options func(region string) (sqltable.MemSourceOptions, error)) *regionStores {
	return &regionStores{options: options, byRegion: map[string]*sqltable.MemSource{}}
}

// source returns the region's MemSource, made on first use.
func (r *regionStores) source(region string) (*sqltable.MemSource, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if src, ok := r.byRegion[region]; ok {
		return src, nil
	}
	opts, err := r.options(region)
	if err != nil {
		return nil, err
	}
	src := sqltable.NewMemSource(opts)
	r.byRegion[region] = src
	return src, nil
}

// Close closes every opened store.
func (r *regionStores) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var errs []error
	for _, src := range r.byRegion {
		errs = append(errs, src.Close())
	}
	return errors.Join(errs...)
}
