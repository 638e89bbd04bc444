// Command langhost is a small Pulumi language host for nodejs, python and go.
//
// Upstream's language hosts are separate Go modules that the module proxy
// reachable here does not serve, so this binary stands in for all three. The
// language is picked from the name it is invoked as (argv[0]):
// pulumi-language-nodejs, pulumi-language-python or pulumi-language-go.
//
// Implemented: GetPluginInfo, Handshake, GeneratePackage, Link, Run,
// InstallDependencies, GetRequiredPackages/Plugins, About,
// GetProgramDependencies, Cancel for all three; RunPlugin for nodejs only
// (component providers and TypeScript policy packs).
// Not implemented (codes.Unimplemented): RunPlugin for python/go (so no
// Python policy packs), Pack, GenerateProgram/Project (pulumi convert), debugger attach,
// python typecheckers and node version managers.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// version is what GetPluginInfo reports; set with -ldflags -X by tools/build-langhost.sh.
var version = "3.248.0"

func main() {
	// The engine passes --logtostderr, -v=N (registered on flag.CommandLine by
	// the logging package), --tracing ADDR, then the engine address last.
	tracing := flag.String("tracing", "", "Zipkin-compatible tracing endpoint")
	showVersion := flag.Bool("version", false, "print the plugin version and exit")
	// Accepted for compatibility with upstream hosts' command lines; unused.
	flag.String("root", "", "ignored")
	flag.Bool("typescript", true, "ignored")
	flag.String("runtime", "nodejs", "ignored")
	flag.String("use-executor", "", "ignored")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	logging.InitLogging(false, 0, false)
	cmdutil.InitTracing(filepath.Base(os.Args[0]), filepath.Base(os.Args[0]), *tracing)

	lang := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-language-"), ".exe")
	if env := os.Getenv("VOLLEY_LANGHOST_LANGUAGE"); env != "" {
		lang = env // lets tests run the binary under any name
	}

	var engineAddress string
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	cancel := make(chan bool)
	go func() { <-ctx.Done(); stop(); close(cancel) }()

	// Exit when the engine goes away, like every other plugin.
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, stop); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start health check: %w", err))
		}
	}

	b := newBase(lang, engineAddress, *tracing)
	var server pulumirpc.LanguageRuntimeServer
	switch lang {
	case "nodejs":
		b.generate = generateNode
		server = &nodeHost{base: b}
	case "python":
		b.generate = generatePython
		server = &pythonHost{base: b}
	case "go":
		b.generate = generateGo
		server = &goHost{base: b}
	default:
		cmdutil.Exit(fmt.Errorf("unsupported language %q (invoke as pulumi-language-nodejs|python|go)", lang))
	}

	if omit := strings.Fields(strings.ReplaceAll(os.Getenv("VOLLEY_LANGHOST_OMIT_PACKAGES"), ",", " ")); len(omit) > 0 {
		server = omitPackages{server, omit}
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, server)
			return nil
		},
		Options: rpcutil.TracingServerInterceptorOptions(nil),
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}
	// The engine reads the port from our first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

// omitPackages hides the named packages from GetRequiredPackages. Opt-in via
// VOLLEY_LANGHOST_OMIT_PACKAGES="aws gcp": the CLI downloads every reported
// package it lacks (e.g. a component plugin's @pulumi/aws dependency for
// `pulumi package get-schema`), which fails offline; omitted ones are only
// loaded if a program really registers their resources.
type omitPackages struct {
	pulumirpc.LanguageRuntimeServer
	names []string
}

func (o omitPackages) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	resp, err := o.LanguageRuntimeServer.GetRequiredPackages(ctx, req)
	if err != nil {
		return nil, err
	}
	kept := resp.Packages[:0]
	for _, p := range resp.Packages {
		if !slices.Contains(o.names, p.Name) {
			kept = append(kept, p)
		}
	}
	resp.Packages = kept
	return resp, nil
}
