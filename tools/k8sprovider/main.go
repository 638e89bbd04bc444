// Command pulumi-resource-kubernetes is a TEST STAND-IN for the Pulumi
// Kubernetes resource provider. It is never installed for users and is not
// shipped with pulumi-volley.
//
// Why: our tests run the real Pulumi engine against a real kube-apiserver,
// but the real provider (Go module github.com/pulumi/pulumi-kubernetes/
// provider/v4) is not served by the reachable Go module proxy and no
// registry ships its binary. This stand-in answers to the plugin name
// `kubernetes` at version 4.32.0 (the @pulumi/kubernetes version our
// package pins) and implements just enough of it: plain Kubernetes objects
// (`kubernetes:<group>/<version>:<Kind>`, core group `core/v1`, custom
// resources included) applied with server-side apply, diffs on inputs,
// a few await rules (see provider.go), reads and deletes. Helm charts,
// yaml/v2 ConfigGroup, *Patch resources and provider functions are not
// supported and fail with a clear error.
//
// Build:   tools/build-k8sprovider.sh   (prints the bin directory)
// Install into a test PULUMI_HOME:
//
//	pulumi plugin install resource kubernetes 4.32.0 \
//	    --file "$(tools/build-k8sprovider.sh)/pulumi-resource-kubernetes"
//
// Provider config: `kubeconfig` (YAML/JSON text, or a path; empty means the
// KUBECONFIG environment variable or ~/.kube/config), `context`, `cluster`,
// `namespace`; other keys the Node SDK sends are accepted and ignored.
//
// The engine starts it as: pulumi-resource-kubernetes [flags] ENGINE_ADDRESS;
// it prints the port of its gRPC server on stdout, like every plugin.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-kubernetes (test stand-in): %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	// The engine may pass --logtostderr, -v=N, --logflow, --tracing URL
	// before the engine address; none of them matter here.
	var positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-version" || a == "--version":
			fmt.Println(pluginVersion)
			return nil
		case a == "-tracing" || a == "--tracing":
			i++ // takes a value
		case strings.HasPrefix(a, "-"):
		default:
			positional = append(positional, a)
		}
	}
	engineAddr := ""
	if len(positional) > 0 {
		engineAddr = positional[0]
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	if engineAddr != "" {
		// Exit when the engine goes away.
		ctx2, cancel2 := context.WithCancel(ctx)
		defer cancel2()
		if err := rpcutil.Healthcheck(ctx2, engineAddr, 5*time.Minute, cancel2); err != nil {
			return fmt.Errorf("health check of the engine at %s: %w", engineAddr, err)
		}
		ctx = ctx2
	}
	prov, err := newProvider(engineAddr)
	if err != nil {
		return err
	}
	stop := make(chan bool)
	go func() { <-ctx.Done(); close(stop) }()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterResourceProviderServer(srv, prov)
			return nil
		},
	})
	if err != nil {
		return err
	}
	fmt.Printf("%d\n", handle.Port)
	return <-handle.Done
}
