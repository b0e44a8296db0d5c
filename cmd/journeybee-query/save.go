package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/journeybee/steampipe-plugin-journeybee/sqlite"
	_ "github.com/mattn/go-sqlite3" // the "sqlite3" driver writes --save files
)

// runAtColumn holds, on rows saved with --append, when the run started
// (UTC, milliseconds): a scheduled job's rows accumulate as history.
const runAtColumn = "run_at"

// save runs stmt and writes its rows into the table of the SQLite file at
// --save, in one transaction: a failed query leaves the file as it was. The
// file is written through a plain SQLite connection of its own, so any
// table name works, a plugin table's name included: there it is an
// ordinary table.
func (s *session) save(ctx context.Context, db *sqlite.DB, stmt string, stdout io.Writer) error {
	path, name := s.opts.save, s.opts.saveTable
	rows, err := db.QueryContext(ctx, stmt)
	if err != nil {
		return err
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	if len(cts) == 0 {
		return fmt.Errorf("--save: the statement returns no columns to save")
	}
	columns := make([]string, len(cts))
	defs := make([]string, len(cts))
	for i, ct := range cts {
		columns[i] = ct.Name()
		defs[i] = strings.TrimSpace(quoteIdent(ct.Name()) + " " + ct.DatabaseTypeName())
	}
	if s.opts.appendRows {
		if slices.Contains(columns, runAtColumn) {
			return fmt.Errorf("--append adds a %s column, and the query already has one: rename it (select ... as other_name)", runAtColumn)
		}
		columns = append(columns, runAtColumn)
		defs = append(defs, quoteIdent(runAtColumn)+" "+sqlite.TypeTimestamp)
	}

	file, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		return fmt.Errorf("--save %s: %w", path, err)
	}
	defer file.Close()
	tx, err := file.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("--save %s: %w", path, err)
	}
	defer tx.Rollback()
	target := quoteIdent(name)
	if s.opts.appendRows {
		if _, err := tx.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+target+" ("+strings.Join(defs, ", ")+")"); err != nil {
			return fmt.Errorf("--save %s: %w", path, err)
		}
		if err := hasColumns(ctx, tx, name, columns); err != nil {
			return fmt.Errorf("--append to table %s in %s: %w", name, path, err)
		}
	} else {
		if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+target); err != nil {
			return fmt.Errorf("--save %s: %w", path, err)
		}
		if _, err := tx.ExecContext(ctx, "CREATE TABLE "+target+" ("+strings.Join(defs, ", ")+")"); err != nil {
			return fmt.Errorf("--save %s: %w", path, err)
		}
	}
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = quoteIdent(c)
	}
	insert, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", target, strings.Join(quoted, ", "), strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ")))
	if err != nil {
		return fmt.Errorf("--save %s: %w", path, err)
	}
	defer insert.Close()
	r := &result{rows: rows, names: columns[:len(cts)]}
	runAt := sqlite.TimeText(runStart)
	var n int64
	err = r.each(func(vals []any) error {
		if s.opts.appendRows {
			vals = append(vals, runAt)
		}
		n++
		_, err := insert.ExecContext(ctx, vals...)
		return err
	})
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("--save %s: %w", path, err)
	}
	verb := "saved"
	if s.opts.appendRows {
		verb = "appended"
	}
	fmt.Fprintf(stdout, "%s %d %s to table %s in %s\n", verb, n, plural(n, "row"), name, path)
	return nil
}

// hasColumns checks that an existing table can take the rows.
func hasColumns(ctx context.Context, tx *sql.Tx, table string, columns []string) error {
	rows, err := tx.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", table)
	if err != nil {
		return err
	}
	defer rows.Close()
	var have []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		have = append(have, name)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range columns {
		if !slices.Contains(have, c) {
			return fmt.Errorf("the table has no column %s (it has %s): save to a new table (--save-table) or file", c, strings.Join(have, ", "))
		}
	}
	return nil
}

func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func plural(n int64, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
