package planner

import (
	"errors"

	"github.com/dolthub/vitess/go/mysql"
	"github.com/zarrsql/zarrsql/connectors/sqltable"
	"github.com/zarrsql/zarrsql/functions"
)

// MySQL error codes of the planner's errors (GMS sends 1105, "unknown error", for errors
// it does not know). The codes are MySQL's own for the same situations.
const (
	codeTooBigSelect = 1104 // ER_TOO_BIG_SELECT: examining more rows than allowed
	codeTableFull    = 1114 // ER_RECORD_FILE_FULL: a GROUP BY's temporary table is full
)

// withCode gives err the MySQL error code a client should see; other errors pass as
// they are.
func withCode(err error) error {
	var ae *functions.ArgError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		return ae.SQLError()
	case sqltable.ErrRowCellCap.Is(err):
		return mysql.NewSQLError(codeTooBigSelect, "42000", "%s", err.Error())
	case ErrTooManyGroups.Is(err):
		return mysql.NewSQLError(codeTableFull, "HY000", "%s", err.Error())
	}
	return err
}
