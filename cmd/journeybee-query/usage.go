package main

import (
	"flag"
	"fmt"
	"strings"
)

const usageHead = `Usage: journeybee-query [flags] "SQL[; SQL…]"
       journeybee-query --list-tables | .tables
       journeybee-query --describe TABLE | ".schema TABLE"

Runs SQLite SQL over the JourneyBee plugin's tables, in-process: joins,
aggregates, json_extract/json_each on the JSON columns. Several statements,
separated by ;, run in order and each result is printed.

Examples:
  journeybee-query "select status, count(*) from journeybee_lead group by status"
  journeybee-query --output csv "select id, title from journeybee_lead where status = 'new'"
  journeybee-query --save leads.db --save-table journeybee_lead "select * from journeybee_lead"
  journeybee-query --save history.db --save-table lead_status --append \
      "select status, count(*) as leads from journeybee_lead group by status"

Flags:
`

const usageFoot = `
Credentials come from the connection block of the config file, else from
the environment: JOURNEYBEE_API_KEY, JOURNEYBEE_USER_ID, JOURNEYBEE_BASE_URL.

On a terminal a progress line on stderr shows requests made, rows streamed
and any wait (the rate limit, a retry); never on a pipe or with --quiet.

Exit status: 0 success, 1 a statement or the connection failed (the other
statements still run), 2 usage error, 130 interrupted (Ctrl-C stops the
scan; no request is sent after it).
`

// printUsage is --help: the flags and every table, read from the plugin.
func printUsage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprint(w, usageHead)
	fs.PrintDefaults()
	if schema, err := pluginSchema(); err == nil {
		fmt.Fprintln(w, "\nTables (--describe TABLE for columns, key columns and API cost):")
		for _, name := range schema.names() {
			desc := schema[name].Description
			if i := strings.Index(desc, ". "); i > 0 {
				desc = desc[:i+1]
			}
			fmt.Fprintf(w, "  %-28s %s\n", name, desc)
		}
	}
	fmt.Fprint(w, usageFoot)
}
