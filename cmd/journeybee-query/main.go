// Command journeybee-query runs SQL over JourneyBee without Steampipe: the
// plugin runs in-process and its tables are SQLite virtual tables.
//
//	journeybee-query [flags] "select status, count(*) from journeybee_lead group by status"
//
// It reads the first journeybee connection of
// ~/.steampipe/config/journeybee.spc when that file exists, else the
// plugin's environment variables (JOURNEYBEE_API_KEY, JOURNEYBEE_USER_ID,
// JOURNEYBEE_BASE_URL). Exit status: 0 on success, 1 when a statement or
// the connection fails, 2 for usage errors, 130 when interrupted (SIGINT).
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
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee"
	"github.com/journeybee/steampipe-plugin-journeybee/sqlite"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses, as shells and sqlite3/psql users expect them.
const (
	exitOK          = 0
	exitQueryError  = 1
	exitUsage       = 2
	exitInterrupted = 130 // 128 + SIGINT
)

// prefix starts every line the command writes to stderr, once.
const prefix = "journeybee-query: "

type options struct {
	output     string
	config     string
	connection string
	save       string
	saveTable  string
	appendRows bool
	logLevel   string
	quiet      bool
	version    bool
	listTables bool
	describe   string
	statements []string
	// configSet is true when --config was given: the file must exist.
	configSet bool
}

// run is the command: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	progressOK := isTerminal(stderr)
	// Nothing this command prints may show a credential.
	redact := &redactor{w: stderr}
	if key := strings.TrimSpace(os.Getenv("JOURNEYBEE_API_KEY")); key != "" {
		redact.add(key)
	}
	stderr = redact

	opts, err := parseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s%v\nRun journeybee-query --help for usage.\n", prefix, err)
		return exitUsage
	}
	if opts.version {
		fmt.Fprintln(stdout, versionText())
		return exitOK
	}
	if opts.listTables || opts.describe != "" {
		return discover(opts, stdout, stderr)
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
		fmt.Fprintf(stderr, "%s%v\n", prefix, strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		if errors.Is(err, errUsage) {
			return exitUsage
		}
		return exitQueryError
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		// After the first Ctrl-C a second one ends the process at once.
		<-ctx.Done()
		stop()
	}()
	s := &session{opts: opts, conn: conn, configPath: path, stdout: stdout, stderr: stderr, progress: progressOK && !opts.quiet}
	code := s.run(ctx)
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "%sinterrupted: the scan was stopped\n", prefix)
		return exitInterrupted
	}
	return code
}

func parseArgs(args []string, stderr io.Writer) (*options, error) {
	opts := &options{}
	fs := flag.NewFlagSet("journeybee-query", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.output, "output", "table", "output format: "+strings.Join(formatNames, ", "))
	fs.StringVar(&opts.config, "config", "", "Steampipe config file with the connection (default ~/.steampipe/config/journeybee.spc, if it exists)")
	fs.StringVar(&opts.connection, "connection", "", "connection block to use (default the first one whose plugin is journeybee)")
	fs.StringVar(&opts.save, "save", "", "write the result into this SQLite database `file` instead of printing it")
	fs.StringVar(&opts.saveTable, "save-table", "query_result", "table `name` for --save, any name (replaced, or added to with --append)")
	fs.BoolVar(&opts.appendRows, "append", false, "with --save: add the rows to the table, with a run_at column holding this run's start time (UTC), instead of replacing it")
	fs.StringVar(&opts.logLevel, "log-level", "", "show the plugin's logs on stderr at this level: trace, debug, info, warn or error")
	fs.BoolVar(&opts.quiet, "quiet", false, "no progress line on stderr (there is none when stderr is not a terminal)")
	fs.BoolVar(&opts.version, "version", false, "print the version and exit")
	fs.BoolVar(&opts.listTables, "list-tables", false, "list the tables and exit (the .tables command)")
	fs.StringVar(&opts.describe, "describe", "", "show a `table`'s columns, key columns and their API cost, and exit (the .schema command)")
	fs.Usage = func() { printUsage(fs) }

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
	if opts.version {
		return opts, nil
	}
	if !validFormat(opts.output) {
		return nil, fmt.Errorf("--output %q: want one of %s", opts.output, strings.Join(formatNames, ", "))
	}
	if opts.configSet && opts.config == "" {
		return nil, errors.New("--config needs a file name")
	}
	if opts.logLevel != "" && hclog.LevelFromString(opts.logLevel) == hclog.NoLevel {
		return nil, fmt.Errorf("--log-level %q: want trace, debug, info, warn or error", opts.logLevel)
	}
	if opts.appendRows && opts.save == "" {
		return nil, errors.New("--append needs --save FILE")
	}
	if opts.save != "" && strings.TrimSpace(opts.saveTable) == "" {
		return nil, errors.New("--save-table needs a table name")
	}

	// A dot command asks about the tables, as in sqlite3.
	if len(positional) > 0 && strings.HasPrefix(strings.TrimSpace(positional[0]), ".") {
		cmd := strings.Fields(strings.Join(positional, " "))
		switch {
		case cmd[0] == ".tables" && len(cmd) == 1:
			opts.listTables = true
		case cmd[0] == ".schema" && len(cmd) == 2:
			opts.describe = cmd[1]
		case cmd[0] == ".schema":
			return nil, errors.New(".schema needs one table name, e.g. .schema journeybee_lead")
		default:
			return nil, fmt.Errorf("unknown command %q: the commands are .tables and .schema TABLE", cmd[0])
		}
		return opts, nil
	}
	if opts.listTables || opts.describe != "" {
		if len(positional) > 0 {
			return nil, errors.New("--list-tables and --describe take no query")
		}
		return opts, nil
	}

	switch {
	case len(positional) == 0:
		return nil, errors.New("no query given")
	case len(positional) > 1:
		return nil, fmt.Errorf("expected one query argument, got %d: quote the SQL (several statements go in one argument, separated by ;)", len(positional))
	}
	opts.statements = splitStatements(positional[0])
	if len(opts.statements) == 0 {
		return nil, errors.New("the query is empty")
	}
	if opts.save != "" && len(opts.statements) != 1 {
		return nil, fmt.Errorf("--save takes one statement, got %d", len(opts.statements))
	}
	return opts, nil
}

