# steampipe-plugin-journeybee
GO          ?= go
TAGS        := sqlite_vtable
BIN         := bin
# journeybee-query --version prints it.
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo unknown)
# Steampipe's own variable for where it lives (default ~/.steampipe).
STEAMPIPE_INSTALL_DIR ?= $(HOME)/.steampipe
PLUGIN_DIR  := $(STEAMPIPE_INSTALL_DIR)/plugins/local/journeybee
CONFIG_DIR  := $(STEAMPIPE_INSTALL_DIR)/config
# Packages run under -race. In the plugin package the tests that stream rows
# through the SDK (whose own row streaming races) are built only without
# -race (//go:build !race): every other test of it runs here.
RACE_PKGS   := ./journeybee/...
# staticcheck, pinned in tools/staticcheck/go.mod, built once per go.sum.
STATICCHECK := $(BIN)/staticcheck

.PHONY: build install test lint vet fmt-check staticcheck test-unit test-race test-mod powerpipe demo bench fuzz clean

build:
	$(GO) build -o $(BIN)/journeybee.plugin .
	CGO_ENABLED=1 $(GO) build -tags $(TAGS) -ldflags "-X main.version=$(VERSION)" -o $(BIN)/journeybee-query ./cmd/journeybee-query
	$(GO) build -o $(BIN)/journeybee-fake ./cmd/journeybee-fake

# Installs the plugin where Steampipe looks for local plugins, and the sample
# connection config only when none exists (an existing one is never touched).
install: build
	mkdir -p $(PLUGIN_DIR) $(CONFIG_DIR)
	cp $(BIN)/journeybee.plugin $(PLUGIN_DIR)/journeybee.plugin
	@if [ -f $(CONFIG_DIR)/journeybee.spc ]; then \
		echo "kept existing $(CONFIG_DIR)/journeybee.spc"; \
	else \
		cp config/journeybee.spc $(CONFIG_DIR)/journeybee.spc; \
		echo "installed $(CONFIG_DIR)/journeybee.spc: set api_key and user_id"; \
	fi

# test-race and test-unit run side by side (each test's output kept
# together): many tests wait (processes, PostgreSQL, a pace) while the race
# detector computes.
test: lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-race test-unit

# The SDK frees memory to the OS (debug.FreeOSMemory: a full GC) every 100
# rows it streams, by default. The tests' plugins and fakes hold large heaps,
# so that was 30 of make test's 117 CPU-seconds; turning it off changes no
# row, request or error. make bench keeps the default.
TEST_ENV     = CGO_ENABLED=1 STEAMPIPE_FREE_MEM_INTERVAL=0

# The mod's tests (test/modtest) run in test-mod only, once: their
# PostgreSQL half ran here too before.
UNIT_PKGS    = $$(CGO_ENABLED=1 $(GO) list -tags $(TAGS) ./... | grep -v '/test/modtest$$')

# Everything, end to end through the SDK (no -race: the SDK's own row
# streaming races in plugin/query_data.go, so only the packages free of it
# run under -race above). -vet=off here and in test-race: make test vets
# every package (make lint) first.
# The root package's and journeybee-query's tests run the binaries of make
# build (JOURNEYBEE_BIN), linked once rather than once per package and
# again by the make install they test. -p 4: two package test binaries at a
# time left a core idle while the CLI's and the pace's tests wait on
# processes and clocks.
test-unit: build
	JOURNEYBEE_BIN=$(abspath $(BIN)) $(TEST_ENV) $(GO) test -p 4 -vet=off -tags $(TAGS) -count=1 $(UNIT_PKGS)

test-race:
	$(TEST_ENV) $(GO) test -vet=off -race -count=1 $(RACE_PKGS)

# The Powerpipe mod (powerpipe/), test/modtest: every query on PostgreSQL
# against rows the plugin produced, what a dashboard load costs in API
# requests, then every dashboard through Powerpipe itself. Powerpipe v1.5.2
# is built from tools/powerpipe once per go.sum into a cache next to Go's
# build cache: minutes the first time, nothing afterwards.
test-mod:
	bin=$$(GO=$(GO) tools/powerpipe/build.sh) && \
	JOURNEYBEE_POWERPIPE=$$bin JOURNEYBEE_REQUIRE_POSTGRES=1 $(TEST_ENV) $(GO) test -count=1 -timeout 40m ./test/modtest/

# Prints the path of the cached Powerpipe build (building it if needed).
powerpipe:
	@GO=$(GO) tools/powerpipe/build.sh

lint: vet fmt-check staticcheck

vet:
	$(GO) vet ./...
	CGO_ENABLED=1 $(GO) vet -tags $(TAGS) ./...

$(STATICCHECK): tools/staticcheck/go.mod tools/staticcheck/go.sum
	cd tools/staticcheck && $(GO) build -o ../../$(STATICCHECK) honnef.co/go/tools/cmd/staticcheck

staticcheck: $(STATICCHECK)
	CGO_ENABLED=1 $(STATICCHECK) -tags $(TAGS) ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# Throughput, memory and API calls: plugin vs raw loop vs curl+jq; writes
# docs/benchmarks.md.
bench:
	JOURNEYBEE_BENCH_REALTIME=1 CGO_ENABLED=1 $(GO) test -tags $(TAGS) -count=1 -v -run '^(TestProcessesShareOnePaceRealMinute|TestFanOutStaysUnderTheAPIRateLimitRealMinute)$$' ./journeybee/
	GO=$(GO) ./bench/run.sh

# Offline first run: the fake server with sample data, queried through the
# plugin by journeybee-query.
demo:
	GO=$(GO) ./scripts/demo.sh

clean:
	rm -rf $(BIN)

# Runs each fuzz target for FUZZTIME (the seeds also run in `make test`).
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run XXX -fuzz FuzzLeadQueryFromQuals -fuzztime $(FUZZTIME) ./journeybee/
	$(GO) test -run XXX -fuzz FuzzDecodeLeadPage -fuzztime $(FUZZTIME) ./journeybee/api/
