# pulumi-volley. `make test` is what CI runs (.ci/run).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

TS_NODE := node_modules/.bin/ts-node --transpile-only
TOOLS_ENV = . tools/env.sh

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

.PHONY: install
install: | node_modules ## Install npm dependencies

.PHONY: build
build: | node_modules ## Compile the provider to bin/
	node_modules/.bin/tsc -p tsconfig.json

.PHONY: tools
tools: ## Build the offline toolchain (Pulumi CLI, language hosts, etcd, kube-apiserver) into the cache
	tools/build-tools.sh

.PHONY: schema
schema: | node_modules ## Derive schema.json from the TypeScript types
	$(TS_NODE) tools/schema/generate.ts

.PHONY: crds
crds: | node_modules ## Render crds/ from schema.json
	$(TS_NODE) tools/schema/crds.ts

.PHONY: sdk
sdk: ## Generate sdk/{nodejs,python,go} with `pulumi package gen-sdk`
	tools/gen-sdk.sh

.PHONY: change-tables
change-tables: | node_modules ## Write the change tables (provider/*/changes.ts) for the preview summary
	$(TS_NODE) tools/preview-summary/change-tables.ts

.PHONY: generate
generate: schema crds sdk change-tables ## schema + crds + sdk + change tables

.PHONY: test
test: ## Everything CI runs
	tools/test.sh

.PHONY: test-unit
test-unit: build ## Render/validate tables and component graphs under mocks
	node_modules/.bin/mocha

.PHONY: bench
bench: build ## Plugin cold start to first Construct (ours vs the source-based host), the critical paths, then scale (bench-scale, bench-autoscale)
	tools/bench.sh
	$(MAKE) --no-print-directory critical-path
	$(MAKE) --no-print-directory bench-scale
	$(MAKE) --no-print-directory bench-autoscale

.PHONY: bench-autoscale
bench-autoscale: build ## Seconds from a replicas change to all pods Running when Karpenter must add nodes (median of BENCH_RUNS, default 3), on a local cluster
	tools/with-cluster.sh tools/bench/autoscale.sh

.PHONY: bench-scale
bench-scale: build ## N applications (BENCH_APPS, default "1 10 50") vs the same objects as a plain program, on a local cluster
	tools/with-cluster.sh tools/bench/scale.sh

.PHONY: critical-path
critical-path: | node_modules ## Estimated fresh-up time of AWS, GCP and Azure environments vs the floor (dependency graph under mocks)
	$(TS_NODE) tools/critical-path/aws.ts
	$(TS_NODE) tools/critical-path/gcp.ts
	$(TS_NODE) tools/critical-path/azure.ts

.PHONY: preview-summary
preview-summary: ## Markdown summary of PREVIEW=<file> (from `pulumi preview --json --show-sames`) for a pull request
	@test -n "$(PREVIEW)" || { echo "usage: make preview-summary PREVIEW=preview.json" >&2; exit 2; }
	@node .github/actions/preview-summary/summary.js "$(PREVIEW)"

.PHONY: up
up: build ## Deploy examples/kubernetes-ts to $KUBECONFIG's cluster, or to a local control plane
	tools/local.sh up

.PHONY: down
down: ## Destroy what `make up` deployed and stop the local control plane
	tools/local.sh down
