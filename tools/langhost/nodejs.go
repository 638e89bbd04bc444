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
	"strconv"
	"strings"

	"github.com/google/shlex"
	"github.com/pulumi/pulumi/pkg/v3/codegen/cgstrings"
	nodegen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/fsutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// nodeHost runs TypeScript/JavaScript programs and plugins through the
// @pulumi/pulumi package installed next to them (its cmd/run and
// cmd/run-plugin entry points do the real work).
type nodeHost struct{ base }

// nodeOptions are the runtime.options a Pulumi.yaml may set for nodejs.
type nodeOptions struct {
	typescript     bool
	tsconfig       string
	nodeargs       []string
	packagemanager npm.PackageManagerType
}

func parseNodeOptions(info *pulumirpc.ProgramInfo) (nodeOptions, error) {
	o := nodeOptions{typescript: true, packagemanager: npm.AutoPackageManager}
	if info == nil || info.Options == nil {
		return o, nil
	}
	m := info.Options.AsMap()
	if v, ok := m["typescript"].(bool); ok {
		o.typescript = v
	}
	if v, ok := m["tsconfig"].(string); ok {
		o.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		args, err := shlex.Split(v)
		if err != nil {
			return o, fmt.Errorf("nodeargs: %w", err)
		}
		o.nodeargs = args
	}
	if v, ok := m["packagemanager"].(string); ok && v != "" {
		o.packagemanager = npm.PackageManagerType(v)
	}
	return o, nil
}

// env adds the variables @pulumi/pulumi's runner reads for TypeScript.
func (o nodeOptions) env(env []string) []string {
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

// resolveModule asks node to resolve mod from dir, so a nested or hoisted
// node_modules is found exactly as the program itself would find it.
func resolveModule(ctx context.Context, mod, dir, hint string) (string, error) {
	script := fmt.Sprintf(`try { console.log(require.resolve(%q)); } catch (e) {`+
		` console.error(e.code === "MODULE_NOT_FOUND" ? %q : e.message); process.exit(1); }`,
		mod, "It looks like the Pulumi SDK has not been installed. Have you run "+hint+"?")
	cmd := exec.CommandContext(ctx, "node", "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", errors.New(strings.TrimSpace(string(ee.Stderr)))
		}
		return "", fmt.Errorf("could not run node: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	opts, err := parseNodeOptions(req.Info)
	if err != nil {
		return nil, err
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath = "@pulumi/pulumi/cmd/run"
	}
	runPath, err = resolveModule(ctx, runPath, req.Info.ProgramDirectory, "pulumi install")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	// The SDK's runner takes its settings as flags. Upstream proxies the
	// monitor to support synchronous invokes over pipes; @pulumi/pulumi 3.x
	// no longer uses those, so the real monitor address is passed through.
	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	flag := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	flag("monitor", req.MonitorAddress)
	flag("engine", h.engineAddress)
	flag("organization", req.Organization)
	flag("project", req.Project)
	flag("root-directory", req.Info.RootDirectory)
	flag("stack", req.Stack)
	flag("pwd", req.Info.ProgramDirectory)
	if req.DryRun {
		args = append(args, "--dry-run")
	}
	flag("parallel", strconv.Itoa(int(req.Parallel)))
	flag("tracing", h.tracing)
	args = append(args, req.Info.EntryPoint)
	args = append(args, req.Args...)

	// The runner expects config keys in the legacy "<ns>:config:<name>" form.
	cfg := make(map[string]string, len(req.Config))
	for k, v := range req.Config {
		key, err := config.ParseKey(k)
		if err != nil {
			return nil, err
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+configJSON(cfg),
		"PULUMI_CONFIG_SECRET_KEYS="+secretKeysJSON(req.ConfigSecretKeys))

	runCtx, cancel := h.runContext(ctx)
	defer cancel()
	cmd := interruptible(exec.CommandContext(runCtx, "node", args...))
	cmd.Env = opts.env(env)
	return exitResponse(runStreamed(cmd, os.Stdout, os.Stderr), "Program"), nil
}

// RunPlugin starts a `runtime: nodejs` plugin (e.g. a component provider)
// with @pulumi/pulumi/cmd/run-plugin resolved from the plugin's directory, or
// a TypeScript policy pack (kind analyzer) with cmd/run-policy-pack.
func (h *nodeHost) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	opts, err := parseNodeOptions(req.Info)
	if err != nil {
		return err
	}
	pack := req.Kind == string(apitype.AnalyzerPlugin)
	runPath := "@pulumi/pulumi/cmd/run-plugin"
	if pack {
		// Since CLI 3.221 the engine starts packs through the language host;
		// the SDK's policy runner is what the old shim script used to start.
		runPath = "@pulumi/pulumi/cmd/run-policy-pack"
	} else if p := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH"); p != "" {
		runPath = p
	}
	dir := req.Info.ProgramDirectory
	runPath, err = resolveModule(ctx, runPath, dir, "npm install in "+dir)
	if err != nil {
		return err
	}
	args := append([]string{runPath}, opts.nodeargs...)
	env := opts.env(req.Env) // the engine sends the full environment
	cmd := exec.CommandContext(ctx, "node")
	cmd.Dir = req.Pwd

	var proxy *sdk.PolicyProxy
	if pack {
		// run-policy-pack takes the pack directory last and runs in it.
		args = append(append(args, req.Args...), dir)
		cmd.Dir = dir
		// The pack learns its stack from environment variables, but the
		// engine sends them in ConfigureStack after starting the plugin: the
		// SDK's proxy answers the engine first, then forwards to the pack.
		if proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout); err != nil {
			return fmt.Errorf("could not start policy pack proxy: %w", err)
		}
		stack, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("could not get stack configuration: %w", err)
		}
		if env, err = policyPackEnv(env, stack); err != nil {
			return err
		}
	} else {
		args = append(append(args, dir), req.Args...)
	}
	cmd.Args = append(cmd.Args, args...)
	cmd.Env = env

	if proxy != nil {
		cmd.Stdout = struct{ io.Writer }{stdout}
		cmd.Stderr = struct{ io.Writer }{stderr}
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("could not run policy pack: %w", err)
		}
		// Attach waits for the pack to exit.
		err = proxy.Attach(ctx, cmd)
	} else {
		err = runStreamed(cmd, stdout, stderr)
	}
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("plugin exited with non-zero exit code: %d", ee.ExitCode())
		}
		return fmt.Errorf("could not run plugin: %w", err)
	}
	return closer.Close()
}

