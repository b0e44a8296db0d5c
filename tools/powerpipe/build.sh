#!/usr/bin/env bash
# Builds the pinned Powerpipe (tools/powerpipe/go.mod) and prints the binary's
# path. The binary is cached next to Go's build cache, keyed by go.mod, go.sum,
# this script and the Go version, so reruns (and CI runs with a kept cache)
# skip the multi-minute build; POWERPIPE_CACHE_DIR moves the cache.
set -euo pipefail
cd "$(dirname "$0")"
GO=${GO:-go}
key=$({ cat go.sum go.mod build.sh; "$GO" version; } | sha256sum | cut -c1-16)
dir=${POWERPIPE_CACHE_DIR:-$("$GO" env GOCACHE)/../journeybee-powerpipe}/$key
bin=$dir/powerpipe
if [ ! -x "$bin" ]; then
	mkdir -p "$dir"
	version=$("$GO" list -m -f '{{.Version}}' github.com/turbot/powerpipe)
	start=$(date +%s)
	# -mod=readonly: the committed go.sum is the whole trust set.
	"$GO" build -mod=readonly -trimpath -buildvcs=false -o "$bin.tmp" \
		-ldflags "-s -w -X main.version=${version#v}" github.com/turbot/powerpipe >&2
	mv "$bin.tmp" "$bin"
	echo "built powerpipe $version in $(($(date +%s) - start))s: $bin" >&2
fi
echo "$bin"
