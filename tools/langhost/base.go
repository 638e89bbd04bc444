package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// base holds what every language shares; the per-language hosts embed it and
// override the RPCs that differ. Unimplemented RPCs (Pack, GenerateProgram,
// ...) answer codes.Unimplemented through the embedded upstream stub.
type base struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	lang          string
	engineAddress string
	tracing       string
	cancelCtx     context.Context // cancelled by the Cancel RPC
	cancelFunc    context.CancelFunc

	// generate turns a bound schema into SDK files for this language.
	generate func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest,
		loader schema.ReferenceLoader) (map[string][]byte, error)
}

func newBase(lang, engineAddress, tracing string) base {
	ctx, cancel := context.WithCancel(context.Background())
	return base{lang: lang, engineAddress: engineAddress, tracing: tracing, cancelCtx: ctx, cancelFunc: cancel}
}

func (b *base) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// Handshake is only used when the engine attaches to an already running host
// (PULUMI_DEBUG_LANGUAGES); record the engine address like a CLI argument.
func (b *base) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.EngineAddress == "" {
		return nil, errors.New("handshake must contain the engine address")
	}
	b.engineAddress = req.EngineAddress
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (b *base) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	b.cancelFunc()
	return &emptypb.Empty{}, nil
}

func (b *base) Template(context.Context, *pulumirpc.TemplateRequest) (*pulumirpc.TemplateResponse, error) {
	return &pulumirpc.TemplateResponse{}, nil
}

func (b *base) RuntimeOptionsPrompts(context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// requiredPlugins answers the deprecated GetRequiredPlugins (the engine
// only falls back to it) from the GetRequiredPackages result.
func requiredPlugins(resp *pulumirpc.GetRequiredPackagesResponse, err error,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	if err != nil {
		return nil, err
	}
	out := &pulumirpc.GetRequiredPluginsResponse{}
	for _, p := range resp.Packages {
		out.Plugins = append(out.Plugins, &pulumirpc.PluginDependency{
			Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server,
		})
	}
	return out, nil
}

// GeneratePackage binds the schema against the engine's schema loader (so
// references to other packages resolve) and writes the SDK into req.Directory.
func (b *base) GeneratePackage(_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	cached := schema.NewCachedLoader(loader)

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.Schema), &spec); err != nil {
		return nil, err
	}
	pkg, diags, err := schema.BindSpec(spec, cached, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}
	if diags.HasErrors() {
		return resp, nil
	}
	files, err := b.generate(pkg, req, cached)
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		out := filepath.Join(req.Directory, name)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return nil, fmt.Errorf("could not write %s: %w", name, err)
		}
	}
	return resp, nil
}

// linkedPackage is one package of a Link request, its schema imported for lang.
type linkedPackage struct {
	pkg  *schema.Package
	path string // SDK directory, relative to the project root
}

// loadLinkPackages resolves every package of a Link request through the
// engine's schema loader and decodes the language section with importer.
func loadLinkPackages(ctx context.Context, req *pulumirpc.LinkRequest, lang string, importer schema.Language,
) ([]linkedPackage, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	cached := schema.NewCachedLoader(loader)

	var result []linkedPackage
	for _, dep := range req.Packages {
		desc := &schema.PackageDescriptor{Name: dep.Package.Name, DownloadURL: dep.Package.Server}
		if v, err := semver.ParseTolerant(dep.Package.Version); err == nil {
			desc.Version = &v
		}
		if p := dep.Package.Parameterization; p != nil {
			desc.Parameterization = &schema.ParameterizationDescriptor{Name: p.Name, Value: p.Value}
			if v, err := semver.ParseTolerant(p.Version); err == nil {
				desc.Parameterization.Version = v
			}
		}
		if dep.Package.Name == "pulumi" { // the core SDK itself, no schema to load
			result = append(result, linkedPackage{path: dep.Path})
			continue
		}
		ref, err := schema.LoadPackageReferenceV2(ctx, cached, desc)
		if err != nil {
			return nil, err
		}
		pkg, err := ref.Definition()
		if err != nil {
			return nil, err
		}
		if err := pkg.ImportLanguages(map[string]schema.Language{lang: importer}); err != nil {
			return nil, err
		}
		result = append(result, linkedPackage{pkg: pkg, path: dep.Path})
	}
	return result, nil
}

// runStreamed runs cmd with its output sent to the given writers. Node changes
// its stdio to non-blocking mode, so never hand it our own *os.File: the
// struct wrapper forces exec to copy through a pipe instead.
func runStreamed(cmd *exec.Cmd, stdout, stderr io.Writer) error {
	cmd.Stdout = struct{ io.Writer }{stdout}
	cmd.Stderr = struct{ io.Writer }{stderr}
	logging.V(5).Infof("langhost running %v in %s", cmd.Args, cmd.Dir)
	return cmd.Run()
}

// interruptible makes cmd get SIGINT (then SIGKILL after 5 s) when its
// context ends, so programs can clean up on Cancel.
func interruptible(cmd *exec.Cmd) *exec.Cmd {
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// runContext is cancelled when either the RPC ends or Cancel is called.
func (b *base) runContext(rpcCtx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(b.cancelCtx)
	stop := context.AfterFunc(rpcCtx, cancel)
	return ctx, func() { stop(); cancel() }
}

// exitResponse maps a program's exit to a RunResponse. Exit code 32 means the
// program already reported a user-actionable error, so the engine just bails.
func exitResponse(err error, what string) *pulumirpc.RunResponse {
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if exitErr.ExitCode() == 32 {
			return &pulumirpc.RunResponse{Bail: true}
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("%s exited with non-zero exit code: %d", what, exitErr.ExitCode())}
	}
	return &pulumirpc.RunResponse{Error: fmt.Sprintf("problem executing %s: %v", what, err)}
}

// installStreams wraps the InstallDependencies stream for child processes.
func installStreams(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) (io.Closer, io.Writer, io.Writer, error) {
	return rpcutil.MakeInstallDependenciesStreams(server, req.IsTerminal)
}

// configJSON serialises a RunRequest's config map ("{}" when empty).
func configJSON(m map[string]string) string {
	if m == nil {
		m = map[string]string{}
	}
	data, _ := json.Marshal(m)
	return string(data)
}

// secretKeysJSON serialises the secret config key list ("[]" when empty).
func secretKeysJSON(keys []string) string {
	if keys == nil {
		keys = []string{}
	}
	data, _ := json.Marshal(keys)
	return string(data)
}
