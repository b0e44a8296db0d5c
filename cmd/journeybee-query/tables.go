package main

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// schemaMap is the plugin's schema: table name → definition.
type schemaMap map[string]*proto.TableSchema

// pluginSchema loads the tables from the plugin itself, with no
// credentials: the schema does not depend on the connection.
func pluginSchema() (schemaMap, error) {
	host, err := pluginhost.New(journeybee.Plugin, pluginhost.Options{Log: io.Discard}, pluginhost.Connection{Name: defaultConnection})
	if err != nil {
		return nil, err
	}
	return host.Schema(defaultConnection)
}

func (s schemaMap) names() []string {
	var names []string
	for name := range s {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// discover answers --list-tables and --describe.
func discover(opts *options, stdout, stderr io.Writer) int {
	schema, err := pluginSchema()
	if err != nil {
		fmt.Fprintf(stderr, "%s%v\n", prefix, err)
		return exitQueryError
	}
	if opts.listTables {
		t := newPrettyTable(stdout)
		t.AppendHeader(table.Row{"table", "description"})
		for _, name := range schema.names() {
			t.AppendRow(table.Row{name, schema[name].Description})
		}
		t.SetColumnConfigs([]table.ColumnConfig{{Number: 2, WidthMax: 100, WidthMaxEnforcer: text.WrapSoft}})
		t.Render()
		return exitOK
	}
	ts, ok := schema[opts.describe]
	if !ok {
		fmt.Fprintf(stderr, "%sno table %q%s; --list-tables lists them\n", prefix, opts.describe, didYouMean(opts.describe, schema.names()))
		return exitUsage
	}
	describe(stdout, opts.describe, ts, schema)
	return exitOK
}

// apiParameter finds, in a key column's description, the API parameter the
// plugin sends it as ("pushed to the API's status parameter").
var apiParameter = regexp.MustCompile(`API's (\w+) parameter|pushed as (\w+=\w+)|pushed into the (paging)`)

// costWords mark the part of a description that tells what a filter costs
// in requests ("one API call per value of a lone IN list").
var costWords = regexp.MustCompile(`(?i)\b(?:requests?|calls?|scans?)\b.*\b(?:each|per)\b|\b(?:each|per)\b.*\b(?:requests?|calls?|scans?)\b`)

// costClauses are the sentences and clauses of a description that say what
// using it costs.
func costClauses(description string) []string {
	var out []string
	for _, sentence := range strings.Split(description, ". ") {
		for _, clause := range strings.Split(sentence, "; ") {
			if costWords.MatchString(clause) {
				out = append(out, strings.TrimSuffix(strings.TrimSpace(clause), "."))
			}
		}
	}
	return out
}

// sdkColumn tells the columns the SDK adds to every table from the
// plugin's own.
func sdkColumn(name string) bool {
	return strings.HasPrefix(name, "sp_") || name == "_ctx"
}

// describe prints a table's columns, its key columns with the API
// parameter each becomes, and what costs a request per row.
func describe(w io.Writer, name string, ts *proto.TableSchema, schema schemaMap) {
	fmt.Fprintf(w, "%s\n%s\n\n", name, ts.Description)
	t := newPrettyTable(w)
	t.AppendHeader(table.Row{"column", "type", "description"})
	for _, c := range ts.Columns {
		t.AppendRow(table.Row{c.Name, strings.ToLower(c.Type.String()), c.Description})
	}
	t.SetColumnConfigs([]table.ColumnConfig{{Number: 3, WidthMax: 90, WidthMaxEnforcer: text.WrapSoft}})
	t.Render()

	keys := newPrettyTable(w)
	keys.AppendHeader(table.Row{"key column", "operators", "call", "required", "API parameter"})
	add := func(call string, kcs []*proto.KeyColumn) {
		for _, kc := range kcs {
			ops := kc.Operators
			if len(ops) == 0 {
				ops = []string{"="}
			}
			if sdkColumn(kc.Name) {
				continue
			}
			param := "-"
			if m := apiParameter.FindStringSubmatch(columnDescription(ts, kc.Name)); m != nil {
				param = m[1] + m[2] + m[3]
			}
			require := kc.Require
			if require == "" {
				require = "required"
			}
			keys.AppendRow(table.Row{kc.Name, strings.Join(ops, " "), call, require, param})
		}
	}
	add("list", ts.ListCallKeyColumnList)
	add("get", ts.GetCallKeyColumnList)
	fmt.Fprintln(w, "\nKey columns (filters sent to the API; others are applied after the rows arrive):")
	keys.Render()

	fmt.Fprintln(w, "\nCost in API requests:")
	for _, line := range costNotes(name, ts, schema) {
		fmt.Fprintln(w, "  - "+line)
	}
}

// costNotes says which filters and joins cost a request per row (no column
// does: every column comes with the table's list).
func costNotes(name string, ts *proto.TableSchema, schema schemaMap) []string {
	var notes []string
	if req := requiredKeys(ts); len(req) > 0 {
		notes = append(notes, fmt.Sprintf("every query needs %s; %s", whereClause(req), joinCost(name, req, schema)))
	} else {
		notes = append(notes, "a query without key columns scans the whole table: about one request per page of items")
	}
	for _, kc := range ts.GetCallKeyColumnList {
		if !sdkColumn(kc.Name) {
			notes = append(notes, fmt.Sprintf("where %s = N reads each item with a request of its own (one per value of an IN list)", kc.Name))
		}
	}
	for _, kc := range ts.ListCallKeyColumnList {
		for _, clause := range costClauses(columnDescription(ts, kc.Name)) {
			notes = append(notes, fmt.Sprintf("filter %s: %s", kc.Name, clause))
		}
	}
	return notes
}

// requiredKeys are the list key columns a query must filter on.
func requiredKeys(ts *proto.TableSchema) []string {
	var out []string
	for _, kc := range ts.ListCallKeyColumnList {
		if kc.Require == "required" || kc.Require == "" {
			out = append(out, kc.Name)
		}
	}
	return out
}

// whereClause writes the filter a table needs, e.g. `where lead_id = 1`.
func whereClause(columns []string) string {
	var terms []string
	for _, c := range columns {
		terms = append(terms, c+" = "+exampleValue(c))
	}
	return "`where " + strings.Join(terms, " and ") + "`"
}

func exampleValue(column string) string {
	if column == "id" || strings.HasSuffix(column, "_id") {
		return "123"
	}
	return "'value'"
}

// joinCost explains a join on a required key column: one scan per row of
// the other side, and an example.
func joinCost(name string, required []string, schema schemaMap) string {
	c := required[0]
	other := "journeybee_" + strings.TrimSuffix(c, "_id")
	if _, ok := schema[other]; !ok || !strings.HasSuffix(c, "_id") || len(required) > 1 {
		return "a join on it costs one scan per row of the other side"
	}
	return fmt.Sprintf("a join costs one scan (at least one request) per %s row, e.g. select x.* from %s o join %s x on x.%s = o.id where o.id in (1, 2)",
		strings.TrimPrefix(other, "journeybee_"), other, name, c)
}

func columnDescription(ts *proto.TableSchema, column string) string {
	for _, c := range ts.Columns {
		if c.Name == column {
			return c.Description
		}
	}
	return ""
}

// newPrettyTable is a go-pretty table in Steampipe's look.
func newPrettyTable(w io.Writer) table.Writer {
	t := table.NewWriter()
	t.SetOutputMirror(w)
	style := table.StyleDefault
	style.Format.Header = text.FormatDefault
	style.Format.Footer = text.FormatDefault
	t.SetStyle(style)
	return t
}

// didYouMean suggests the closest of candidates to a misspelt name, as
// ` (did you mean "x"?)`, or nothing when none is close.
func didYouMean(name string, candidates []string) string {
	best, bestDist := "", 0
	for _, c := range candidates {
		d := levenshtein.Distance(strings.ToLower(name), strings.ToLower(c), nil)
		if best == "" || d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" || bestDist > max(2, len(name)/3) {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}
