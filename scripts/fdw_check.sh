#!/usr/bin/env bash
# fdw_check.sh: a by-hand check, not CI. Builds the standalone Steampipe
# Postgres FDW (turbot/steampipe-postgres-fdw, from a source tree you
# fetched) around this repository's plugin, runs it in a private PostgreSQL
# cluster against the fake JourneyBee server, and counts the API requests
# of each dashboard and benchmark of a Powerpipe mod, first load and
# refresh, as a user's Powerpipe would make them. See
# powerpipe/docs/fdw_check.md.
set -euo pipefail

usage() {
	cat <<'EOF'
usage: scripts/fdw_check.sh [options] FDW_SOURCE

FDW_SOURCE is a source tree of turbot/steampipe-postgres-fdw (checked with
v2.0.0), e.g. `mkdir src && git -C steampipe-postgres-fdw archive v2.0.0 | tar -x -C src`.

  -s SIZES  lead counts of the fake's generated account, comma-separated
            (default 1000,20000)
  -m DIR    the Powerpipe mod to measure (default: this repository's powerpipe/)
  -w DIR    work directory: build, PostgreSQL cluster, logs, results
            (default /tmp/journeybee-fdw-check); never inside the repository
  -p PORT   the private cluster's port (default 55471)
  -r RATE   the connection's max_requests_per_minute (default 90, the
            plugin's default; a higher one only makes large sizes faster,
            the requests counted are the same)
  -d NAMES  only these dashboards/benchmarks, comma-separated (default all)
  -B        reuse the FDW built by an earlier run in the work directory
  -h        this help

Needs PostgreSQL server binaries and headers (pg_config on PATH, or
PG_CONFIG=/path/to/pg_config), Go, make, a C compiler, jq, perl. As root, the
cluster runs as the user "postgres" (initdb refuses root).
Results: WORK/results.md (beside each figure, the bound the mod's
docs/index.md documents for that size, if any), and per load WORK/loads/<size>/<name>.<first|refresh>.txt
with the API requests the fake logged and the scans (table, quals, limit)
the plugin logged, to see what the FDW pushed down.
EOF
}

repo=$(cd "$(dirname "$0")/.." && pwd)
sizes=1000,20000
mod=$repo/powerpipe
work=/tmp/journeybee-fdw-check
port=55471
rate=90
only=
reuse=
while getopts 's:m:w:p:r:d:Bh' opt; do
	case $opt in
	s) sizes=$OPTARG ;;
	m) mod=$OPTARG ;;
	w) work=$OPTARG ;;
	p) port=$OPTARG ;;
	r) rate=$OPTARG ;;
	d) only=$OPTARG ;;
	B) reuse=1 ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -ne 1 ]; then
	usage >&2
	exit 2
fi

die() {
	echo "fdw_check: $*" >&2
	exit 1
}

fdw_src=$(cd "$1" 2>/dev/null && pwd) || die "FDW_SOURCE $1 is not a directory"
[ -f "$fdw_src/generate/generator.go" ] && [ -d "$fdw_src/templates" ] ||
	die "$fdw_src is not a steampipe-postgres-fdw source tree (no generate/generator.go and templates/)"
