#!/usr/bin/env bash
# journeybee-query's progress line against its absence: the same scan
# (count … group by status over QUERY_LEADS leads at QUERY_LATENCY a
# request) run QUERY_PAIRS times each way, alternating which goes first,
# both with stderr on a pseudo-terminal (util-linux script): one draws the
# progress line, the other has --quiet. The rate limit is lifted
# (max_requests_per_minute = 100000) so that the round trips, not the
# limiter, set the pace. Writes $OUT/query_progress.tsv and the markdown
# section $OUT/query_progress.md that bench/run.sh puts in
# docs/benchmarks.md. Runs alone too:
#
#	QUERY_LEADS=3000 QUERY_PAIRS=2 bench/query_progress.sh
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
OUT=${OUT:-bench/out}
LEADS=${QUERY_LEADS:-20000}
LATENCY=${QUERY_LATENCY:-100ms}
PAIRS=${QUERY_PAIRS:-3}
mkdir -p "$OUT"
command -v script >/dev/null || { echo "bench: script (util-linux) is needed for a pseudo-terminal" >&2; exit 1; }

CGO_ENABLED=1 $GO build -tags sqlite_vtable -o "$OUT/journeybee-query" ./cmd/journeybee-query
$GO build -o "$OUT/journeybee-fake" ./cmd/journeybee-fake

KEY=bench-api-key
"$OUT/journeybee-fake" -addr 127.0.0.1:0 -leads "$LEADS" -seed 1 -page-size 100 -latency "$LATENCY" \
	-api-key "$KEY" -user-id 456 >"$OUT/qfake.out" 2>"$OUT/qfake.log" &
FAKE=$!
trap 'kill $FAKE 2>/dev/null || true; wait $FAKE 2>/dev/null || true' EXIT
URL=""
for _ in $(seq 1 600); do
	URL=$(sed -n 's/^JOURNEYBEE_BASE_URL=//p' "$OUT/qfake.out")
	[ -n "$URL" ] && break
	sleep 0.1
done
[ -n "$URL" ] || { echo "bench: the fake did not start" >&2; cat "$OUT/qfake.log" >&2; exit 1; }

cat >"$OUT/query.spc" <<SPC
connection "journeybee" {
  plugin                  = "journeybee"
  api_key                 = "$KEY"
  user_id                 = 456
  base_url                = "$URL"
  max_requests_per_minute = 100000
  cache_ttl               = 0
}
SPC

QUERY="select status, count(*) as leads from journeybee_lead group by status"
TSV=$OUT/query_progress.tsv
: >"$TSV"
# one MODE: a run with stderr on a pseudo-terminal; prints wall seconds and
# the number of progress frames the terminal received.
one() {
	local mode=$1 flags=""
	[ "$mode" = quiet ] && flags="--quiet"
	local start end
	start=$(date +%s%N)
	script -qfec "/usr/bin/time -f '%U %S' -o '$OUT/query.time' '$OUT/journeybee-query' --config '$OUT/query.spc' $flags \"$QUERY\" >'$OUT/query.out'" "$OUT/query.tty" >/dev/null
	end=$(date +%s%N)
	grep -q '^| status' "$OUT/query.out" || { echo "bench: journeybee-query printed no result" >&2; cat "$OUT/query.tty" >&2; exit 1; }
	local frames
	frames=$( (grep -o 'requests, ' "$OUT/query.tty" || true) | wc -l)
	local cpu
	cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$OUT/query.time")
	printf '%s\t%s\t%s\t%s\n' "$mode" "$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')" "$frames" "$cpu" | tee -a "$TSV" >&2
}
echo "bench: journeybee-query, $LEADS leads at $LATENCY, $PAIRS pairs" >&2
for i in $(seq 1 "$PAIRS"); do
	if [ $((i % 2)) = 1 ]; then one quiet; one progress; else one progress; one quiet; fi
done

# median MODE [COLUMN]: the median wall time (or CPU, column 4) of a mode.
median() { awk -F'\t' -v m="$1" -v c="${2:-2}" '$1 == m { print $c }' "$TSV" | sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
q=$(median quiet)
p=$(median progress)
change=$(awk -v q="$q" -v p="$p" 'BEGIN { printf "%+.1f", 100 * (p - q) / q }')
qc=$(median quiet 4)
pc=$(median progress 4)
load=$(cut -d' ' -f1-3 /proc/loadavg)
frames=$(awk -F'\t' '$1 == "progress" { if (m == "" || $3 < m) m = $3 } END { print m + 0 }' "$TSV")
quiet_frames=$(awk -F'\t' '$1 == "quiet" { s += $3 } END { print s + 0 }' "$TSV")
met=$(awk -v c="$change" -v f="$frames" -v qf="$quiet_frames" 'BEGIN { print (c <= 3 && f >= 2 && qf == 0) ? "**met**" : "**not met**" }')
runs=$(awk -F'\t' '{ printf "%s%s %s s, CPU %s s (%d frames)", (NR > 1 ? "; " : ""), $1, $2, $4, $3 }' "$TSV")
cat >"$OUT/query_progress.md" <<MD
## journeybee-query: the progress line's cost

\`bench/query_progress.sh\`: \`$QUERY\` over $LEADS leads at $LATENCY a request (rate limit lifted), $PAIRS
pairs of runs, alternating which goes first, stderr on a pseudo-terminal for both; one draws the progress line
(redrawn every 150 ms), the other has \`--quiet\`. Wall time is the whole process, start-up included.

| target | measured | |
|---|---|---|
| with progress within 3% of the time without, and progress live | median ${p} s with progress, ${q} s without (${change}%); at least $frames frames drawn per run, $quiet_frames with --quiet | $met |

CPU (user + system, median): ${pc} s with progress, ${qc} s without. Load average at the end: $load. Runs in order: $runs.
MD
cat "$OUT/query_progress.md"
