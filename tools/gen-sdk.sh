#!/usr/bin/env bash
# `make sdk`: generates sdk/{nodejs,python,go} from schema.json with Pulumi's
# own code generators (`pulumi package gen-sdk`), one language at a time.
# sdk/go.mod is derived too, so the Go SDK is a module consumers can require.
. "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"
. tools/env.sh

for lang in nodejs python go; do
  # gen-sdk writes <out>/<lang>, replacing what was there.
  step "gen-sdk $lang" pulumi package gen-sdk schema.json --language "$lang" -o sdk
done

# The Go SDK's module: import path github.com/volley-io/pulumi-volley/sdk/go/volley.
gomod() {
  cd "$REPO_DIR/sdk"
  rm -f go.mod go.sum
  go mod init github.com/volley-io/pulumi-volley/sdk >/dev/null 2>&1
  go mod edit -go=1.25 -require="github.com/pulumi/pulumi/sdk/v3@$PULUMI_GO_SDK_VERSION"
  GOFLAGS=-mod=mod GOSUMDB=off go mod tidy
}
step "sdk/go.mod" gomod
