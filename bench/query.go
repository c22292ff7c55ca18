package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/zarrsql/zarrsql/server"
)

// measureQuery is (a): the SQL of o.QueryFile (or o.Query) run through a server whose
// table era5 is the store. The server is built once; every run executes all statements,
// and the result is the last statement's rows.
func measureQuery(ctx context.Context, o Options, st Store) (m Measure, res table) {
	m = Measure{Label: "(a) zarrsql query"}
	text, from, err := querySQL(o)
	if err != nil || text == "" {
		m.Err, m.Skipped = err, from
		return m, table{}
	}
	m.Detail = from
	srv, err := server.New(ctx, serverConfig(o, st), o.Log)
	if err != nil {
		m.Err = err
		return m, table{}
	}
	defer func() { m.Err = errors.Join(m.Err, srv.Close()) }()
	var out bytes.Buffer
	stmts := splitStatements(text)
	m.Seconds, m.Err = bestOf(ctx, o.Repeat, func() error { return runStatements(ctx, srv, stmts, &out) })
	if m.Err != nil {
		return m, table{}
	}
	res, m.Err = parseTable(out.String(), '\t')
	return m, res
}

// querySQL reads the SQL to run and says where it came from; empty SQL with a reason
// when there is none.
func querySQL(o Options) (text, from string, err error) {
	if o.QueryFile != "" {
		b, err := os.ReadFile(o.QueryFile)
		switch {
		case err == nil:
			return string(b), o.QueryFile, nil
		case !errors.Is(err, os.ErrNotExist):
			return "", "", fmt.Errorf("bench: read query: %w", err)
		}
	}
	if strings.TrimSpace(o.Query) != "" {
		return o.Query, "--query", nil
	}
	return "", fmt.Sprintf("no query file %q and no --query", o.QueryFile), nil
}

// serverConfig is a server with only the store, as table era5.
func serverConfig(o Options, st Store) server.Config {
	cfg := server.Defaults()
	demo := false
	cfg.Demo, cfg.Builtins = &demo, false
	cfg.Tables = []string{"era5=" + st.Path}
	cfg.DataDir = o.Dir
	if o.MaxRowCells > 0 {
		cfg.MaxRowCells = o.MaxRowCells
	}
	return cfg
}

// runStatements runs stmts in order; out holds the last one's result.
func runStatements(ctx context.Context, srv *server.Server, stmts []string, out *bytes.Buffer) error {
	for _, s := range stmts {
		out.Reset()
		if err := srv.Query(ctx, s, out); err != nil {
			return fmt.Errorf("bench: query: %w", err)
		}
	}
	return nil
}

// splitStatements splits a SQL script at semicolons that end a line, dropping pieces
// that hold only comments and blank lines. One statement without a final semicolon is
// the whole text.
func splitStatements(text string) []string {
	var stmts []string
	var cur strings.Builder
	flush := func() {
		if s := strings.TrimSpace(cur.String()); hasCode(s) {
			stmts = append(stmts, strings.TrimRight(s, "; \t\r\n"))
		}
		cur.Reset()
	}
	for _, line := range strings.Split(text, "\n") {
		cur.WriteString(line + "\n")
		if t := strings.TrimSpace(line); strings.HasSuffix(t, ";") && !isComment(t) {
			flush()
		}
	}
	flush()
	return stmts
}

// hasCode says whether a piece of SQL holds more than comments and blank lines.
func hasCode(s string) bool {
	for _, line := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(line); t != "" && !isComment(t) {
			return true
		}
	}
	return false
}

func isComment(line string) bool {
	return strings.HasPrefix(line, "--") || strings.HasPrefix(line, "#")
}
