package bench

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// tolerance is the largest difference between a query value and the reference's that
// counts as equal.
const tolerance = 1e-12

// table is a query result or a CSV file: a header and rows of fields.
type table struct {
	header []string
	rows   [][]string
}

// parseTable reads lines of sep-separated fields, the first being the header.
func parseTable(text string, sep rune) (table, error) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) == 0 || lines[0] == "" {
		return table{}, fmt.Errorf("bench: result has no header")
	}
	t := table{header: strings.Split(lines[0], string(sep))}
	for i, line := range lines[1:] {
		f := strings.Split(line, string(sep))
		if len(f) != len(t.header) {
			return table{}, fmt.Errorf("bench: result line %d has %d fields, the header %d", i+2, len(f), len(t.header))
		}
		t.rows = append(t.rows, f)
	}
	return t, nil
}

// Comparison is the query's result against the reference's CSV, cell by cell.
type Comparison struct {
	Compared   int      // reference cells
	Mismatches int      // cells differing by more than the tolerance, or only in the query
	AbsentZero int      // reference cells of value 0 the query leaves out (taken as 0)
	MaxDiff    float64  // largest difference among the compared cells
	Examples   []string // the first mismatches
}

// cellKey is one (latitude, bin) cell of the histogram.
type cellKey struct {
	lat string // the latitude rounded to float32, printed with 4 decimals
	bin int
}

// compare matches query cells to the reference's (columns lat, bin, value).
func compare(query, ref table) (Comparison, error) {
	want, err := referenceCells(ref)
	if err != nil {
		return Comparison{}, err
	}
	got, err := queryCells(query)
	if err != nil {
		return Comparison{}, err
	}
	var c Comparison
	for _, k := range sortedKeys(want) {
		c.Compared++
		g, ok := got[k]
		if !ok && want[k] == 0 {
			c.AbsentZero++
			continue
		}
		c.check(k, g, want[k], ok)
	}
	for _, k := range sortedKeys(got) {
		if _, ok := want[k]; !ok {
			c.mismatch(fmt.Sprintf("lat %s bin %d: %v only in the query", k.lat, k.bin, got[k]))
		}
	}
	return c, nil
}

func (c *Comparison) check(k cellKey, got, want float64, present bool) {
	d := math.Abs(got - want)
	if math.IsNaN(got) && math.IsNaN(want) {
		d = 0
	}
	switch {
	case !present:
		c.mismatch(fmt.Sprintf("lat %s bin %d: missing in the query, reference %v", k.lat, k.bin, want))
	case !(d <= tolerance):
		c.mismatch(fmt.Sprintf("lat %s bin %d: query %v, reference %v", k.lat, k.bin, got, want))
	}
	if present && !math.IsNaN(d) {
		c.MaxDiff = max(c.MaxDiff, d)
	}
}

func (c *Comparison) mismatch(what string) {
	c.Mismatches++
	if len(c.Examples) < 5 {
		c.Examples = append(c.Examples, what)
	}
}

// referenceCells reads seed_hist.py's CSV: lat,bin,value.
func referenceCells(t table) (map[cellKey]float64, error) {
	if !slices.Equal(t.header, []string{"lat", "bin", "value"}) {
		return nil, fmt.Errorf("bench: reference columns %v, want lat, bin, value", t.header)
	}
	cells := map[cellKey]float64{}
	for _, r := range t.rows {
		lat, err := latKey(r[0])
		if err != nil {
			return nil, err
		}
		bin, err := strconv.Atoi(r[1])
		if err != nil {
			return nil, fmt.Errorf("bench: reference bin %q: %w", r[1], err)
		}
		if cells[cellKey{lat, bin}], err = number(r[2]); err != nil {
			return nil, err
		}
	}
	return cells, nil
}

// queryCells reads the query's result in either shape a histogram query may have: long
// (a latitude column, a bin column — indexes, or edges ranked in order — and the value
// last) or wide (a latitude column and one value column per bin, in bin order).
func queryCells(t table) (map[cellKey]float64, error) {
	latCol, binCol := columnLike(t.header, "lat", -1), columnLike(t.header, "bin", -1)
	if latCol < 0 || len(t.header) < 2 {
		return nil, fmt.Errorf("bench: query columns %v: no latitude column to compare by", t.header)
	}
	if binCol < 0 || binCol == latCol {
		return wideCells(t, latCol)
	}
	return longCells(t, latCol, binCol)
}

