package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/journeybee/steampipe-plugin-journeybee/sqlite"
)

// The output formats, named as Steampipe's --output names them where it
// has them (table, line, csv, json); markdown as go-pretty renders it.
var formatNames = []string{"table", "line", "csv", "json", "markdown"}

func validFormat(name string) bool { return slices.Contains(formatNames, name) }

// writeResult prints r in the named format.
func writeResult(w io.Writer, format string, r *result) error {
	switch format {
	case "csv":
		return writeCSV(w, r)
	case "json":
		return writeJSON(w, r)
	case "line":
		return writeLine(w, r)
	default:
		return writePretty(w, format, r)
	}
}

// formatFloat writes a number with every digit it has and no exponent, so
// a sum of money reads 8250500 (and 0.1 stays 0.1): the shortest text that
// reads back as the same float64.
func formatFloat(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// result is a query's columns, read from its rows one at a time.
type result struct {
	rows  *sql.Rows
	names []string
	types []string // declared types: sqlite.TypeJSON, sqlite.TypeBool, ...
}

func newResult(rows *sql.Rows) (*result, error) {
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	r := &result{rows: rows}
	for _, ct := range cts {
		r.names = append(r.names, ct.Name())
		r.types = append(r.types, ct.DatabaseTypeName())
	}
	return r, nil
}

// each calls fn with every row's values: nil, int64, float64, string or
// []byte.
func (r *result) each(fn func([]any) error) error {
	for r.rows.Next() {
		vals := make([]any, len(r.names))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return r.rows.Err()
}

// text renders a value for the table and CSV formats; ok is false for NULL.
func (r *result) text(i int, v any) (s string, ok bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case int64:
		if r.types[i] == sqlite.TypeBool {
			return strconv.FormatBool(x != 0), true
		}
		return strconv.FormatInt(x, 10), true
	case float64:
		return formatFloat(x), true
	case []byte:
		return string(x), true
	default:
		return fmt.Sprint(x), true
	}
}

func writeCSV(w io.Writer, r *result) error {
	out := csv.NewWriter(w)
	if err := out.Write(r.names); err != nil {
		return err
	}
	record := make([]string, len(r.names))
	err := r.each(func(vals []any) error {
		for i, v := range vals {
			record[i], _ = r.text(i, v)
		}
		return out.Write(record)
	})
	out.Flush()
	if err != nil {
		return err
	}
	return out.Error()
}

// writeJSON writes an array of objects, keys in column order. JSON columns
// are embedded as JSON, booleans as true/false.
func writeJSON(w io.Writer, r *result) error {
	out := bufio.NewWriter(w)
	keys := make([]string, len(r.names))
	for i, name := range r.names {
		k, err := json.Marshal(name)
		if err != nil {
			return err
		}
		keys[i] = string(k)
	}
	n := 0
	out.WriteString("[")
	err := r.each(func(vals []any) error {
		if n > 0 {
			out.WriteString(",")
		}
		n++
		out.WriteString("\n  {")
		for i, v := range vals {
			if i > 0 {
				out.WriteString(", ")
			}
			out.WriteString(keys[i])
			out.WriteString(": ")
			b, err := r.jsonValue(i, v)
			if err != nil {
				return err
			}
			out.Write(b)
		}
		out.WriteString("}")
		return nil
	})
	if n > 0 {
		out.WriteString("\n")
	}
	out.WriteString("]\n")
	if flushErr := out.Flush(); err == nil {
		err = flushErr
	}
	return err
}

func (r *result) jsonValue(i int, v any) ([]byte, error) {
	switch x := v.(type) {
	case string:
		if r.types[i] == sqlite.TypeJSON && json.Valid([]byte(x)) {
			return compactJSON(x), nil
		}
	case int64:
		if r.types[i] == sqlite.TypeBool {
			return json.Marshal(x != 0)
		}
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return json.Marshal(formatFloat(x))
		}
		// Digits as written, never an exponent: 8250500, not 8.2505e+06.
		return []byte(formatFloat(x)), nil
	case []byte:
		return json.Marshal(string(x))
	}
	return json.Marshal(v)
}

func compactJSON(s string) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		return []byte(s)
	}
	return b.Bytes()
}

// writePretty renders the table and markdown formats with go-pretty, as
// Steampipe renders its table output: names as given, numbers right-aligned,
// NULL as <null>.
func writePretty(w io.Writer, format string, r *result) error {
	t := newPrettyTable(w)
	header := make(table.Row, len(r.names))
	for i, name := range r.names {
		header[i] = name
	}
	t.AppendHeader(header)
	right := make([]bool, len(r.names))
	err := r.each(func(vals []any) error {
		row := make(table.Row, len(vals))
		for i, v := range vals {
			s, ok := r.text(i, v)
			if !ok {
				s = "<null>"
			}
			switch v.(type) {
			case int64, float64:
				if r.types[i] != sqlite.TypeBool {
					right[i] = true
				}
			}
			row[i] = cellText(s)
		}
		t.AppendRow(row)
		return nil
	})
	if err != nil {
		return err
	}
	var configs []table.ColumnConfig
	for i, rightAligned := range right {
		if rightAligned {
			configs = append(configs, table.ColumnConfig{Number: i + 1, Align: text.AlignRight})
		}
	}
	t.SetColumnConfigs(configs)
	if format == "markdown" {
		t.RenderMarkdown()
	} else {
		t.Render()
	}
	return nil
}

// writeLine writes one block per row, a line per column, as Steampipe's
// line format (and psql's expanded display) do.
func writeLine(w io.Writer, r *result) error {
	out := bufio.NewWriter(w)
	width := 0
	for _, name := range r.names {
		width = max(width, text.RuneWidthWithoutEscSequences(name))
	}
	n := 0
	err := r.each(func(vals []any) error {
		n++
		fmt.Fprintf(out, "-[ RECORD %d ]%s\n", n, strings.Repeat("-", max(1, width+4)))
		for i, v := range vals {
			s, ok := r.text(i, v)
			if !ok {
				s = "<null>"
			}
			fmt.Fprintf(out, "%s | %s\n", text.Pad(r.names[i], width, ' '), cellText(s))
		}
		return nil
	})
	if flushErr := out.Flush(); err == nil {
		err = flushErr
	}
	return err
}

// cellText keeps a value on one line.
func cellText(s string) string {
	return strings.NewReplacer("\r\n", `\n`, "\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
}