// session runs the statements of one invocation.
type session struct {
	opts       *options
	conn       pluginhost.Connection
	configPath string
	stdout     io.Writer
	stderr     io.Writer
	progress   bool
	prog       *progressLine
}

// run opens the plugin and runs every statement in order, printing each
// result as sqlite3 does; a failed statement is reported and the next one
// runs, and the exit status says that one failed.
func (s *session) run(ctx context.Context) int {
	hostOpts := pluginhost.Options{Log: io.Discard}
	if s.opts.logLevel != "" {
		hostOpts = pluginhost.Options{Log: s.stderr, LogLevel: hclog.LevelFromString(s.opts.logLevel)}
	}
	host, err := pluginhost.New(journeybee.Plugin, hostOpts, s.conn)
	if err != nil {
		s.report(err, nil, "")
		return exitQueryError
	}
	schema, err := host.Schema(s.conn.Name)
	if err != nil {
		s.report(err, nil, "")
		return exitQueryError
	}
	var prog *progressLine
	var stdout io.Writer = s.stdout
	if s.progress {
		prog = startProgress(s.stderr)
		s.prog = prog
		defer prog.stop()
		// On a shared terminal the line gives way as soon as results are
		// printed; with stdout redirected it runs to the end.
		if isTerminal(s.stdout) {
			stdout = &beforeWrite{w: s.stdout, fn: prog.stop}
		}
	}
	// One process runs one query: caching (the engine's memo of complete
	// scans; journeybee_lead is off the SDK's cache) only spares the API
	// repeated identical scans, such as the inner side of a join.
	dbOpts := []sqlite.Option{sqlite.WithCache(true), sqlite.WithContext(ctx)}
	if prog != nil {
		dbOpts = append(dbOpts, sqlite.WithRowObserver(prog.row))
	}
	db, err := sqlite.Open(host, s.conn.Name, dbOpts...)
	if err != nil {
		s.report(err, schema, "")
		return exitQueryError
	}
	defer db.Close()

	code := exitOK
	printed := 0
	for _, stmt := range s.opts.statements {
		if ctx.Err() != nil {
			break
		}
		var err error
		if s.opts.save != "" {
			err = s.save(ctx, db, stmt, stdout)
		} else {
			var wrote bool
			wrote, err = s.query(ctx, db, stmt, stdout, printed > 0)
			if wrote {
				printed++
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if prog != nil {
				prog.fail()
			}
			s.report(err, schema, stmt)
			code = exitQueryError
		}
	}
	return code
}

// query runs one statement and prints its result; a statement without
// result columns (delete, create…) prints nothing, as in sqlite3.
func (s *session) query(ctx context.Context, db *sqlite.DB, stmt string, stdout io.Writer, separate bool) (bool, error) {
	rows, err := db.QueryContext(ctx, stmt)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	r, err := newResult(rows)
	if err != nil {
		return false, err
	}
	if len(r.names) == 0 {
		for rows.Next() {
		}
		return false, rows.Err()
	}
	if separate && s.opts.output != "csv" && s.opts.output != "json" {
		fmt.Fprintln(stdout)
	}
	return true, writeResult(stdout, s.opts.output, r)
}

// report prints a failure once, with the command's prefix only.
func (s *session) report(err error, schema schemaMap, stmt string) {
	if s.prog != nil {
		s.prog.stop()
	}
	fmt.Fprintf(s.stderr, "%s%s\n", prefix, explain(err, schema, s.configPath, stmt))
}

// beforeWrite calls fn once, before the first write.
type beforeWrite struct {
	w    io.Writer
	fn   func()
	done bool
}

func (b *beforeWrite) Write(p []byte) (int, error) {
	if !b.done {
		b.done = true
		b.fn()
	}
	return b.w.Write(p)
}

// runStart is when this run began: the run_at of rows saved with --append.
var runStart = time.Now()

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
