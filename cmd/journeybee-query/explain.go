package main

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
)

// Errors reach the command through SQLite, the SDK's gRPC layer and the
// plugin, each adding its own prefix. explain keeps one (the table's), and
// rewrites the messages a person cannot act on.
var (
	grpcPrefix   = regexp.MustCompile(`rpc error: code = \w+ desc = `)
	layerPrefix  = regexp.MustCompile(`(?:^|: )(?:journeybee api|journeybee|sqlite): `)
	missingQuals = regexp.MustCompile(`'List' call for table '(\w+)' is missing \d+ required quals?: (.*)`)
	qualColumn   = regexp.MustCompile(`column:'(\w+)'`)
	noSuchTable  = regexp.MustCompile(`no such table: (?:\w+\.)?(\w+)`)
	noSuchColumn = regexp.MustCompile(`no such column: ((?:\w+\.)?\w+)`)
	notSet       = regexp.MustCompile(`(api_key|user_id) is not set`)
)

// explain turns an error into the one line the command prints after its
// prefix.
func explain(err error, schema schemaMap, configPath, stmt string) string {
	msg := strings.TrimSpace(err.Error())
	msg = grpcPrefix.ReplaceAllString(msg, "")
	for {
		cleaned := layerPrefix.ReplaceAllString(msg, ": ")
		cleaned = strings.TrimPrefix(cleaned, ": ")
		if cleaned == msg {
			break
		}
		msg = cleaned
	}

	if m := missingQuals.FindStringSubmatch(msg); m != nil {
		var cols []string
		for _, c := range qualColumn.FindAllStringSubmatch(m[2], -1) {
			cols = append(cols, c[1])
		}
		if len(cols) > 0 {
			text := fmt.Sprintf("%s needs %s: the API lists its rows by %s. For example:\n  select * from %s %s;",
				m[1], whereClause(cols), strings.Join(cols, ", "), m[1], strings.Trim(whereClause(cols), "`"))
			if _, ok := schema[m[1]]; ok {
				text += "\n  Joined to another table, it costs " + strings.TrimPrefix(joinCost(m[1], cols, schema), "a join costs ") + "."
			}
			return text
		}
	}
	if m := notSet.FindStringSubmatch(msg); m != nil {
		env := map[string]string{"api_key": "JOURNEYBEE_API_KEY", "user_id": "JOURNEYBEE_USER_ID"}[m[1]]
		where := "it has no journeybee connection setting it"
		if _, err := os.Stat(configPath); err != nil {
			where = "no such file"
		}
		return fmt.Sprintf("%s is not set: set %s, or %s in a connection block (plugin = \"journeybee\") of %s, or name another file with --config FILE (%s)",
			m[1], env, m[1], displayPath(configPath), where)
	}
	if m := noSuchTable.FindStringSubmatch(msg); m != nil && schema != nil {
		return msg + didYouMean(m[1], schema.names()) + "; --list-tables lists the tables"
	}
	if m := noSuchColumn.FindStringSubmatch(msg); m != nil && schema != nil {
		name := m[1]
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		// Columns of the tables the statement names, else of all tables.
		var columns []string
		tables := schema
		if named := schema.named(stmt); len(named) > 0 {
			tables = named
		}
		for _, ts := range tables {
			for _, c := range ts.Columns {
				if !slices.Contains(columns, c.Name) {
					columns = append(columns, c.Name)
				}
			}
		}
		slices.Sort(columns)
		return msg + didYouMean(name, columns) + "; --describe TABLE lists a table's columns"
	}
	return msg
}

func displayPath(path string) string {
	if path == "" {
		return "~/.steampipe/config/journeybee.spc"
	}
	return path
}

// named is the part of the schema whose tables stmt mentions.
func (s schemaMap) named(stmt string) schemaMap {
	words := map[string]bool{}
	for _, w := range regexp.MustCompile(`\w+`).FindAllString(strings.ToLower(stmt), -1) {
		words[w] = true
	}
	out := schemaMap{}
	for name, ts := range s {
		if words[name] {
			out[name] = ts
		}
	}
	return out
}
