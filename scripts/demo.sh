#!/usr/bin/env bash
# The offline first run: start the fake JourneyBee server with generated
# sample data on loopback, then run documented queries through the plugin
# with journeybee-query. Nothing here touches a real JourneyBee account or
# your ~/.steampipe config.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
mkdir -p bin
echo "building the fake server and journeybee-query (the first build takes a few minutes)…" >&2
$GO build -o bin/journeybee-fake ./cmd/journeybee-fake
CGO_ENABLED=1 $GO build -tags sqlite_vtable -o bin/journeybee-query ./cmd/journeybee-query

work=$(mktemp -d)
fake_pid=""
cleanup() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

bin/journeybee-fake -addr 127.0.0.1:0 -leads 300 -seed 7 -page-size 100 \
	-api-key demo-api-key -user-id 456 -now-relative -v >"$work/fake.out" 2>"$work/fake.err" &
fake_pid=$!
for _ in $(seq 1 100); do
	grep -q '^JOURNEYBEE_BASE_URL=' "$work/fake.out" 2>/dev/null && break
	sleep 0.1
done
base_url=$(sed -n 's/^JOURNEYBEE_BASE_URL=//p' "$work/fake.out")
if [ -z "$base_url" ]; then
	echo "the fake server did not start:" >&2
	cat "$work/fake.err" >&2
	exit 1
fi

# A connection file like ~/.steampipe/config/journeybee.spc, pointing at the fake.
cat >"$work/journeybee.spc" <<SPC
connection "journeybee_demo" {
  plugin   = "local/journeybee"
  api_key  = "demo-api-key"
  user_id  = 456
  base_url = "$base_url"
}
SPC

# doc_query HEADING prints the sql+sqlite example under "### HEADING" in the
# table doc, so the demo runs exactly the documented (and tested) queries.
doc_query() {
	awk -v heading="### $1" '
		$0 == heading { found = 1; next }
		found && /^```sql\+sqlite/ { inblock = 1; next }
		inblock && /^```/ { exit }
		inblock { print }
	' docs/tables/journeybee_lead.md
}

query() {
	bin/journeybee-query --config "$work/journeybee.spc" "$@"
}

cat <<INTRO

JourneyBee plugin demo — SAMPLE DATA from the project's fake JourneyBee server
($base_url, 300 generated leads), queried through the real plugin.
Against your own account, set api_key and user_id in ~/.steampipe/config/journeybee.spc
(or JOURNEYBEE_API_KEY / JOURNEYBEE_USER_ID) and run the same commands without --config.

INTRO

for heading in "Leads per status" "Received referrals that still need work" "Unassigned leads by age" "Partner-sourced pipeline" "Workload per user"; do
	echo "== $heading"
	sql=$(doc_query "$heading")
	if [ -z "$sql" ]; then
		echo "no example titled \"$heading\" in docs/tables/journeybee_lead.md" >&2
		exit 1
	fi
	# Long lists are cut to their first rows for the demo.
	query "select * from ($(echo "$sql" | sed 's/;[[:space:]]*$//')) limit 8"
	echo
done

csv_sql="select id, title, status, created_at from journeybee_lead where tag_id = 10 order by created_at desc limit 5"
echo "== CSV export: bin/journeybee-query --output csv \"$csv_sql\""
query --output csv "$csv_sql"
echo
echo "== Save for BI tools: bin/journeybee-query --save bin/demo-leads.db \"select * from journeybee_lead\""
query --save bin/demo-leads.db "select * from journeybee_lead"
echo
echo "The fake served $(grep -c ' GET ' "$work/fake.err") API requests for all of the above; the plugin's default"
echo "limiter (90 requests a minute: a burst of 5, then one request every 0.71 s) paced them as it"
echo "would against JourneyBee."
