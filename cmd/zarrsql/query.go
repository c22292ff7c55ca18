package main

import (
	"context"
	"errors"
	"flag"
	"os"

	"github.com/zarrsql/zarrsql/server"
)

// query runs one statement in-process and prints tab-separated rows.
func query(ctx context.Context, args []string) error {
	var stmt string
	cfg, log, err := setup("query", args, func(fs *flag.FlagSet) {
		fs.StringVar(&stmt, "e", "", "the SQL statement to run")
	})
	if err != nil {
		return err
	}
	if stmt == "" {
		return errors.New("query: -e SQL is required")
	}
	s, err := server.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Query(ctx, stmt, os.Stdout)
}
