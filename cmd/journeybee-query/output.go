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
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/journeybee/steampipe-plugin-journeybee/sqlite"
)

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
		return strconv.FormatFloat(x, 'g', -1, 64), true
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
			return json.Marshal(strconv.FormatFloat(x, 'g', -1, 64))
		}
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

// writeTable writes aligned columns in boxes, as Steampipe does: numbers
// right-aligned, NULL as <null>.
func writeTable(w io.Writer, r *result) error {
	var rows [][]string
	right := make([]bool, len(r.names))
	err := r.each(func(vals []any) error {
		cells := make([]string, len(vals))
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
			cells[i] = cellText(s)
		}
		rows = append(rows, cells)
		return nil
	})
	if err != nil {
		return err
	}
	widths := make([]int, len(r.names))
	for i, name := range r.names {
		widths[i] = utf8.RuneCountInString(name)
	}
	for _, cells := range rows {
		for i, c := range cells {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	out := bufio.NewWriter(w)
	rule := func() {
		for _, width := range widths {
			out.WriteString("+" + strings.Repeat("-", width+2))
		}
		out.WriteString("+\n")
	}
	line := func(cells []string, alignRight []bool) {
		for i, c := range cells {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if alignRight != nil && alignRight[i] {
				c = pad + c
			} else {
				c += pad
			}
			out.WriteString("| " + c + " ")
		}
		out.WriteString("|\n")
	}
	rule()
	line(r.names, nil)
	rule()
	for _, cells := range rows {
		line(cells, right)
	}
	if len(rows) > 0 {
		rule()
	}
	return out.Flush()
}

// cellText keeps a value on one line.
func cellText(s string) string {
	return strings.NewReplacer("\r\n", `\n`, "\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
}
