// Package modtest proves the Powerpipe mod in powerpipe/ right: every query
// runs in a real PostgreSQL over a journeybee_lead table typed as the plugin
// declares it and filled with rows the plugin produced from the fake
// server, and its answer is compared with one computed independently from
// the fake's raw JSON. With JOURNEYBEE_POWERPIPE set (make test-mod sets
// it), every dashboard is also run by Powerpipe itself against that
// database and its snapshot compared the same way.
package modtest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pgtest"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest/jbplugin"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// datasetSize spans several API pages.
const datasetSize = 600

// env is a loaded database and the dataset behind it.
type env struct {
	pg    *pgtest.Server
	mod   *mod
	leads []lead // the dataset, as the oracle reads it
	deals []leadDeal
	// partnerships are journeybee_partnership's rows, as the oracle reads
	// them.
	partnerships []partnerRecord
	// fake serves the dataset with the page size given (the lead type is
	// not named: it is being renamed).
	fake func(pageSize int) *journeybeetest.Server
	host *pluginhost.Host // the plugin, against fake(100)
	// inputs are the input values each dashboard is loaded with; the first
	// set is the one Powerpipe runs.
	inputs map[string][]map[string]string
	// qualSQL is the SQL of each query with a scan that depends on its
	// quals, that scan pointed at the rows the plugin gave for them
	// (loadQualScans).
	qualSQL map[string]string
}

// oracle is the oracle over the whole dataset as of now.
func (e *env) oracle(now time.Time) *oracle {
	return &oracle{leads: e.leads, deals: e.deals, partnerships: e.partnerships, now: now}
}

// modTables are the tables the mod reads, each loaded into Postgres.
var modTables = []string{"journeybee_lead", "journeybee_lead_deal", "journeybee_partnership"}

func TestMod(t *testing.T) {
	e := setup(t)
	t.Run("cache rule", e.testCacheRule)
	t.Run("API cost", e.testAPICost)
	t.Run("views as the API filters them", e.testViews)
	t.Run("queries on Postgres", e.testQueries)
	t.Run("scans that depend on their quals", e.testQualScans)
	t.Run("dashboards in Powerpipe", e.testDashboards)
}

func setup(t *testing.T) *env {
	t.Helper()
	// A whole, consistent account: leads, their deals and the partnerships
	// they came through.
	e := loadAccount(t, journeybeetest.GenerateAccountAt(datasetSize, 12, time.Now()))
	if len(e.leads) != datasetSize {
		t.Fatalf("dataset: %d leads, want %d", len(e.leads), datasetSize)
	}
	checkCoverage(t, e.leads, e.deals, e.partnerships)
	e.mod = loadMod(t)
	e.inputs = inputChoices(t, e.leads)
	e.loadQualScans(t)
	return e
}