// policyPackEnv adds the stack a policy pack runs against, as
// @pulumi/pulumi's runtime settings read it (nil: run without a stack, as
// for `pulumi policy publish`).
func policyPackEnv(env []string, stack *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if stack == nil {
		return env, nil
	}
	add := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	add("PULUMI_NODEJS_ORGANIZATION", stack.Organization)
	add("PULUMI_NODEJS_PROJECT", stack.Project)
	add("PULUMI_NODEJS_STACK", stack.Stack)
	add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stack.DryRun))
	if stack.Config != nil {
		data, err := json.Marshal(stack.Config)
		if err != nil {
			return nil, fmt.Errorf("could not encode stack configuration: %w", err)
		}
		add("PULUMI_CONFIG", string(data))
	}
	return env, nil
}

func (h *nodeHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := installStreams(req, server)
	if err != nil {
		return err
	}
	defer closer.Close()
	opts, err := parseNodeOptions(req.Info)
	if err != nil {
		return err
	}
	dir := req.Info.ProgramDirectory
	// Install at the npm/yarn workspace root when the program is in one.
	if root, err := npm.FindWorkspaceRoot(dir); err == nil {
		fmt.Fprintf(stdout, "Detected workspace root at %s\n", root)
		dir = root
	}
	fmt.Fprintf(stdout, "Installing dependencies...\n\n")
	if _, err := npm.Install(server.Context(), opts.packagemanager, dir, false, stdout, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Finished installing dependencies\n\n")
	return closer.Close()
}

// GetRequiredPackages reports every package under node_modules whose
// package.json has "pulumi": {"resource": true}; those need a plugin.
func (h *nodeHost) GetRequiredPackages(_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	var pkgs []*pulumirpc.PackageDependency
	seen := map[string]bool{}
	var walk func(dir string, inNodeModules bool)
	walk = func(dir string, inNodeModules bool) {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			dir = real // file: links point outside node_modules
		}
		if seen[dir] {
			return
		}
		seen[dir] = true
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			fi, err := os.Stat(p) // follows symlinks
			if err != nil {
				continue
			}
			if fi.IsDir() {
				walk(p, inNodeModules || filepath.Base(dir) == "node_modules")
			} else if inNodeModules && e.Name() == "package.json" {
				if dep := nodePackageDependency(p); dep != nil {
					pkgs = append(pkgs, dep)
				}
			}
		}
	}
	// Only the program's node_modules: the folders beside it (tests, examples
	// with their own installs) are other programs, not this one's dependencies.
	walk(filepath.Join(req.Info.ProgramDirectory, "node_modules"), true)
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

