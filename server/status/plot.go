package status

import (
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/zarrsql/zarrsql/planner"
)

// The plot's size and margins, in pixels.
const (
	plotWidth  = 900.0
	plotHeight = 620.0
	marginL    = 78.0
	marginR    = 120.0
	marginT    = 44.0
	marginB    = 62.0
	areaW      = plotWidth - marginL - marginR
	areaH      = plotHeight - marginT - marginB
	levels     = 64  // colour levels of the heat-map
	overlap    = 0.8 // cells overlap their right and lower neighbours by this much
)

// heatmap is a histogram laid out as the seed plots it: one row per group (the
// largest coordinate at the top when groups are numbers), one column per bin on a
// log-scaled axis spanning the bin's edges, the first bin dropped.
type heatmap struct {
	h          *planner.HistResult
	rows       []int     // groups, top to bottom
	lo, hi     []float64 // edges of the bins kept
	log        bool      // log-scaled bin axis (every kept edge > 0)
	xmin, xmax float64
	vmax       float64
}

func newHeatmap(h *planner.HistResult) (*heatmap, bool) {
	bins := len(h.Edges) - 1
	if bins < 2 || len(h.Groups) == 0 {
		return nil, false
	}
	m := &heatmap{h: h, lo: h.Edges[1:bins], hi: h.Edges[2:], rows: displayOrder(h)}
	m.xmin, m.xmax = m.lo[0], m.hi[len(m.hi)-1]
	m.log = m.xmin > 0
	if !(m.xmax > m.xmin) {
		return nil, false
	}
	for _, row := range h.Mean {
		for _, v := range row[1:] {
			m.vmax = math.Max(m.vmax, v)
		}
	}
	if m.vmax == 0 {
		m.vmax = 1
	}
	return m, true
}

// displayOrder puts numeric groups in descending order of coordinate (north up).
func displayOrder(h *planner.HistResult) []int {
	n := len(h.Groups)
	rows := make([]int, n)
	flip := len(h.GroupValues) == n && n > 1 && h.GroupValues[0] < h.GroupValues[n-1]
	for i := range rows {
		rows[i] = i
		if flip {
			rows[i] = n - 1 - i
		}
	}
	return rows
}

// x is the horizontal position of bin edge v.
func (m *heatmap) x(v float64) float64 {
	if m.log {
		return marginL + areaW*(math.Log10(v)-math.Log10(m.xmin))/(math.Log10(m.xmax)-math.Log10(m.xmin))
	}
	return marginL + areaW*(v-m.xmin)/(m.xmax-m.xmin)
}

func (m *heatmap) rowHeight() float64 { return areaH / float64(len(m.rows)) }

// level is the colour level of mean v.
func (m *heatmap) level(v float64) int {
	if !(v > 0) {
		return 0
	}
	return min(levels-1, int(v/m.vmax*(levels-1)+0.5))
}