// loadAccount starts a PostgreSQL holding what a full scan of each table the
// mod reads returns through the plugin from a fake serving data, and reads
// the oracle's copy of the data as raw JSON.
func loadAccount(t *testing.T, data journeybeetest.Config) *env {
	t.Helper()
	pg := pgtest.Start(t)
	// The rows: a full scan of each table through the plugin, paging the
	// fake 100 items at a time.
	fake := func(pageSize int) *journeybeetest.Server {
		cfg := data
		cfg.PageSize = pageSize
		srv := journeybeetest.NewServer(cfg)
		t.Cleanup(srv.Close)
		return srv
	}
	// The plugin with its reply cache on, as Steampipe runs it.
	conn := plugintest.ConfigFor(fake(100))
	conn.CacheTTL = nil
	host := jbplugin.Start(t, conn)
	schema, err := host.Schema(plugintest.Connection)
	if err != nil {
		t.Fatal(err)
	}
	loaded := map[string]int{}
	for _, table := range modTables {
		// Exactly the plugin's declared columns and types.
		cols := pgtest.TableColumns(schema[table])
		names := pgtest.ColumnNames(cols)
		scanned, err := host.Collect(context.Background(), pluginhost.Query{Connection: plugintest.Connection, Table: table, Columns: names})
		if err != nil {
			t.Fatal(err)
		}
		pg.LoadTable(t, table, cols, tableRows(scanned, names))
		loaded[table] = len(scanned)
	}
	// What Steampipe's own schema tells Powerpipe: it is a Steampipe
	// database with the local journeybee plugin, so the mod's plugin
	// requirement is checked as on a user's machine.
	pg.Exec(t, `create schema steampipe_internal;
		create table steampipe_internal.steampipe_plugin (plugin text, version text);
		create table steampipe_internal.steampipe_connection (name text, plugin text);
		insert into steampipe_internal.steampipe_plugin values ('local/journeybee', 'local');
		insert into steampipe_internal.steampipe_connection values ('journeybee', 'local/journeybee')`)

	// The oracle's copy: the same dataset as raw JSON, each list in one
	// page larger than it.
	raw := fake(rawPageSize)
	leads := fetchLeads(t, raw.URL, raw.APIKey(), raw.UserID())
	deals := fetchDeals(t, raw.URL, raw.APIKey())
	partnerships := fetchPartnerships(t, raw.URL, raw.APIKey(), raw.UserID())
	for table, n := range map[string]int{"journeybee_lead": len(leads), "journeybee_lead_deal": len(deals), "journeybee_partnership": len(partnerships)} {
		if n == 0 || loaded[table] != n {
			t.Fatalf("dataset: %d %s rows over HTTP, %d from the plugin", n, table, loaded[table])
		}
	}
	return &env{pg: pg, leads: leads, deals: deals, partnerships: partnerships, fake: fake, host: host}
}

// tableRows are scanned rows as LoadTable takes them: the values of names,
// in order.
func tableRows(scanned []pluginhost.Row, names []string) [][]any {
	rows := make([][]any, len(scanned))
	for i, r := range scanned {
		rows[i] = make([]any, len(names))
		for j, name := range names {
			rows[i][j] = pluginhost.Value(r[name])
		}
	}
	return rows
}

// checkCoverage fails unless the dataset holds the cases the queries treat
// apart: a lead without source, deals without stage or value, without a
// partnership and in every phase, partners with and without a tier.
func checkCoverage(t *testing.T, leads []lead, deals []leadDeal, partnerships []partnerRecord) {
	t.Helper()
	known := map[int64]bool{}
	for _, p := range partnerships {
		known[p.partnershipID] = true
	}
	has := map[string]bool{}
	for _, l := range leads {
		has["lead without source"] = has["lead without source"] || l.source == nil
	}
	for _, d := range deals {
		has["deal without phase"] = has["deal without phase"] || d.phase == nil
		has["deal without value"] = has["deal without value"] || d.value == nil
		has["deal without partnership"] = has["deal without partnership"] || d.partnershipID == nil || !known[*d.partnershipID]
		has["deal through a partnership"] = has["deal through a partnership"] || d.partnershipID != nil && known[*d.partnershipID]
		has["deal "+journeybeetest.Deref(d.phase)] = true
	}
	for _, p := range partnerships {
		has["partner without tier"] = has["partner without tier"] || p.tier == nil
		has["partner with a tier"] = has["partner with a tier"] || p.tier != nil
	}
	for _, c := range []string{"lead without source", "deal without phase", "deal without value", "deal without partnership", "deal through a partnership",
		"deal discovery", "deal negotiation", "deal closed_won", "deal closed_lost", "partner without tier", "partner with a tier"} {
		if !has[c] {
			t.Errorf("the dataset has no %s", c)
		}
	}
}

