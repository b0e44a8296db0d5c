#!/usr/bin/env bash
# What a user would write instead of the plugin: page through Get Leads with
# curl and jq, the cursor being the previous page's last created_at, until a
# page is empty or `total` leads were read. Prints one line of figures:
#   rows=19994 first_row_ms=41 wall_s=11.58
# Usage: curl_jq_pager.sh BASE_URL API_KEY USER_ID
set -euo pipefail
base_url=$1 api_key=$2 user_id=$3
now_ms() { echo $(($(date +%s%N) / 1000000)); }
start=$(now_ms)
first=""
cursor="" rows=0
page=$(mktemp)
trap 'rm -f "$page"' EXIT
while :; do
	args=(-sSf -G -H "Authorization: Bearer $api_key" --data-urlencode "userId=$user_id")
	[ -n "$cursor" ] && args+=(--data-urlencode "cursor=$cursor")
	curl "${args[@]}" "$base_url/api/v1/leads" -o "$page"
	# One jq pass per page: what a user's loop body would do with the
	# leads (here: count them) and the next cursor.
	read -r n total cursor < <(jq -r '[length, (.[0].total // 0), (.[-1].created_at // "")] | @tsv' "$page")
	[ "$n" -eq 0 ] && break
	[ -z "$first" ] && first=$(($(now_ms) - start))
	rows=$((rows + n))
	[ "$rows" -ge "$total" ] && break
done
end=$(now_ms)
echo "rows=$rows first_row_ms=${first:-0} wall_s=$(awk -v ms=$((end - start)) 'BEGIN { printf "%.3f", ms / 1000 }')"