// writePlot writes the SVG plot of h.
func writePlot(w io.Writer, title string, h *planner.HistResult) error {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif" font-size="12">`+"\n",
		plotWidth, plotHeight, plotWidth, plotHeight)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%g" y="24" font-size="15" font-weight="bold">%s</text>`+"\n", marginL, html.EscapeString(title))
	if m, ok := newHeatmap(h); ok {
		m.cells(&b)
		m.xAxis(&b)
		m.yAxis(&b)
		m.colourBar(&b)
	} else {
		fmt.Fprintf(&b, `<text x="%g" y="%g">no bins to plot (the first bin is dropped)</text>`+"\n", marginL, marginT+20)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// cells draws the heat-map: one path per colour level, runs of equal level merged, in
// a nested svg that clips to the plot area. Cells overlap their right and lower
// neighbours slightly, so no seam shows.
func (m *heatmap) cells(b *strings.Builder) {
	paths := make([]strings.Builder, levels)
	rh := m.rowHeight()
	for i, g := range m.rows {
		y := marginT + float64(i)*rh
		row := m.h.Mean[g][1:]
		for k := 0; k < len(row); {
			lv, e := m.level(row[k]), k+1
			for e < len(row) && m.level(row[e]) == lv {
				e++
			}
			x0, x1 := m.x(m.lo[k]), m.x(m.hi[e-1])+overlap
			fmt.Fprintf(&paths[lv], "M%.1f %.1fh%.1fv%.1fh%.1fz", x0, y, x1-x0, rh+overlap, x0-x1)
			k = e
		}
	}
	fmt.Fprintf(b, `<svg x="%g" y="%g" width="%g" height="%g" viewBox="%g %g %g %g">`+"\n",
		marginL, marginT, areaW, areaH, marginL, marginT, areaW, areaH)
	for lv := range paths {
		if paths[lv].Len() > 0 {
			fmt.Fprintf(b, `<path fill="%s" d="%s"/>`+"\n", colour(float64(lv)/(levels-1)), paths[lv].String())
		}
	}
	b.WriteString("</svg>\n")
	fmt.Fprintf(b, `<rect x="%g" y="%g" width="%g" height="%g" fill="none" stroke="#333"/>`+"\n", marginL, marginT, areaW, areaH)
}

// tick is an axis tick at pos; labelled ticks are long.
type tick struct {
	pos   float64
	label string // SVG text content (may hold a tspan)
}

func (m *heatmap) xAxis(b *strings.Builder) {
	y := marginT + areaH
	for _, t := range m.xTicks() {
		n := 3.0
		if t.label != "" {
			n = 6
			fmt.Fprintf(b, `<text x="%.2f" y="%g" text-anchor="middle">%s</text>`+"\n", t.pos, y+22, t.label)
		}
		fmt.Fprintf(b, `<line x1="%.2f" y1="%g" x2="%.2f" y2="%g" stroke="#333"/>`+"\n", t.pos, y, t.pos, y+n)
	}
	scale := "log scale"
	if !m.log {
		scale = "linear scale: edges reach 0"
	}
	fmt.Fprintf(b, `<text x="%g" y="%g" text-anchor="middle">%s bin (%s, first bin dropped)</text>`+"\n",
		marginL+areaW/2, plotHeight-14, html.EscapeString(m.h.Variable), scale)
}

// xTicks are decades (labelled) and their multiples on a log axis, else round values.
func (m *heatmap) xTicks() []tick {
	if !m.log {
		return m.linearTicks(niceTicks(m.xmin, m.xmax, 6), m.x)
	}
	var out []tick
	labelled := 0
	for k := math.Floor(math.Log10(m.xmin)); k <= math.Ceil(math.Log10(m.xmax)); k++ {
		for mult := 1.0; mult < 10; mult++ {
			v := mult * math.Pow(10, k)
			if v < m.xmin*(1-1e-9) || v > m.xmax*(1+1e-9) {
				continue
			}
			t := tick{pos: m.x(v)}
			if mult == 1 {
				t.label = fmt.Sprintf(`10<tspan dy="-7" font-size="10">%s</tspan>`, strings.Replace(fmt.Sprint(k), "-", "−", 1))
				labelled++
			}
			out = append(out, t)
		}
	}
	if labelled < 2 { // less than a decade: label the ends
		out = append(out, tick{m.x(m.xmin), numText(m.xmin)}, tick{m.x(m.xmax), numText(m.xmax)})
	}
	return out
}

func (m *heatmap) linearTicks(vals []float64, pos func(float64) float64) []tick {
	out := make([]tick, len(vals))
	for i, v := range vals {
		out[i] = tick{pos(v), numText(v)}
	}
	return out
}

func (m *heatmap) yAxis(b *strings.Builder) {
	for _, t := range m.yTicks() {
		fmt.Fprintf(b, `<line x1="%g" y1="%.2f" x2="%g" y2="%.2f" stroke="#333"/>`+"\n", marginL-5, t.pos, marginL, t.pos)
		fmt.Fprintf(b, `<text x="%g" y="%.2f" text-anchor="end" dominant-baseline="middle">%s</text>`+"\n", marginL-8, t.pos, t.label)
	}
	cy := marginT + areaH/2
	fmt.Fprintf(b, `<text x="18" y="%g" text-anchor="middle" transform="rotate(-90 18 %g)">%s</text>`+"\n",
		cy, cy, html.EscapeString(m.h.GroupDim))
}

// yTicks are round coordinates at their nearest rows when groups are numbers, else
// about eight groups' labels.
func (m *heatmap) yTicks() []tick {
	rh, n := m.rowHeight(), len(m.rows)
	vals := m.h.GroupValues
	if len(vals) != len(m.h.Groups) {
		var out []tick
		step := max(1, (n+7)/8)
		for i := 0; i < n; i += step {
			out = append(out, tick{marginT + (float64(i)+0.5)*rh, html.EscapeString(truncate(m.h.Groups[m.rows[i]], 14))})
		}
		return out
	}
	lo, hi := vals[m.rows[n-1]], vals[m.rows[0]]
	var out []tick
	for _, v := range niceTicks(lo, hi, 6) {
		i := m.nearestRow(v)
		if math.Abs(vals[m.rows[i]]-v) <= math.Abs(hi-lo)/float64(n)*1.5+1e-12 {
			out = append(out, tick{marginT + (float64(i)+0.5)*rh, numText(v)})
		}
	}
	return out
}

func (m *heatmap) nearestRow(v float64) int {
	best := 0
	for i, g := range m.rows {
		if math.Abs(m.h.GroupValues[g]-v) < math.Abs(m.h.GroupValues[m.rows[best]]-v) {
			best = i
		}
	}
	return best
}

// colourBar draws the colour scale, 0 at the bottom and the largest mean at the top.
func (m *heatmap) colourBar(b *strings.Builder) {
	x := marginL + areaW + 22
	b.WriteString(`<defs><linearGradient id="cmap" x1="0" y1="1" x2="0" y2="0">`)
	for i := 0; i <= 10; i++ {
		fmt.Fprintf(b, `<stop offset="%g" stop-color="%s"/>`, float64(i)/10, colour(float64(i)/10))
	}
	b.WriteString("</linearGradient></defs>\n")
	fmt.Fprintf(b, `<rect x="%g" y="%g" width="16" height="%g" fill="url(#cmap)" stroke="#333"/>`+"\n", x, marginT, areaH)
	pos := func(v float64) float64 { return marginT + areaH*(1-v/m.vmax) }
	for _, t := range m.linearTicks(niceTicks(0, m.vmax, 5), pos) {
		fmt.Fprintf(b, `<line x1="%g" y1="%.2f" x2="%g" y2="%.2f" stroke="#333"/>`+"\n", x+16, t.pos, x+20, t.pos)
		fmt.Fprintf(b, `<text x="%g" y="%.2f" dominant-baseline="middle">%s</text>`+"\n", x+23, t.pos, t.label)
	}
	lx, cy := plotWidth-12, marginT+areaH/2
	fmt.Fprintf(b, `<text x="%g" y="%g" text-anchor="middle" transform="rotate(-90 %g %g)">mean count</text>`+"\n", lx, cy, lx, cy)
}

// niceTicks returns about n round values (multiples of 1, 2, 3 or 5 times a power of
// ten, so that latitudes go by 30) within [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	if lo > hi {
		lo, hi = hi, lo
	}
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) {
		return []float64{lo}
	}
	raw := span / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * p
	for _, s := range []float64{1, 2, 3, 5} {
		if s*p >= raw {
			step = s * p
			break
		}
	}
	var out []float64
	for k := math.Ceil(lo / step); k*step <= hi+step*1e-9; k++ {
		v, _ := strconv.ParseFloat(strconv.FormatFloat(k*step, 'g', 12, 64), 64) // 0.3, not 0.30000000000000004
		out = append(out, v)
	}
	return out
}

func numText(v float64) string {
	if v == 0 {
		return "0"
	}
	return strings.Replace(fmt.Sprintf("%.4g", v), "-", "−", 1)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// viridis is matplotlib's default colour map at ten evenly spaced points.
func viridis() [10][3]float64 {
	return [10][3]float64{{68, 1, 84}, {72, 40, 120}, {62, 73, 137}, {49, 104, 142}, {38, 130, 142},
		{31, 158, 137}, {53, 183, 121}, {110, 206, 88}, {181, 222, 43}, {253, 231, 37}}
}

// colour is the viridis colour at t in [0, 1].
func colour(t float64) string {
	c := viridis()
	t = math.Min(1, math.Max(0, t)) * float64(len(c)-1)
	i := min(int(t), len(c)-2)
	f := t - float64(i)
	var rgb [3]int
	for k := range rgb {
		rgb[k] = int(math.Round(c[i][k] + f*(c[i+1][k]-c[i][k])))
	}
	return fmt.Sprintf("#%02x%02x%02x", rgb[0], rgb[1], rgb[2])
}
