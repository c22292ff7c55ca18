package status

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/zarrsql/zarrsql/planner"
)

// Source is what the status page shows.
type Source interface {
	// Running returns the progress of the array plans running, by connection id.
	Running() map[uint32]planner.ProgressSnapshot
	// Recent returns the array plans that finished last, newest first.
	Recent() []planner.Finished
	// Processes returns the connections and their queries, as SHOW PROCESSLIST does.
	Processes() []ProcessInfo
}

// ProcessInfo is one connection of the process list.
type ProcessInfo struct {
	ID      uint32 `json:"id"`
	User    string `json:"user"`
	Host    string `json:"host"`
	DB      string `json:"db"`
	Command string `json:"command"`
	Seconds int64  `json:"time"` // since the query began, or the connection last changed state
	Query   string `json:"info"`
	State   string `json:"state"`
}

// NewSource reads the planner's progress and GMS's process list (sqle.Engine.ProcessList).
func NewSource(b *planner.Builder, pl sql.ProcessList) Source {
	return engineSource{b: b, pl: pl}
}

type engineSource struct {
	b  *planner.Builder
	pl sql.ProcessList
}

func (s engineSource) Running() map[uint32]planner.ProgressSnapshot { return s.b.Running() }
func (s engineSource) Recent() []planner.Finished                   { return s.b.Recent() }

func (s engineSource) Processes() []ProcessInfo {
	procs := s.pl.Processes()
	out := make([]ProcessInfo, len(procs))
	for i, p := range procs {
		out[i] = ProcessInfo{ID: p.Connection, User: p.User, Host: p.Host, DB: p.Database,
			Command: string(p.Command), Seconds: int64(p.Seconds()), Query: p.Query, State: stateOf(p)}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// stateOf is SHOW PROCESSLIST's State on one line: each table's partitions done of
// total (an array plan's chunks), with its items in brackets.
func stateOf(p sql.Process) string {
	var parts []string
	for _, name := range sortedKeys(p.Progress) {
		tp := p.Progress[name]
		s := fmt.Sprintf("%s (%s partitions)", name, doneOf(tp.Progress))
		var items []string
		for _, item := range sortedKeys(tp.PartitionsProgress) {
			items = append(items, fmt.Sprintf("%s (%s rows)", item, doneOf(tp.PartitionsProgress[item].Progress)))
		}
		if len(items) > 0 {
			s += " [" + strings.Join(items, ", ") + "]"
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 && p.Command == sql.ProcessCommandQuery {
		return "running"
	}
	return strings.Join(parts, "; ")
}

func doneOf(p sql.Progress) string {
	if p.Total < 0 {
		return fmt.Sprintf("%d/?", p.Done)
	}
	return fmt.Sprintf("%d/%d", p.Done, p.Total)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