// nodePackageDependency reads one package.json; nil unless it declares a plugin.
func nodePackageDependency(path string) *pulumirpc.PackageDependency {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var pj struct {
		Name    string                  `json:"name"`
		Version string                  `json:"version"`
		Pulumi  plugin.PulumiPluginJSON `json:"pulumi"`
	}
	if json.Unmarshal(data, &pj) != nil || !pj.Pulumi.Resource {
		return nil
	}
	name := pj.Pulumi.Name
	if name == "" && strings.HasPrefix(pj.Name, "@pulumi/") {
		name = strings.TrimPrefix(pj.Name, "@pulumi/")
	}
	ver := pj.Pulumi.Version
	if ver == "" {
		ver = pj.Version
	}
	if name == "" || ver == "" {
		return nil
	}
	if !strings.HasPrefix(ver, "v") {
		ver = "v" + ver
	}
	dep := &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: ver, Server: pj.Pulumi.Server}
	if p := pj.Pulumi.Parameterization; p != nil {
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
	}
	return dep
}

func (h *nodeHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	exe, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node: %w", err)
	}
	out, _ := exec.CommandContext(ctx, exe, "--version").Output()
	meta := map[string]string{}
	if req.Info != nil {
		if opts, err := parseNodeOptions(req.Info); err == nil {
			if pm, err := npm.ResolvePackageManager(opts.packagemanager, req.Info.ProgramDirectory); err == nil {
				meta["packagemanager"] = pm.Name()
				if v, err := pm.Version(); err == nil {
					meta["packagemanagerVersion"] = v.String()
				}
			}
		}
	}
	return &pulumirpc.AboutResponse{Executable: exe, Version: strings.TrimSpace(string(out)), Metadata: meta}, nil
}

func (h *nodeHost) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	opts, err := parseNodeOptions(req.Info)
	if err != nil {
		return nil, err
	}
	pm, err := npm.ResolvePackageManager(opts.packagemanager, req.Info.ProgramDirectory)
	if err != nil {
		return nil, err
	}
	pkgs, err := pm.ListPackages(ctx, req.Info.ProgramDirectory, req.TransitiveDependencies)
	if err != nil {
		return nil, fmt.Errorf("failed to get node dependencies: %w", err)
	}
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for _, p := range pkgs {
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return resp, nil
}

// Link adds each generated SDK to package.json as a file: dependency (with
// the package manager's own `pkg set`, as upstream does).
func (h *nodeHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	opts, err := parseNodeOptions(req.Info)
	if err != nil {
		return nil, err
	}
	pkgs, err := loadLinkPackages(ctx, req, "nodejs", nodegen.Importer)
	if err != nil {
		return nil, err
	}
	pm, err := npm.ResolvePackageManager(opts.packagemanager, req.Info.ProgramDirectory)
	if err != nil {
		return nil, err
	}
	ts := opts.typescript || opts.tsconfig != ""
	if !ts {
		_, err := fsutil.Searchup(req.Info.ProgramDirectory, "tsconfig.json")
		ts = err == nil
	}
	var b strings.Builder
	if ts {
		b.WriteString("You can import the SDK in your TypeScript code with:\n\n")
	} else {
		b.WriteString("You can import the SDK in your JavaScript code with:\n\n")
	}
	for _, lp := range pkgs {
		if lp.pkg == nil {
			continue
		}
		name := nodePackageName(lp.pkg)
		if err := pm.Link(ctx, req.Info.ProgramDirectory, name, lp.path); err != nil {
			return nil, err
		}
		if ts {
			fmt.Fprintf(&b, "  import * as %s from \"%s\";\n", cgstrings.Camel(lp.pkg.Name), name)
		} else {
			fmt.Fprintf(&b, "  const %s = require(\"%s\");\n", cgstrings.Camel(lp.pkg.Name), name)
		}
	}
	return &pulumirpc.LinkResponse{ImportInstructions: b.String()}, nil
}

// nodePackageName is the npm name the nodejs code generator gives the SDK.
func nodePackageName(pkg *schema.Package) string {
	if info, ok := pkg.Language["nodejs"].(nodegen.NodePackageInfo); ok && info.PackageName != "" {
		return info.PackageName
	}
	if pkg.Namespace != "" {
		return "@" + pkg.Namespace + "/" + pkg.Name
	}
	return "@pulumi/" + pkg.Name
}

func generateNode(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader,
) (map[string][]byte, error) {
	return nodegen.GeneratePackage("pulumi-language-nodejs", pkg, req.ExtraFiles, req.LocalDependencies,
		req.Local, loader)
}

func (h *nodeHost) GetRequiredPlugins(ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return requiredPlugins(h.GetRequiredPackages(ctx, &pulumirpc.GetRequiredPackagesRequest{Info: req.Info}))
}
