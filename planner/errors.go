package planner

import errors "gopkg.in/src-d/go-errors.v1"

// ErrTooManyGroups: an array plan would hold more partial aggregates than
// Options.MaxGroups (arguments: table, groups, cap).
var ErrTooManyGroups = errors.NewKind("the array plan over %s would hold %d groups of partial aggregates, over the cap of %d: " +
	"group by fewer dimensions or narrow the selection, or raise the cap with --max-groups")

// groups returns how many partial aggregates the plan holds: groups times bins.
func (p *Plan) groups() int64 {
	n := int64(1)
	for _, d := range p.Group {
		n *= int64(p.counts()[d])
	}
	if p.Hist != nil {
		n *= int64(p.Hist.Edges.Bins())
	}
	return n
}
