package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// execScript is passed to `python -c`; it configures the SDK and runs the program.
//
//go:embed exec.py
var execScript string

// pythonHost runs programs with the PyPI `pulumi` SDK, in the project's
// virtualenv (runtime.options.virtualenv) or poetry/uv environment if any.
type pythonHost struct{ base }

func pythonOptions(info *pulumirpc.ProgramInfo) (toolchain.PythonOptions, error) {
	o := toolchain.PythonOptions{Root: info.RootDirectory, ProgramDir: info.ProgramDirectory}
	if info.Options == nil {
		return o, nil
	}
	m := info.Options.AsMap()
	if v, ok := m["virtualenv"].(string); ok {
		o.Virtualenv = v
	}
	switch m["toolchain"] {
	case nil:
	case "pip":
		o.Toolchain = toolchain.Pip
	case "poetry":
		o.Toolchain = toolchain.Poetry
	case "uv":
		o.Toolchain = toolchain.Uv
	default:
		return o, fmt.Errorf("unsupported toolchain option: %v", m["toolchain"])
	}
	if m["typechecker"] != nil {
		logging.V(3).Infof("typechecker option ignored by this language host")
	}
	return o, nil
}

func pythonToolchain(info *pulumirpc.ProgramInfo) (toolchain.Toolchain, toolchain.PythonOptions, error) {
	o, err := pythonOptions(info)
	if err != nil {
		return nil, o, err
	}
	tc, err := toolchain.ResolveToolchain(o)
	return tc, o, err
}

func (h *pythonHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	tc, _, err := pythonToolchain(req.Info)
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return nil, err
	}
	args := []string{"-u", "-c", execScript}
	flag := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	flag("monitor", req.MonitorAddress)
	flag("engine", h.engineAddress)
	flag("project", req.Project)
	flag("root_directory", req.Info.RootDirectory)
	flag("stack", req.Stack)
	flag("pwd", req.Pwd)
	flag("dry_run", strconv.FormatBool(req.DryRun))
	flag("parallel", strconv.Itoa(int(req.Parallel)))
	flag("tracing", h.tracing)
	flag("organization", req.Organization)
	args = append(args, req.Info.EntryPoint)
	args = append(args, req.Args...)

	runCtx, cancel := h.runContext(ctx)
	defer cancel()
	cmd, err := tc.Command(runCtx, args...)
	if err != nil {
		return nil, err
	}
	interruptible(cmd)
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	if len(req.Config) > 0 {
		env = append(env, "PULUMI_CONFIG="+configJSON(req.Config))
	}
	cmd.Env = append(env, "PULUMI_CONFIG_SECRET_KEYS="+secretKeysJSON(req.ConfigSecretKeys))
	return exitResponse(runStreamed(cmd, os.Stdout, os.Stderr), "program"), nil
}

// InstallDependencies creates the virtualenv if one is configured and
// installs requirements.txt (or runs poetry/uv) through the SDK's toolchain.
func (h *pythonHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := installStreams(req, server)
	if err != nil {
		return err
	}
	defer closer.Close()
	o, err := pythonOptions(req.Info)
	if err != nil {
		return err
	}
	// Plugins always get their own virtualenv, never the ambient python.
	if req.IsPlugin && o.Virtualenv == "" && (o.Toolchain == toolchain.Auto || o.Toolchain == toolchain.Pip) {
		o.Virtualenv = "venv"
	}
	tc, err := toolchain.ResolveToolchain(o)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Installing dependencies...\n\n")
	if err := tc.InstallDependencies(server.Context(), req.Info.ProgramDirectory, req.UseLanguageVersionTools,
		true, stdout, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Finished installing dependencies\n\n")
	return closer.Close()
}

// pluginJSONScript prints, as JSON, every installed distribution that ships
// a top-level <package>/pulumi-plugin.json, with that file's contents.
const pluginJSONScript = `
import importlib.metadata as md, json
out = []
for d in md.distributions():
    for f in d.files or []:
        if f.name == "pulumi-plugin.json" and len(f.parts) == 2:
            try:
                out.append({"name": d.metadata["Name"], "version": d.version,
                            "plugin": json.loads(d.locate_file(f).read_text())})
            except Exception:
                pass
print(json.dumps(out))
`

// GetRequiredPackages reports installed Python packages whose
// pulumi-plugin.json says they need a resource plugin.
func (h *pythonHost) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	tc, _, err := pythonToolchain(req.Info)
	if err != nil {
		return nil, err
	}
	if err := tc.EnsureVenv(ctx, req.Info.ProgramDirectory, false, true, os.Stdout, os.Stderr); err != nil {
		return nil, err
	}
	cmd, err := tc.Command(ctx, "-c", pluginJSONScript)
	if err != nil {
		return nil, err
	}
	out, err := cmd.Output()
	if err != nil {
		logging.V(3).Infof("listing python packages failed: %v", err)
		return &pulumirpc.GetRequiredPackagesResponse{}, nil
	}
	var dists []struct {
		Name    string                  `json:"name"`
		Version string                  `json:"version"`
		Plugin  plugin.PulumiPluginJSON `json:"plugin"`
	}
	if err := json.Unmarshal(out, &dists); err != nil {
		return nil, fmt.Errorf("parsing python package list: %w", err)
	}
	resp := &pulumirpc.GetRequiredPackagesResponse{}
	for _, d := range dists {
		if !d.Plugin.Resource {
			continue
		}
		name := d.Plugin.Name
		if name == "" {
			name = strings.TrimPrefix(d.Name, "pulumi-")
		}
		ver := d.Plugin.Version
		if ver == "" {
			if ver = pep440ToSemver(d.Version); ver == "" {
				continue // e.g. 1.2.3a4: the plugin version cannot be derived
			}
		}
		if !strings.HasPrefix(ver, "v") {
			ver = "v" + ver
		}
		dep := &pulumirpc.PackageDependency{Name: name, Version: ver, Kind: "resource", Server: d.Plugin.Server}
		if p := d.Plugin.Parameterization; p != nil {
			dep.Parameterization = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
		}
		resp.Packages = append(resp.Packages, dep)
	}
	return resp, nil
}

