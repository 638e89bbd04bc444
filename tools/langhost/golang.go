package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// goHost builds Go programs with `go build` and runs the binary; the SDK
// reads its settings from PULUMI_* environment variables.
type goHost struct{ base }

func (h *goHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	var binary, buildTarget string
	if req.Info.Options != nil {
		m := req.Info.Options.AsMap()
		binary, _ = m["binary"].(string)           // prebuilt program on PATH or relative path
		buildTarget, _ = m["buildTarget"].(string) // where to keep the compiled program
	}

	env := os.Environ()
	set := func(k, v string) {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	set(pulumi.EnvOrganization, req.Organization)
	set(pulumi.EnvProject, req.Project)
	set(pulumi.EnvPulumiRootDirectory, req.Info.RootDirectory)
	set(pulumi.EnvStack, req.Stack)
	if len(req.Config) > 0 {
		set(pulumi.EnvConfig, configJSON(req.Config))
	}
	set(pulumi.EnvConfigSecretKeys, secretKeysJSON(req.ConfigSecretKeys))
	set(pulumi.EnvDryRun, strconv.FormatBool(req.DryRun))
	set(pulumi.EnvParallel, strconv.Itoa(int(req.Parallel)))
	set(pulumi.EnvMonitor, req.MonitorAddress)
	set(pulumi.EnvEngine, h.engineAddress)

	program := binary
	if program != "" {
		if p, err := exec.LookPath(program); err == nil {
			program = p
		}
	} else {
		out := buildTarget
		if out == "" {
			f, err := os.CreateTemp("", "pulumi-go.*")
			if err != nil {
				return nil, err
			}
			f.Close()
			out = f.Name()
			defer os.Remove(out)
		}
		// Build output goes to the engine as the program's own output would.
		build := exec.CommandContext(ctx, "go", "build", "-buildvcs=false", "-trimpath", "-ldflags", "-w -s",
			"-o", out)
		build.Dir = req.Info.ProgramDirectory
		if err := runStreamed(build, os.Stdout, os.Stderr); err != nil {
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("error in compiling Go: unable to run `go build`: %v", err)}, nil
		}
		program = out
	}

	runCtx, cancel := h.runContext(ctx)
	defer cancel()
	cmd := interruptible(exec.CommandContext(runCtx, program))
	cmd.Dir = req.Pwd
	cmd.Env = env
	return exitResponse(runStreamed(cmd, os.Stdout, os.Stderr), "program"), nil
}

// InstallDependencies runs `go mod tidy`, as upstream does: it adds go.sum
// entries and downloads modules, which a fresh or just-linked project needs.
func (h *goHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := installStreams(req, server)
	if err != nil {
		return err
	}
	defer closer.Close()
	fmt.Fprintf(stdout, "Installing dependencies...\n\n")
	cmd := exec.CommandContext(server.Context(), "go", "mod", "tidy")
	cmd.Dir = req.Info.ProgramDirectory
	if err := runStreamed(cmd, stdout, stderr); err != nil {
		return fmt.Errorf("`go mod tidy` failed to install dependencies: %w", err)
	}
	fmt.Fprintf(stdout, "Finished installing dependencies\n\n")
	return closer.Close()
}

// goMod finds and parses the go.mod governing dir.
func goMod(dir string) (string, *modfile.File, error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.GoMod}}")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off") // only the module of this directory
	out, err := cmd.Output()
	if err != nil {
		return "", nil, fmt.Errorf("go list -m: %w", err)
	}
	p := string(bytes.TrimSpace(out))
	if p == "" {
		return "", nil, fmt.Errorf("no go.mod file found for %s", dir)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return "", nil, err
	}
	f, err := modfile.Parse(p, data, nil)
	return p, f, err
}

// GetRequiredPackages reports the required modules that ship a
// pulumi-plugin.json with "resource": true (generated SDKs do).
func (h *goHost) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	modPath, gomod, err := goMod(req.Info.ProgramDirectory)
	if err != nil {
		logging.V(5).Infof("GetRequiredPackages: %v", err) // not a module: nothing to report
		return &pulumirpc.GetRequiredPackagesResponse{}, nil
	}
	if len(gomod.Require) == 0 {
		return &pulumirpc.GetRequiredPackagesResponse{}, nil
	}
	// `go list -m -json` reports each module's directory (the local one for
	// replaced modules); modules not downloaded yet have none and are skipped.
	args := []string{"list", "-m", "-json"}
	for _, r := range gomod.Require {
		args = append(args, r.Mod.Path)
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = filepath.Dir(modPath)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		logging.V(5).Infof("GetRequiredPackages: go list: %v", err)
		return &pulumirpc.GetRequiredPackagesResponse{}, nil
	}
	resp := &pulumirpc.GetRequiredPackagesResponse{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var m struct{ Path, Version, Dir string }
		if err := dec.Decode(&m); err != nil {
			return nil, err
		}
		if m.Dir == "" {
			continue
		}
		if dep := goPackageDependency(m.Path, m.Version, m.Dir); dep != nil {
			resp.Packages = append(resp.Packages, dep)
		}
	}
	return resp, nil
}

