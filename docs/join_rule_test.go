//go:build sqlite_vtable

package docs_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The join rule of docs/index.md ("Joins"), checked on every example: a
// query that reads more than one plugin table (or one twice) reads each in
// a `with x as materialized (...)` CTE of its own, or in a `lateral (...)`
// subquery; a table with a required key column is reached only through a
// lateral subquery that sets that key, or joined at the top level to
// materialized CTEs alone. Postgres may otherwise scan a required-key table
// without its key (an error), attach a join qual to the wrong side (rows
// silently lost), or rescan a foreign table once per outer row (minutes of
// CPU): none of that can happen to a materialized CTE or a lateral
// subquery.

// requiredKeys are the tables with a required key column, and the column.
var requiredKeys = map[string]string{
	"journeybee_lead_note":         "lead_id",
	"journeybee_partner_user":      "partnership_id",
	"journeybee_lead_custom_field": "lead_id",
}

var (
	sqlComment  = regexp.MustCompile(`--[^\n]*|/\*(?s:.*?)\*/`)
	sqlLiteral  = regexp.MustCompile(`'(?:[^']|'')*'`)
	sqlToken    = regexp.MustCompile(`[a-z_][a-z0-9_$]*|\(|\)|[^\sa-z_()]+`)
	pluginTable = regexp.MustCompile(`^journeybee_[a-z_]+$`)
)

// tableRef is one plugin table read by a query, and the scope reading it.
type tableRef struct {
	table string
	// scope is the innermost materialized CTE or lateral subquery around
	// the reference (its index in scopes), -1 at no such scope.
	scope int
}

// scope is a materialized CTE body or a lateral subquery body.
type scope struct {
	lateral bool
	tokens  []string
}

// parseReads finds the plugin tables a query reads and the scopes around
// them.
func parseReads(sql string) ([]tableRef, []scope, int) {
	sql = strings.ToLower(sql)
	sql = sqlComment.ReplaceAllString(sql, " ")
	sql = sqlLiteral.ReplaceAllString(sql, "''")
	tokens := sqlToken.FindAllString(sql, -1)
	var (
		refs   []tableRef
		scopes []scope
		// stack holds, per open parenthesis, its scope index or -1.
		stack        []int
		materialized int
	)
	inner := func() int {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i] >= 0 {
				return stack[i]
			}
		}
		return -1
	}
	for i, tok := range tokens {
		switch {
		case tok == "(":
			kind := -1
			prev := func(n int) string {
				if i-n < 0 {
					return ""
				}
				return tokens[i-n]
			}
			switch {
			case prev(1) == "lateral":
				scopes = append(scopes, scope{lateral: true})
				kind = len(scopes) - 1
			case prev(1) == "materialized" && prev(2) == "as":
				scopes = append(scopes, scope{})
				kind = len(scopes) - 1
				materialized++
			}
			stack = append(stack, kind)
		case tok == ")":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		default:
			if s := inner(); s >= 0 {
				scopes[s].tokens = append(scopes[s].tokens, tok)
			}
			if pluginTable.MatchString(tok) && (i+1 >= len(tokens) || tokens[i+1] != "(") {
				refs = append(refs, tableRef{table: tok, scope: inner()})
			}
		}
	}
	return refs, scopes, materialized
}

// joinRuleViolations explains every way sql breaks the join rule; none
// for a query that reads one plugin table once.
func joinRuleViolations(sql string) []string {
	refs, scopes, materialized := parseReads(sql)
	if len(refs) < 2 {
		return nil
	}
	var out []string
	perScope := map[int][]string{}
	var topLevel []string
	for _, r := range refs {
		if r.scope < 0 {
			topLevel = append(topLevel, r.table)
			continue
		}
		perScope[r.scope] = append(perScope[r.scope], r.table)
	}
	for i, tables := range perScope {
		what := "a materialized CTE"
		if scopes[i].lateral {
			what = "a lateral subquery"
		}
		if len(tables) > 1 {
			out = append(out, fmt.Sprintf("%s reads %s: give each plugin table a materialized CTE (or lateral subquery) of its own", what, strings.Join(tables, " and ")))
		}
		for _, table := range tables {
			key, required := requiredKeys[table]
			switch {
			case required && !scopes[i].lateral:
				out = append(out, fmt.Sprintf("%s is read in a materialized CTE: it requires %s, so reach it through a lateral subquery that sets %s, or join it to materialized CTEs", table, key, key))
			case required && !slices.Contains(scopes[i].tokens, key):
				out = append(out, fmt.Sprintf("the lateral subquery reading %s does not set its required key %s", table, key))
			}
		}
	}
	for _, table := range topLevel {
		_, required := requiredKeys[table]
		if required && len(topLevel) == 1 && materialized > 0 {
			continue // joined to materialized CTEs alone
		}
		out = append(out, fmt.Sprintf("%s is read outside a materialized CTE or lateral subquery: with other plugin tables in the query, read it in `with x as materialized (select … from %s)`%s", table, table, requiredHint(table)))
	}
	slices.Sort(out)
	return out
}