var plainVersion = regexp.MustCompile(`^\d+(\.\d+)*$`)

// pep440ToSemver handles plain release versions only ("1.2" -> "1.2.0").
func pep440ToSemver(v string) string {
	if !plainVersion.MatchString(v) {
		return ""
	}
	for strings.Count(v, ".") < 2 {
		v += ".0"
	}
	return v
}

func (h *pythonHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	o := toolchain.PythonOptions{Toolchain: toolchain.Pip}
	if req.Info != nil {
		var err error
		if o, err = pythonOptions(req.Info); err != nil {
			return nil, err
		}
	}
	tc, err := toolchain.ResolveToolchain(o)
	if err != nil {
		return nil, err
	}
	info, err := tc.About(ctx)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{
		Executable: info.PythonExecutable,
		Version:    info.PythonVersion.String(),
		Metadata: map[string]string{
			"toolchain":        toolchain.Name(o.Toolchain),
			"toolchainVersion": info.ToolchainVersion.String(),
		},
	}, nil
}

func (h *pythonHost) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	tc, _, err := pythonToolchain(req.Info)
	if err != nil {
		return nil, err
	}
	pkgs, err := tc.ListPackages(ctx, req.TransitiveDependencies)
	if err != nil {
		return nil, fmt.Errorf("failed to get python dependencies: %w", err)
	}
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for _, p := range pkgs {
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return resp, nil
}

// Link puts each SDK's directory into requirements.txt (replacing any line
// for the same package), or into pyproject.toml for poetry/uv.
func (h *pythonHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	o, err := pythonOptions(req.Info)
	if err != nil {
		return nil, err
	}
	pkgs, err := loadLinkPackages(ctx, req, "python", pygen.Importer)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("You can import the SDK in your Python code with:\n\n")
	paths := map[string]string{} // python package name -> SDK path
	for _, lp := range pkgs {
		if lp.pkg == nil {
			paths["pulumi"] = lp.path
			continue
		}
		importName := strings.ReplaceAll(lp.pkg.Name, "-", "_")
		pyName := pygen.PyPack(lp.pkg.Namespace, lp.pkg.Name)
		if info, ok := lp.pkg.Language["python"].(pygen.PackageInfo); ok && info.PackageName != "" {
			importName, pyName = info.PackageName, info.PackageName
		}
		paths[pyName] = lp.path
		fmt.Fprintf(&b, "  import %s as %s\n", pyName, importName)
	}
	// Without pyproject.toml, poetry/uv projects still list requirements in
	// requirements.txt until their first install converts it; link there.
	if o.Toolchain != toolchain.Pip {
		if _, err := os.Stat(req.Info.ProgramDirectory + "/pyproject.toml"); os.IsNotExist(err) {
			o.Toolchain = toolchain.Pip
		}
	}
	tc, err := toolchain.ResolveToolchain(o)
	if err != nil {
		return nil, err
	}
	if err := tc.LinkPackages(ctx, paths); err != nil {
		return nil, fmt.Errorf("linking packages: %w", err)
	}
	return &pulumirpc.LinkResponse{ImportInstructions: b.String()}, nil
}

func generatePython(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader,
) (map[string][]byte, error) {
	return pygen.GeneratePackage("pulumi-language-python", pkg, req.ExtraFiles, loader)
}

func (h *pythonHost) GetRequiredPlugins(ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return requiredPlugins(h.GetRequiredPackages(ctx, &pulumirpc.GetRequiredPackagesRequest{Info: req.Info}))
}