// goPackageDependency looks for pulumi-plugin.json where the Go code
// generator and provider repositories put it.
func goPackageDependency(modPath, modVersion, dir string) *pulumirpc.PackageDependency {
	candidates := []string{filepath.Join(dir, "pulumi-plugin.json"), filepath.Join(dir, "go", "pulumi-plugin.json")}
	for _, pattern := range []string{"go/*/pulumi-plugin.json", "*/pulumi-plugin.json"} {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		candidates = append(candidates, m...)
	}
	for _, c := range candidates {
		pj, err := plugin.LoadPulumiPluginJSON(c)
		if err != nil {
			continue
		}
		if !pj.Resource {
			return nil
		}
		name := pj.Name
		if name == "" { // github.com/pulumi/pulumi-aws/sdk/... => aws
			parts := strings.Split(modPath, "/")
			if len(parts) < 3 || !strings.Contains(parts[2], "-") {
				return nil
			}
			name = strings.SplitN(parts[2], "-", 2)[1]
		}
		ver := pj.Version
		if ver == "" {
			ver = modVersion
			// Pseudo-versions follow the previous tag with patch+1.
			if module.IsPseudoVersion(ver) {
				v, err := semver.ParseTolerant(ver)
				if err != nil || (v.Major == 0 && v.Minor == 0 && v.Patch == 0) {
					return nil
				}
				if v.Patch > 0 {
					v.Patch--
				}
				ver = fmt.Sprintf("v%d.%d.%d", v.Major, v.Minor, v.Patch)
			}
		}
		if _, err := semver.ParseTolerant(ver); err != nil {
			return nil
		}
		if !strings.HasPrefix(ver, "v") {
			ver = "v" + ver
		}
		dep := &pulumirpc.PackageDependency{Name: name, Version: ver, Kind: "resource", Server: pj.Server}
		if p := pj.Parameterization; p != nil {
			dep.Parameterization = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
		}
		return dep
	}
	return nil
}

func (h *goHost) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	exe, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("could not find executable 'go': %w", err)
	}
	out, err := exec.CommandContext(ctx, exe, "version").Output()
	if err != nil {
		return nil, fmt.Errorf("failed to execute 'go version': %w", err)
	}
	return &pulumirpc.AboutResponse{Executable: exe, Version: strings.TrimSpace(string(out))}, nil
}

// GetProgramDependencies lists go.mod's requirements (direct ones unless
// transitive); locally replaced modules have no meaningful version.
func (h *goHost) GetProgramDependencies(_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	_, gomod, err := goMod(req.Info.ProgramDirectory)
	if err != nil {
		return nil, fmt.Errorf("load go.mod: %w", err)
	}
	replaced := map[string]bool{}
	for _, r := range gomod.Replace {
		replaced[r.Old.Path] = true
	}
	resp := &pulumirpc.GetProgramDependenciesResponse{}
	for _, r := range gomod.Require {
		if r.Indirect && !req.TransitiveDependencies {
			continue
		}
		v := r.Mod.Version
		if replaced[r.Mod.Path] {
			v = ""
		}
		resp.Dependencies = append(resp.Dependencies, &pulumirpc.DependencyInfo{Name: r.Mod.Path, Version: v})
	}
	return resp, nil
}

// Link adds `replace <module> => ./<sdk dir>` to go.mod for each SDK; the
// require line is added by InstallDependencies' `go mod tidy` once the
// program imports the package.
func (h *goHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	pkgs, err := loadLinkPackages(ctx, req, "go", gogen.Importer)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("You can import the SDK in your Go code with:\n\n  import (\n")
	replaces := map[string]string{}
	for _, lp := range pkgs {
		dir := lp.path
		if !strings.HasPrefix(dir, "./") && !filepath.IsAbs(dir) {
			dir = "./" + dir // go.mod only treats ./ and ../ paths as local
		}
		if lp.pkg == nil {
			replaces["github.com/pulumi/pulumi/sdk/v3"] = dir
			continue
		}
		var modPath, importPath string
		if info, ok := lp.pkg.Language["go"].(gogen.GoPackageInfo); ok {
			modPath, importPath = info.ModulePath, info.ImportBasePath
			if modPath == "" && importPath != "" {
				modPath = path.Dir(importPath)
			}
		}
		if modPath == "" {
			modPath = gogen.ExtractModulePath(lp.pkg.Reference())
		}
		// Upstream always derives the import path from the package name, which
		// is wrong when the schema sets importBasePath; prefer the schema's.
		if importPath == "" {
			importPath = gogen.ExtractImportBasePath(lp.pkg.Reference())
		}
		replaces[modPath] = dir
		fmt.Fprintf(&b, "    %q\n", importPath)
	}
	b.WriteString("  )\n")

	modFile := filepath.Join(req.Info.ProgramDirectory, "go.mod")
	st, err := os.Stat(modFile)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(modFile)
	if err != nil {
		return nil, err
	}
	gomod, err := modfile.Parse(modFile, data, nil)
	if err != nil {
		return nil, fmt.Errorf("go.mod parse: %w", err)
	}
	for mod, dir := range replaces {
		if err := gomod.AddReplace(mod, "", dir, ""); err != nil {
			return nil, fmt.Errorf("could not add replace for %s: %w", mod, err)
		}
	}
	if data, err = gomod.Format(); err != nil {
		return nil, err
	}
	if err := os.WriteFile(modFile, data, st.Mode().Perm()); err != nil {
		return nil, err
	}
	return &pulumirpc.LinkResponse{ImportInstructions: b.String()}, nil
}

func generateGo(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, _ schema.ReferenceLoader,
) (map[string][]byte, error) {
	if len(req.ExtraFiles) > 0 {
		return nil, errors.New("overlays are not supported for Go")
	}
	return gogen.GeneratePackage("pulumi-language-go", pkg, req.LocalDependencies)
}

func (h *goHost) GetRequiredPlugins(ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return requiredPlugins(h.GetRequiredPackages(ctx, &pulumirpc.GetRequiredPackagesRequest{Info: req.Info}))
}
