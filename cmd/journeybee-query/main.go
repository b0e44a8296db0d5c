// Command journeybee-query runs SQL over JourneyBee without Steampipe: the
// plugin runs in-process and its tables are SQLite virtual tables.
//
//	journeybee-query [flags] "select status, count(*) from journeybee_lead group by status"
//
// It reads the first journeybee connection of
// ~/.steampipe/config/journeybee.spc when that file exists, else the
// plugin's environment variables (JOURNEYBEE_API_KEY, JOURNEYBEE_USER_ID,
// JOURNEYBEE_BASE_URL). Exit status: 0 on success, 1 when the query or the
// connection fails, 2 for usage errors.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/hashicorp/go-hclog"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee"
	"github.com/journeybee/steampipe-plugin-journeybee/sqlite"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `Usage: journeybee-query [flags] "SQL"

Runs one SQLite query over the JourneyBee plugin's tables (journeybee_lead).

Flags:
`

const usageFooter = `
Credentials come from the connection block of the config file, else from
the environment: JOURNEYBEE_API_KEY, JOURNEYBEE_USER_ID, JOURNEYBEE_BASE_URL.

Exit status: 0 on success, 1 when the query or the connection fails, 2 for
usage errors.
`

type options struct {
	output     string
	config     string
	connection string
	save       string
	saveTable  string
	logLevel   string
	query      string
	// configSet is true when --config was given: the file must exist.
	configSet bool
}

// run is the command: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	// Nothing this command prints may show a credential.
	redact := &redactor{w: stderr}
	if key := strings.TrimSpace(os.Getenv("JOURNEYBEE_API_KEY")); key != "" {
		redact.add(key)
	}
	stderr = redact

	opts, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "journeybee-query: %v\nRun journeybee-query --help for usage.\n", err)
		return 2
	}

	path, explicit := opts.config, opts.configSet
	if !explicit {
		path = defaultConfigPath()
	}
	conn, secrets, err := connectionConfig(path, explicit, opts.connection)
	for _, s := range secrets {
		redact.add(s)
	}
	if err != nil {
		fmt.Fprintf(stderr, "journeybee-query: %v\n", strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := query(ctx, opts, conn, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "journeybee-query: %v\n", err)
		return 1
	}
	return 0
}

func parseArgs(args []string, stderr io.Writer) (*options, error) {
	opts := &options{}
	fs := flag.NewFlagSet("journeybee-query", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.output, "output", "table", "output format: table, csv or json")
	fs.StringVar(&opts.config, "config", "", "Steampipe config file with the connection (default ~/.steampipe/config/journeybee.spc, if it exists)")
	fs.StringVar(&opts.connection, "connection", "", "connection block to use (default the first one whose plugin is journeybee)")
	fs.StringVar(&opts.save, "save", "", "write the result into this SQLite database file instead of printing it")
	fs.StringVar(&opts.saveTable, "save-table", "query_result", "table name for --save (replaced if present)")
	fs.StringVar(&opts.logLevel, "log-level", "", "show the plugin's logs on stderr at this level: trace, debug, info, warn or error")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), usageFooter)
	}

	// Flags may come before or after the query.
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "config" {
			opts.configSet = true
		}
	})

	switch {
	case len(positional) == 0:
		return nil, errors.New("no query given")
	case len(positional) > 1:
		return nil, fmt.Errorf("expected one query, got %d arguments: quote the SQL", len(positional))
	}
	opts.query = strings.TrimSpace(positional[0])
	if opts.query == "" {
		return nil, errors.New("the query is empty")
	}
	switch opts.output {
	case "table", "csv", "json":
	default:
		return nil, fmt.Errorf("--output %q: want table, csv or json", opts.output)
	}
	if opts.configSet && opts.config == "" {
		return nil, errors.New("--config needs a file name")
	}
	if opts.save != "" && strings.TrimSpace(opts.saveTable) == "" {
		return nil, errors.New("--save-table needs a table name")
	}
	if opts.logLevel != "" && hclog.LevelFromString(opts.logLevel) == hclog.NoLevel {
		return nil, fmt.Errorf("--log-level %q: want trace, debug, info, warn or error", opts.logLevel)
	}
	return opts, nil
}

// query runs the plugin and the query, and prints or saves the result.
func query(ctx context.Context, opts *options, conn pluginhost.Connection, stdout, stderr io.Writer) error {
	hostOpts := pluginhost.Options{Log: io.Discard}
	if opts.logLevel != "" {
		hostOpts = pluginhost.Options{Log: stderr, LogLevel: hclog.LevelFromString(opts.logLevel)}
	}
	host, err := pluginhost.New(journeybee.Plugin, hostOpts, conn)
	if err != nil {
		return err
	}
	// One process runs one query: caching (the engine's memo of complete
	// scans; journeybee_lead is off the SDK's cache) only spares the API
	// repeated identical scans, such as the inner side of a join.
	db, err := sqlite.Open(host, conn.Name, sqlite.WithCache(true))
	if err != nil {
		return err
	}
	defer db.Close()

	if opts.save != "" {
		n, err := save(ctx, db, opts.query, opts.save, opts.saveTable)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "saved %d %s to table %s in %s\n", n, plural(n, "row"), opts.saveTable, opts.save)
		return nil
	}

	rows, err := db.QueryContext(ctx, opts.query)
	if err != nil {
		return err
	}
	defer rows.Close()
	r, err := newResult(rows)
	if err != nil {
		return err
	}
	switch opts.output {
	case "csv":
		return writeCSV(stdout, r)
	case "json":
		return writeJSON(stdout, r)
	default:
		return writeTable(stdout, r)
	}
}

// save runs query into table of the SQLite file at path, replacing the
// table in one transaction: a failed query leaves the file as it was.
func save(ctx context.Context, db *sqlite.DB, query, path, table string) (int64, error) {
	const schema = "journeybee_save"
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "ATTACH DATABASE ? AS "+schema, path); err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	defer conn.ExecContext(context.Background(), "DETACH DATABASE "+schema)

	target := schema + "." + quoteIdent(table)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+target); err != nil {
		return 0, err
	}
	body := strings.TrimRight(strings.TrimSpace(query), "; \t\n")
	if _, err := tx.ExecContext(ctx, "CREATE TABLE "+target+" AS "+body); err != nil {
		return 0, err
	}
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+target).Scan(&n); err != nil {
		return 0, err
	}
	return n, tx.Commit()
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

// redactor replaces secrets in what is written through it.
type redactor struct {
	w       io.Writer
	secrets []string
}

func (r *redactor) add(secret string) {
	if len(secret) >= 4 {
		r.secrets = append(r.secrets, secret)
	}
}

func (r *redactor) Write(p []byte) (int, error) {
	s := string(p)
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, "********")
	}
	if _, err := io.WriteString(r.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}