// inputChoices picks input values that select something: a user, tag and
// partner present in the data, and for the detail page a lead with deals,
// tags and partners, a campaign lead and a lead with none of those.
func inputChoices(t *testing.T, leads []lead) map[string][]map[string]string {
	t.Helper()
	find := func(what string, keep func(*lead) bool) *lead {
		for i := range leads {
			if keep(&leads[i]) {
				return &leads[i]
			}
		}
		t.Fatalf("the dataset has no %s", what)
		return nil
	}
	rich := find("lead with deals, tags, users and partners", func(l *lead) bool {
		return len(l.deals) > 0 && len(l.tags) > 1 && len(l.users) > 1 && len(l.senders()) > 0
	})
	campaign := find("campaign lead", func(l *lead) bool { return len(l.campaignPeers) > 1 })
	bare := find("lead with no deals, tags or users", func(l *lead) bool {
		return len(l.deals) == 0 && len(l.tags) == 0 && len(l.users) == 0
	})
	user := fmt.Sprint(rich.users[1].id)
	tg := fmt.Sprint(rich.tags[0].id)
	return map[string][]map[string]string{
		"lead_status_report": {
			{"assigned_user": "all", "tag": "all"},
			{"assigned_user": user, "tag": "all"},
			{"assigned_user": "all", "tag": tg},
			{"assigned_user": user, "tag": tg},
		},
		"partner_pipeline_report": {{"partner": "all"}, {"partner": rich.senders()[0]}},
		"partner_detail":          {{"partnership": sentBy(t, rich)}, {"partnership": "all"}},
		"lead_detail": {
			{"lead_id": fmt.Sprint(rich.id)},
			{"lead_id": fmt.Sprint(campaign.id)},
			{"lead_id": fmt.Sprint(bare.id)},
		},
	}
}

// sentBy is the id of a partnership that sent the lead.
func sentBy(t *testing.T, l *lead) string {
	t.Helper()
	for _, p := range l.partnerships {
		if p.direction == "received" && p.partnershipID != nil {
			return fmt.Sprint(*p.partnershipID)
		}
	}
	t.Fatalf("lead %d was sent by no partnership", l.id)
	return ""
}

// testCacheRule checks the rule that makes a load cost what it shows:
// every query reads JourneyBee tables only through materialized CTEs of a
// fixed column list, each either a table's shared CTE (no WHERE, so every
// panel reading it shares one scan) or a scan whose WHERE holds only
// filters the plugin pushes to the API; and shared CTEs come from locals.
func (e *env) testCacheRule(t *testing.T) {
	ctes := e.mod.sharedCTEs(t)
	for _, table := range modTables {
		if ctes[table] == nil {
			t.Errorf("no shared CTE reads %s", table)
		}
	}
	for name, q := range e.mod.queries {
		scans, rest := scansOf(q.sql)
		if len(scans) == 0 {
			t.Errorf("query %s reads no table through a materialized CTE", name)
		}
		for _, s := range scans {
			args := make([]string, len(q.params))
			for i := range args {
				args[i] = "1"
			}
			if _, err := s.quals(args, time.Now()); err != nil {
				t.Errorf("query %s: %v", name, err)
			}
		}
		if m := tableName.FindString(rest); m != "" {
			t.Errorf("query %s reads %s outside a materialized CTE", name, m)
		}
	}
}

// testViews checks that lead_by_view, which reads each lead's views from
// its fields, counts what the plugin's view filter (the API's) returns.
func (e *env) testViews(t *testing.T) {
	derived := map[string]float64{}
	for _, r := range expected["lead_by_view"](&oracle{leads: e.leads}, nil) {
		derived[r["View"].(string)] = float64(r["Leads"].(int))
	}
	for _, view := range []string{"received", "sent", "reseller", "campaigns"} {
		rows, err := e.host.Collect(context.Background(), pluginhost.Query{Connection: plugintest.Connection, Table: "journeybee_lead",
			Columns: []string{"id"}, Quals: []*proto.Qual{pluginhost.Eq("view", view)}})
		if err != nil {
			t.Fatal(err)
		}
		if float64(len(rows)) != derived[view] {
			t.Errorf("view %s: the API filter returns %d leads, lead_by_view counts %v", view, len(rows), derived[view])
		}
	}
}

