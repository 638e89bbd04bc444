package main

import (
	"encoding/json"
	"slices"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// The variables @pulumi/pulumi's runtime reads (runtime/state.js and runtime/config.js:
// PULUMI_NODEJS_{ORGANIZATION,PROJECT,STACK,DRY_RUN}, PULUMI_CONFIG as a JSON object).
func TestPolicyPackEnv(t *testing.T) {
	env, err := policyPackEnv([]string{"PATH=/bin"}, &pulumirpc.AnalyzerStackConfigureRequest{
		Organization: "acme", Project: "shop", Stack: "dev", DryRun: true,
		Config: map[string]string{"shop:greeting": "hi"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"PATH=/bin", "PULUMI_NODEJS_ORGANIZATION=acme", "PULUMI_NODEJS_PROJECT=shop",
		"PULUMI_NODEJS_STACK=dev", "PULUMI_NODEJS_DRY_RUN=true"} {
		if !slices.Contains(env, want) {
			t.Errorf("missing %s in %v", want, env)
		}
	}
	var cfg map[string]string
	last := env[len(env)-1]
	if err := json.Unmarshal([]byte(last[len("PULUMI_CONFIG="):]), &cfg); err != nil || cfg["shop:greeting"] != "hi" {
		t.Errorf("PULUMI_CONFIG: got %q (%v)", last, err)
	}

	// No stack (e.g. `pulumi policy publish`): the environment is left as it is.
	env, err = policyPackEnv([]string{"PATH=/bin"}, nil)
	if err != nil || !slices.Equal(env, []string{"PATH=/bin"}) {
		t.Errorf("nil stack: got %v, %v", env, err)
	}
	// An update, not a preview: dry-run false is said, not left out.
	env, _ = policyPackEnv(nil, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "dev"})
	if !slices.Contains(env, "PULUMI_NODEJS_DRY_RUN=false") || slices.ContainsFunc(env, func(s string) bool { return s == "PULUMI_NODEJS_PROJECT=" }) {
		t.Errorf("update: got %v", env)
	}
}
