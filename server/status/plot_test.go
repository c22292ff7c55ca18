package status

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/zarrsql/zarrsql/planner"
)

// svgInfo is what a test reads back from a plot.
type svgInfo struct {
	texts    []string           // text content of every <text>, tspans included
	textY    map[string]float64 // y of each text
	cellMinX float64            // leftmost heat-map cell
	cellMaxY float64            // lowest heat-map cell bottom
	fills    []string           // heat-map path colours
	segments int                // heat-map rectangles
}

// readSVG parses a plot (it must be well-formed XML) and collects svgInfo.
func readSVG(t *testing.T, svg string) svgInfo {
	t.Helper()
	info := svgInfo{cellMinX: math.Inf(1), textY: map[string]float64{}}
	var y float64
	d := xml.NewDecoder(strings.NewReader(svg))
	var text *strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return info
		}
		if err != nil {
			t.Fatalf("plot is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local == "text" {
				text, y = &strings.Builder{}, attrFloat(tok, "y")
			}
			if tok.Name.Local == "path" {
				info.addPath(tok)
			}
		case xml.CharData:
			if text != nil {
				text.Write(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "text" {
				info.texts = append(info.texts, text.String())
				info.textY[text.String()] = y
				text = nil
			}
		}
	}
}

func attrFloat(e xml.StartElement, name string) float64 {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			v, _ := strconv.ParseFloat(a.Value, 64)
			return v
		}
	}
	return math.NaN()
}

// northUp reports whether latitude 90's label is above -90's.
func (s svgInfo) northUp() bool { return s.textY["90"] < s.textY["−90"] }

func (s *svgInfo) addPath(e xml.StartElement) {
	for _, a := range e.Attr {
		switch a.Name.Local {
		case "fill":
			s.fills = append(s.fills, a.Value)
		case "d":
			cell := regexp.MustCompile(`M([0-9.]+) ([0-9.]+)h[0-9.]+v([0-9.]+)`)
			for _, m := range cell.FindAllStringSubmatch(a.Value, -1) {
				x, _ := strconv.ParseFloat(m[1], 64)
				y, _ := strconv.ParseFloat(m[2], 64)
				h, _ := strconv.ParseFloat(m[3], 64)
				s.cellMinX, s.cellMaxY = math.Min(s.cellMinX, x), math.Max(s.cellMaxY, y+h)
				s.segments++
			}
		}
	}
}

func plotOf(t *testing.T, h *planner.HistResult) (string, svgInfo) {
	t.Helper()
	var b strings.Builder
	if err := writePlot(&b, "era5.tp <test>", h); err != nil {
		t.Fatal(err)
	}
	return b.String(), readSVG(t, b.String())
}

// TestPlotSeed: the seed's plot of 721 latitudes x 50 bins: the first bin dropped (its
// large counts neither drawn nor in the colour scale), decades labelled on the bin axis,
// latitudes from 90 at the top to -90, a colour bar.
func TestPlotSeed(t *testing.T) {
	svg, info := plotOf(t, era5LikeHist(721))
	t.Logf("721 x 50 plot: %d bytes, %d cells in %d colours", len(svg), info.segments, len(info.fills))
	if len(svg) > 1<<20 {
		t.Errorf("plot is %d bytes", len(svg))
	}
	if math.Abs(info.cellMinX-marginL) > 0.05 || math.Abs(info.cellMaxY-(marginT+areaH+overlap)) > 0.1 {
		t.Errorf("cells span x from %v (want %v, the second bin's lower edge), y to %v", info.cellMinX, marginL, info.cellMaxY)
	}
	for _, want := range []string{"10−5", "10−3", "100", "90", "0", "−90", "latitude", "mean count", "era5.tp <test>",
		"tp bin (log scale, first bin dropped)", "400"} {
		if !slices.Contains(info.texts, want) {
			t.Errorf("no text %q in %q", want, info.texts)
		}
	}
	if slices.Contains(info.texts, "900") || len(info.fills) < 20 {
		t.Errorf("colour scale includes the dropped bin or has few colours: %q, %d colours", info.texts, len(info.fills))
	}
	if !info.northUp() {
		t.Errorf("latitude 90 is not above -90: %v", info.textY)
	}
}

// TestPlotShapes: other groupings and edges still give a readable plot.
func TestPlotShapes(t *testing.T) {
	lens := era5LikeHist(192)
	slices.Reverse(lens.Groups)
	slices.Reverse(lens.GroupValues)
	slices.Reverse(lens.Mean)
	linear := era5LikeHist(3)
	linear.Edges = []float64{-2, -1, 0, 1}
	for i := range linear.Mean {
		linear.Mean[i] = linear.Mean[i][:3]
	}
	times := era5LikeHist(20)
	times.GroupDim, times.GroupValues = "time", nil
	for i := range times.Groups {
		times.Groups[i] = "1990-01-01 02:30:00"
	}
	oneBin := &planner.HistResult{GroupDim: "lat", Edges: []float64{0, 1}, Groups: []string{"0"}, Mean: [][]float64{{3}}}
	for _, c := range []struct {
		name string
		h    *planner.HistResult
		want []string
	}{
		{"lens ascending latitudes", lens, []string{"90", "−90", "10−5"}},
		{"edges reaching 0", linear, []string{"tp bin (linear scale: edges reach 0, first bin dropped)", "0", "1"}},
		{"time groups", times, []string{"1990-01-01 02…", "time"}},
		{"one bin", oneBin, []string{"no bins to plot (the first bin is dropped)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, info := plotOf(t, c.h)
			for _, want := range c.want {
				if !slices.Contains(info.texts, want) {
					t.Errorf("no text %q in %q", want, info.texts)
				}
			}
			if c.name == "lens ascending latitudes" && !info.northUp() {
				t.Errorf("latitude 90 is not above -90: %v", info.textY)
			}
		})
	}
}

func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{-90, 90, 6, []float64{-90, -60, -30, 0, 30, 60, 90}},
		{0, 500, 5, []float64{0, 100, 200, 300, 400, 500}},
		{0, 1.37, 5, []float64{0, 0.3, 0.6, 0.9, 1.2}},
		{90, -90, 6, []float64{-90, -60, -30, 0, 30, 60, 90}},
		{3, 3, 5, []float64{3}},
	} {
		if got := niceTicks(c.lo, c.hi, c.n); !slices.Equal(got, c.want) {
			t.Errorf("niceTicks(%v, %v, %d) = %v, want %v", c.lo, c.hi, c.n, got, c.want)
		}
	}
}