func requiredHint(table string) string {
	if key, ok := requiredKeys[table]; ok {
		return fmt.Sprintf(", or (it requires %s) through `lateral (select … from %s where %s = x.…)`", key, table, key)
	}
	return ""
}

// TestJoinRuleChecker: the checker rejects the shapes that break Postgres
// plans and passes the ones the docs use.
func TestJoinRuleChecker(t *testing.T) {
	cases := []struct {
		name, sql  string
		wantBroken bool
	}{
		{"one table", `select id from journeybee_lead where status = 'new'`, false},
		{"one table with a json function", `select l.id from journeybee_lead as l, jsonb_array_elements(l.tags) as t`, false},
		{"plain join", `select * from journeybee_lead_deal d join journeybee_lead l on l.id = d.lead_id`, true},
		{"plain CTE (Postgres inlines it)", `with l as (select id from journeybee_lead) select * from journeybee_lead_deal d join l on l.id = d.lead_id`, true},
		{"subquery in a where", `select * from journeybee_lead_note n where n.lead_id in (select id from journeybee_lead limit 5)`, true},
		{"two tables in one materialized CTE", `with x as materialized (select * from journeybee_lead l join journeybee_tag t on true) select * from x`, true},
		{"required key table in a materialized CTE", `with l as materialized (select id from journeybee_lead), n as materialized (select * from journeybee_lead_note) select * from l join n on n.lead_id = l.id`, true},
		{"lateral without the key", `with l as materialized (select id from journeybee_lead) select * from l, lateral (select * from journeybee_lead_note where created_by_id = 1) n`, true},
		{"a commented-out table still counts as nothing", `-- journeybee_tag
			select id from journeybee_lead`, false},
		{"every table materialized", `with d as materialized (select lead_id from journeybee_lead_deal), l as materialized (select id, title from journeybee_lead) select * from d join l on l.id = d.lead_id`, false},
		{"required key table through lateral", `with l as materialized (select id from journeybee_lead where status = 'new') select * from l, lateral (select created_at from journeybee_lead_note as n where n.lead_id = l.id) as n`, false},
		{"required key table joined to materialized CTEs", `with l as materialized (select id from journeybee_lead) select * from l join journeybee_lead_note as n on n.lead_id = l.id`, false},
		{"self-join, each side materialized", `with a as materialized (select company_name from journeybee_lead where view = 'sent'), b as materialized (select company_name from journeybee_lead where view = 'received') select * from a join b using (company_name)`, false},
		{"self-join of plain tables", `select * from journeybee_lead a join journeybee_lead b on a.email = b.email`, true},
	}
	for _, c := range cases {
		got := joinRuleViolations(c.sql)
		if (len(got) > 0) != c.wantBroken {
			t.Errorf("%s: violations %q, want broken = %v", c.name, got, c.wantBroken)
		}
	}
}

// TestDocsExamplesFollowTheJoinRule: every sql+postgres and sql+sqlite
// example obeys the join rule, and one that reads several plugin tables
// states its cost in its text (a "Cost:" sentence), which
// TestDocsJoinsCostWhatTheySay holds it to.
func TestDocsExamplesFollowTheJoinRule(t *testing.T) {
	for _, path := range docFiles(t) {
		for _, ex := range examples(t, path) {
			if problems := joinRuleViolations(ex.sql); len(problems) > 0 {
				t.Errorf("%s: %q (%s) breaks the join rule of docs/index.md:\n  %s", ex.file, ex.heading, ex.dialect, strings.Join(problems, "\n  "))
			}
			if refs, _, _ := parseReads(ex.sql); len(refs) > 1 && !strings.Contains(ex.text, "Cost:") {
				t.Errorf("%s: %q reads %d plugin tables but its text states no cost (a \"Cost:\" sentence)", ex.file, ex.heading, len(refs))
			}
		}
	}
}