// columnLike is the first column whose lower-case name starts with (or, for "lat",
// contains) prefix, other than skip; -1 when none.
func columnLike(header []string, prefix string, skip int) int {
	for i, h := range header {
		h = strings.ToLower(h)
		if i != skip && (strings.HasPrefix(h, prefix) || prefix == "lat" && strings.Contains(h, prefix)) {
			return i
		}
	}
	return -1
}

func longCells(t table, latCol, binCol int) (map[cellKey]float64, error) {
	if len(t.header) < 3 {
		return nil, fmt.Errorf("bench: query columns %v: no value column beside latitude and bin", t.header)
	}
	valCol := len(t.header) - 1
	for valCol == latCol || valCol == binCol {
		valCol--
	}
	bins, err := binIndexes(t, binCol)
	if err != nil {
		return nil, err
	}
	cells := map[cellKey]float64{}
	for i, r := range t.rows {
		if err := addCell(cells, r[latCol], bins[i], r[valCol]); err != nil {
			return nil, err
		}
	}
	return cells, nil
}

func wideCells(t table, latCol int) (map[cellKey]float64, error) {
	cells := map[cellKey]float64{}
	for _, r := range t.rows {
		bin := 0
		for j, v := range r {
			if j == latCol {
				continue
			}
			if err := addCell(cells, r[latCol], bin, v); err != nil {
				return nil, err
			}
			bin++
		}
	}
	return cells, nil
}

func addCell(cells map[cellKey]float64, lat string, bin int, value string) error {
	k, err := latKey(lat)
	if err != nil {
		return err
	}
	v, err := number(value)
	if err != nil {
		return err
	}
	cells[cellKey{k, bin}] = v
	return nil
}

// binIndexes maps the bin column to bin numbers: integer values are the numbers; the
// seed's lower edges (0, then logspace(-5, 0, 50)) are their positions; other values
// (centres, say) are numbered by their rank among the distinct values.
func binIndexes(t table, col int) ([]int, error) {
	vals := make([]float64, len(t.rows))
	integers := true
	for i, r := range t.rows {
		v, err := number(r[col])
		if err != nil {
			return nil, err
		}
		vals[i] = v
		integers = integers && v == math.Trunc(v) && !strings.ContainsAny(r[col], ".eE")
	}
	if integers {
		return truncated(vals), nil
	}
	if out, ok := edgePositions(vals); ok {
		return out, nil
	}
	return ranks(vals), nil
}

func truncated(vals []float64) []int {
	out := make([]int, len(vals))
	for i, v := range vals {
		out[i] = int(v)
	}
	return out
}

// edgePositions numbers values that are all lower edges of the seed's bins.
func edgePositions(vals []float64) ([]int, bool) {
	edges := seedEdges()
	out := make([]int, len(vals))
	for i, v := range vals {
		j := slices.IndexFunc(edges[:len(edges)-1], func(e float64) bool { return math.Abs(v-e) <= 1e-9*e })
		if j < 0 {
			return nil, false
		}
		out[i] = j
	}
	return out, true
}

func ranks(vals []float64) []int {
	distinct := slices.Compact(slices.Sorted(slices.Values(vals)))
	out := make([]int, len(vals))
	for i, v := range vals {
		out[i], _ = slices.BinarySearch(distinct, v)
	}
	return out
}

// seedEdges are the seed's 51 bin edges: 0, then 10^x for 50 x from -5 to 0.
func seedEdges() []float64 {
	edges := []float64{0}
	for i := range 50 {
		edges = append(edges, math.Pow(10, -5+5*float64(i)/49))
	}
	return edges
}

// latKey is a latitude as a key: rounded to float32 (the store's type), 4 decimals.
func latKey(s string) (string, error) {
	v, err := number(s)
	if err != nil {
		return "", err
	}
	return strconv.FormatFloat(float64(float32(v)), 'f', 4, 64), nil
}

// number parses a value as Python or the engine prints it (NULL is NaN).
func number(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "NULL" {
		return math.NaN(), nil
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "np.float64("), ")")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("bench: value %q: %w", s, err)
	}
	return v, nil
}

func sortedKeys(m map[cellKey]float64) []cellKey {
	keys := make([]cellKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b cellKey) int {
		if c := strings.Compare(a.lat, b.lat); c != 0 {
			return c
		}
		return a.bin - b.bin
	})
	return keys
}