mod=$(cd "$mod" 2>/dev/null && pwd) || die "mod directory $mod not found"
[ -f "$mod/mod.pp" ] || die "$mod holds no mod.pp"
case $sizes in *[!0-9,]* | '' | ,* | *,) die "-s takes lead counts separated by commas, e.g. 1000,20000; got '$sizes'" ;; esac
case $rate in *[!0-9]* | '') die "-r takes a number of requests per minute (2 to 100000); got '$rate'" ;; esac
case $port in *[!0-9]* | '') die "-p takes a port number; got '$port'" ;; esac
work=$(realpath -m "$work")
case $work/ in "$repo"/*) die "the work directory $work is inside the repository: nothing built from the FDW may be committed" ;; esac
mkdir -p "$work"

if [ -n "${PG_CONFIG:-}" ]; then
	PATH=$(dirname "$PG_CONFIG"):$PATH
fi
command -v pg_config >/dev/null || die "pg_config not found: install the PostgreSQL server headers (e.g. postgresql-server-dev-15) or set PG_CONFIG"
for tool in go make jq cc perl; do
	command -v $tool >/dev/null || die "$tool not found"
done
module=$(cd "$repo" && go list -m)
plugin=journeybee
logs=$work/logs
mkdir -p "$logs"

# As root, PostgreSQL runs as "postgres"; files it writes must be its own.
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}
pg_owned() {
	mkdir -p "$@"
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$@"
	fi
}

# --- build ---------------------------------------------------------------
# The FDW Makefile's standalone target, step by step: it needs rsync and a
# published plugin version, and here the plugin is this working tree.
build=$work/build
so=$build/build-$(uname)/steampipe_postgres_$plugin.so
if [ -z "$reuse" ] || [ ! -f "$so" ]; then
	echo "building the FDW around $module (log: $logs/build.log)"
	rm -rf "$build"
	mkdir -p "$build"
	(cd "$fdw_src" && tar -c --exclude=./.git --exclude=./work .) | tar -x -C "$build"
	(
		set -e
		cd "$build"
		make prebuild.go
		go run generate/generator.go templates . $plugin "" "$module"
		go mod edit -require="$module@v0.0.0" -replace="$module=$repo"
		go mod tidy
		make -C fdw clean
		make -C fdw go
		make -C fdw
		make -C fdw standalone plugin=$plugin
	) >"$logs/build.log" 2>&1 || die "the FDW build failed; the end of $logs/build.log:
$(tail -20 "$logs/build.log")"
fi
[ -f "$so" ] || die "the build made no $so"

# --- a private PostgreSQL ------------------------------------------------
# A copy of the installation keeps the extension out of the system's
# directories: PostgreSQL finds lib/ and share/ relative to its binaries.
pg=$work/pg
bindir=$(pg_config --bindir)
libdir=$(pg_config --pkglibdir)
sharedir=$(pg_config --sharedir)
if [ ! -x "$pg$bindir/postgres" ]; then
	for d in "$bindir" "$libdir" "$sharedir"; do
		mkdir -p "$pg$(dirname "$d")"
		cp -a "$d" "$pg$d"
	done
fi
[ "$("$pg$bindir/pg_config" --sharedir)" = "$pg$sharedir" ] ||
	die "the copied PostgreSQL does not find its share directory under $pg (is this installation relocatable?)"
cp "$so" "$pg$libdir/"
cp "$build/build-$(uname)/steampipe_postgres_$plugin.control" "$build/build-$(uname)/steampipe_postgres_$plugin--1.0.sql" "$pg$sharedir/extension/"

data=$work/pgdata
sock=$work/sock
state=$work/state
pg_owned "$sock" "$state" "$logs"
chmod 700 "$state"
if [ ! -f "$data/PG_VERSION" ]; then
	pg_owned "$data"
	as_pg "$pg$bindir/initdb" -D "$data" -A trust -U postgres --no-sync -E UTF8 --locale=C >"$logs/initdb.log" 2>&1 ||
		die "initdb failed: see $logs/initdb.log"
fi

fake_pid=
cleanup() {
	as_pg "$pg$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
	if [ -n "$fake_pid" ]; then
		kill "$fake_pid" 2>/dev/null || true
	fi
}
trap cleanup EXIT

# The fake's key reaches the plugin through the environment, not the
# server's config: the FDW logs its server config at INFO.
key=fdw-check-key
as_pg "$pg$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
as_pg env STEAMPIPE_LOG_LEVEL=INFO STEAMPIPE_INSTALL_DIR="$work/steampipe" JOURNEYBEE_API_KEY=$key \
	"$pg$bindir/pg_ctl" -D "$data" -o "-p $port -k $sock -c listen_addresses=127.0.0.1" -l "$logs/postgres.log" -w start >/dev/null ||
	die "PostgreSQL did not start on port $port: see $logs/postgres.log"
sql() {
	psql -v ON_ERROR_STOP=1 -qAt -h "$sock" -p "$port" -U postgres "$@"
}

pg_owned "$work/steampipe"
sql <<EOF
set client_min_messages = warning;
drop schema if exists $plugin cascade;
drop extension if exists steampipe_postgres_$plugin cascade;
create extension steampipe_postgres_$plugin schema public;
create server steampipe_$plugin foreign data wrapper steampipe_postgres_$plugin;
create schema $plugin;
import foreign schema $plugin from server steampipe_$plugin into $plugin;
alter database postgres set search_path = $plugin, public;
-- What Powerpipe reads to check the mod's plugin requirement.
drop schema if exists steampipe_internal cascade;
create schema steampipe_internal;
create table steampipe_internal.steampipe_plugin (plugin text, version text);
create table steampipe_internal.steampipe_connection (name text, plugin text);
insert into steampipe_internal.steampipe_plugin values ('local/$plugin', 'local');
insert into steampipe_internal.steampipe_connection values ('$plugin', 'local/$plugin');
EOF

# --- Powerpipe and the fake ----------------------------------------------
powerpipe=${POWERPIPE:-$(make -s -C "$repo" powerpipe)}
[ -x "$powerpipe" ] || die "no Powerpipe binary at $powerpipe"
pphome=$work/powerpipe
mkdir -p "$pphome/config"
cat >"$pphome/config/fdw.ppc" <<EOF
connection "steampipe" "fdw" {
  host     = "127.0.0.1"
  port     = $port
  db       = "postgres"
  username = "postgres"
}
EOF
# Powerpipe may write into the mod directory: run a copy.
modcopy=$work/mod
rm -rf "$modcopy"
cp -a "$mod" "$modcopy"
(cd "$repo" && go build -o "$work/journeybee-fake" ./cmd/journeybee-fake)

names=$(grep -rhoE '^(dashboard|benchmark) "[a-z0-9_]+"' "$modcopy" --include='*.pp' | sort -k2 | awk '{gsub(/"/, "", $2); print $1 ":" $2}')
if [ -n "$only" ]; then
	names=$(for n in $names; do case ",$only," in *",${n#*:},"*) echo "$n" ;; esac; done)
	[ -n "$names" ] || die "-d $only names no dashboard or benchmark of $mod"
fi

# pp ARGS...: Powerpipe with its config (the connection) in the work
# directory, and no update check or telemetry.
pp() {
	env POWERPIPE_INSTALL_DIR="$pphome" POWERPIPE_UPDATE_CHECK=false POWERPIPE_TELEMETRY=none "$powerpipe" "$@"
}

# powerpipe_run KIND NAME FILE [ARGS...]: one Powerpipe run exporting to
# FILE; prints its exit status.
powerpipe_run() {
	local kind=$1 name=$2 file=$3 rc=0
	shift 3
	pp "$kind" run "$name" --mod-location "$modcopy" --var database=connection.steampipe.fdw \
		--progress=false --input=false --output none --export "$file" "$@" \
		>"${file%.*}.stdout" 2>"${file%.*}.stderr" || rc=$?
	echo $rc
}

# choose_inputs NAME OUT: sets input_args to one value per input of the
# dashboard: "all" where the input offers it, else its first option (a lead
# id, say), from a run of the input's own query (not counted).
input_args=()
choose_inputs() {
	local name=$1 out=$2 input query value
	input_args=()
	while read -r input query; do
		[ "$query" != null ] || die "$name: input $input has no query to take a value from"
		pp query run "$query" --mod-location "$modcopy" --var database=connection.steampipe.fdw \
			--progress=false --output json >"$out.input.$input.json" 2>"$out.input.$input.stderr" ||
			die "$name: the query of input $input failed: $(head -c 2000 "$out.input.$input.stderr")"
		value=$(jq -r '.rows // [] | (map(select(.value == "all"))[0].value // .[0].value // empty)' "$out.input.$input.json")
		[ -n "$value" ] || die "$name: input $input offers no option (see $out.input.$input.json)"
		input_args+=(--arg "$input=$value")
	done < <(pp dashboard show "$name" --mod-location "$modcopy" --output json |
		jq -r '.[0].inputs // [] | .[] | "\(.resource_name) \(.query)"')
}

# run_load KIND NAME OUT: one counted load; fails on a panel or control that
# did not complete (a failed query costs no request and would look cheap).
run_load() {
	local kind=$1 name=$2 out=$3 rc
	if [ "$kind" = benchmark ]; then
		rc=$(powerpipe_run benchmark "$name" "$out.json")
		# 0 all ok, 1 some control alarms, 2 a control's query failed.
		[ "$rc" -le 1 ] || die "powerpipe benchmark run $name exited $rc: $(head -c 2000 "$out.stderr")"
		local errors
		errors=$(jq '[.. | objects | select(has("summary")) | .summary | (.status // .) | .error // 0] | add // 0' "$out.json")
		[ "$errors" = 0 ] || die "$name: $errors control rows in error, see $out.json"
	else
		rc=$(powerpipe_run dashboard "$name" "$out.pps" ${input_args[@]+"${input_args[@]}"})
		[ "$rc" = 0 ] || die "powerpipe dashboard run $name exited $rc: $(head -c 2000 "$out.stderr")"
		local bad
		bad=$(jq -r '[.panels[] | select(.status != "complete") | .name] | join(", ")' "$out.pps")
		[ -z "$bad" ] || die "$name: panels not complete: $bad (see $out.pps)"
	fi
}

# plugin_scans FROM: one line per scan the plugin ran, from line FROM of
# the PostgreSQL log on: the table, the quals the FDW pushed (in a fixed
# order, times left out) and the limit.
plugin_scans() {
	# Scans started at the same moment share an id: a limit goes to the
	# earliest scan of its id still without one.
	tail -n +"$1" "$logs/postgres.log" | perl -ne '
		if (/Plugin execute table name: (\w+) quals: (.*) \((\d+)\)$/) {
			my ($t, $q, $id) = ($1, $2, $3);
			$q =~ s/\{seconds:\d+(\s+nanos:\d+)?\}/{<time>}/g;
			$q =~ s/,\s*$//;
			push @scans, [$t, join(", ", sort split /, (?=\w+ &\{)/, $q), "?"];
			push @{$open{$id}}, $#scans;
		} elsif (/calling fetchItems, table: \w+, .*limit: (-?\d+)\s+\(\w+-(\d+)\)/) {
			my ($limit, $id) = ($1, $2);
			$scans[shift @{$open{$id}}][2] = $limit if @{$open{$id} // []};
		}
		END { print "$$_[0] | $$_[1] | limit $$_[2]\n" for @scans }'
}

# documented NAME LEADS: the requests per load the mod's docs/index.md
# table gives (columns 1,000, 20,000 and 100,000 leads), or "-".
documented() {
	awk -F'|' -v name="\`$1\`" -v col="$(case $2 in 1000) echo 3 ;; 20000) echo 4 ;; 100000) echo 5 ;; *) echo 0 ;; esac)" '
		col > 0 && $2 ~ "^ *" name " *$" { gsub(/ /, "", $col); v = $col } END { print (v == "" ? "-" : v) }' "$mod/docs/index.md" 2>/dev/null || echo -
}

results=$work/results.md
{
	echo "# Requests per load through the standalone FDW"
	echo
	echo "FDW $(sed -nE 's/^var fdwVersion = "(.*)"/\1/p' "$fdw_src/version/version.go"), plugin $(cd "$repo" && git describe --always --dirty), mod $mod, max_requests_per_minute $rate, $(date -u +%FT%TZ)"
	echo
	echo "| dashboard or benchmark | leads | documented | first load | refresh | distinct scans (first load) |"
	echo "|---|---|---|---|---|---|"
} >"$results"

IFS=, read -ra size_list <<<"$sizes"
for n in "${size_list[@]}"; do
	# The generated account TestModCostTable measures: seed 12, dated from now.
	fake_log=$logs/fake-$n.log
	"$work/journeybee-fake" -addr 127.0.0.1:0 -leads "$n" -seed 12 -now-relative -v -api-key $key \
		>"$logs/fake-$n.out" 2>"$fake_log" &
	fake_pid=$!
	for _ in $(seq 100); do
		grep -q '^JOURNEYBEE_BASE_URL=' "$logs/fake-$n.out" 2>/dev/null && break
		sleep 0.2
	done
	base_url=$(sed -n 's/^JOURNEYBEE_BASE_URL=//p' "$logs/fake-$n.out")
	[ -n "$base_url" ] || die "the fake server did not start: see $fake_log"
	sql -c "alter server steampipe_$plugin options (config '
user_id = 456
base_url = \"$base_url\"
cache_ttl = 300
max_requests_per_minute = $rate
state_dir = \"$state/$n\"
')"
	loads=$work/loads/$n
	mkdir -p "$loads"
	for entry in $names; do
		kind=${entry%%:*} name=${entry#*:}
		input_args=()
		if [ "$kind" = dashboard ]; then
			choose_inputs "$name" "$loads/$name"
		fi
		# A first load starts with no reply shared by earlier runs.
		rm -rf "${state:?}/$n"
		row="| \`$name\` | $n | $(documented "$name" "$n")"
		for load in first refresh; do
			out=$loads/$name.$load
			req0=$(wc -l <"$fake_log")
			log0=$(wc -l <"$logs/postgres.log")
			start=$(date +%s)
			run_load "$kind" "$name" "$out"
			secs=$(($(date +%s) - start))
			reqs=$(($(wc -l <"$fake_log") - req0))
			{
				echo "$kind $name, $n leads, $load load: $reqs API requests in ${secs}s"
				echo "inputs: ${input_args[*]:-none}"
				echo
				echo "API requests by path and filters (cursor left out):"
				tail -n +$((req0 + 1)) "$fake_log" | sed -E 's/^[^ ]+ #[0-9]+ //; s/cursor=[^& ]*&?//; s/[?&] / /' | sort | uniq -c | sort -rn
				echo
				echo "plugin scans (table, quals the FDW pushed, limit):"
				plugin_scans $((log0 + 1)) | sort | uniq -c | sort -rn
			} >"$out.txt"
			if [ $load = first ]; then
				scans=$(plugin_scans $((log0 + 1)) | sort -u | wc -l)
			fi
			row="$row | $reqs"
			echo "$name, $n leads, $load load: $reqs requests (${secs}s)"
		done
		echo "$row | $scans |" >>"$results"
	done
	kill "$fake_pid"
	wait "$fake_pid" 2>/dev/null || true
	fake_pid=
done
echo
cat "$results"