// testQueries runs every query as each dashboard calls it, with every set of
// input values.
func (e *env) testQueries(t *testing.T) {
	calls := map[string][]call{}
	ran := map[string]int{}
	for _, d := range e.mod.dashboards {
		if got, want := len(d.inputs), len(firstOr(e.inputs[d.name])); got != want {
			t.Fatalf("dashboard %s has %d inputs, the test gives values for %d", d.name, got, want)
		}
		for _, in := range orOne(e.inputs[d.name]) {
			for _, c := range e.mod.calls(t, d, in) {
				if !slices.ContainsFunc(calls[d.name], func(o call) bool { return o.String() == c.String() }) {
					calls[d.name] = append(calls[d.name], c)
				}
			}
		}
	}
	for _, d := range e.mod.dashboards {
		for _, c := range calls[d.name] {
			if ran[c.String()] > 0 {
				continue
			}
			ran[c.String()]++
			t.Run(c.String(), func(t *testing.T) {
				oracleFor := expected[c.query]
				if oracleFor == nil {
					t.Fatalf("no expected answer for query %s", c.query)
				}
				now, got := e.run(t, e.mod.queries[c.query], c.args)
				want := oracleFor(e.oracle(now), c.args)
				if diff := compareRows(got, want); diff != "" {
					t.Fatalf("%s:\n%s", c, diff)
				}
			})
		}
	}
	for name := range e.mod.queries {
		if !slices.ContainsFunc(slices.Collect(maps.Keys(ran)), func(k string) bool { return strings.HasPrefix(k, name+"(") }) {
			t.Errorf("query %s is used by no dashboard, so it is never run", name)
		}
	}
	for name := range expected {
		if e.mod.queries[name] == nil {
			t.Errorf("expected answer for %s, which is no query of the mod", name)
		}
	}
	t.Logf("%d queries, %d calls run and checked", len(e.mod.queries), len(ran))
}

// run executes q with args (as text, as Powerpipe sends input values) in
// one statement and returns its rows and the statement's now().
func (e *env) run(t *testing.T, q *modQuery, args []string) (time.Time, []row) {
	t.Helper()
	body := strings.TrimSuffix(strings.TrimSpace(e.sqlOf(t, q)), ";")
	wrapped := "select json_build_object('now', now(), 'rows', coalesce(json_agg(r), '[]'::json)) from (" + body + "\n) as r"
	var stmt string
	if len(q.params) == 0 {
		stmt = "prepare q as " + wrapped + ";\nexecute q;"
	} else {
		types := strings.TrimSuffix(strings.Repeat("text, ", len(q.params)), ", ")
		literals := make([]string, len(args))
		for i, a := range args {
			literals[i] = "'" + strings.ReplaceAll(a, "'", "''") + "'"
		}
		stmt = fmt.Sprintf("prepare q(%s) as %s;\nexecute q(%s);", types, wrapped, strings.Join(literals, ", "))
	}
	var out struct {
		Now  time.Time `json:"now"`
		Rows []row     `json:"rows"`
	}
	if err := json.Unmarshal([]byte(e.pg.Query(t, stmt)), &out); err != nil {
		t.Fatal(err)
	}
	return out.Now, out.Rows
}

// compareRows reports how got differs from want, in order. Numbers compare
// as float64, timestamps as instants.
func compareRows(got, want []row) string {
	var b strings.Builder
	if len(got) != len(want) {
		fmt.Fprintf(&b, "%d rows, want %d\n", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if !sameRow(got[i], want[i]) {
			fmt.Fprintf(&b, "row %d:\n  got  %#v\n  want %#v\n", i, got[i], want[i])
			if b.Len() > 4000 {
				break
			}
		}
	}
	return b.String()
}

func sameRow(got, want row) bool {
	if len(got) != len(want) {
		return false
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok || !sameValue(g, w) {
			return false
		}
	}
	return true
}

func sameValue(got, want any) bool {
	switch w := want.(type) {
	case time.Time:
		s, ok := got.(string)
		if !ok {
			return false
		}
		g, err := time.Parse(time.RFC3339Nano, s)
		return err == nil && g.Equal(w)
	case int:
		return sameValue(got, float64(w))
	case int64:
		return sameValue(got, float64(w))
	case float64:
		g, ok := got.(float64)
		return ok && math.Abs(g-w) < 1e-9
	}
	return reflect.DeepEqual(got, want)
}

func orOne(sets []map[string]string) []map[string]string {
	if len(sets) == 0 {
		return []map[string]string{nil}
	}
	return sets
}

func firstOr(sets []map[string]string) map[string]string {
	if len(sets) == 0 {
		return nil
	}
	return sets[0]
}
