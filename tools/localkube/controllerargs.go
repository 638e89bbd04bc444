package main

// A real controller's local command line and environment, from its chart's
// Deployment and its entry in the controllers table: pure, table-tested.

import (
	"net"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// pickListeners: a 127.0.0.1 address with a free port for every listener
// of the spec (listen flags, port flags, port env variables), by name.
func (spec controllerSpec) pickListeners(free func() (int, error)) (map[string]string, error) {
	addrs := map[string]string{}
	for _, group := range [][]string{spec.listen, spec.ports, spec.envPorts} {
		for _, name := range group {
			p, err := free()
			if err != nil {
				return nil, err
			}
			addrs[name] = "127.0.0.1:" + strconv.Itoa(p)
		}
	}
	return addrs, nil
}

func (spec controllerSpec) healthListener() string {
	if spec.health != "" {
		return spec.health
	}
	if len(spec.listen) > 0 {
		return spec.listen[0]
	}
	return ""
}

// flagValues: the flags the local command line sets. forced (spec.set) are
// booleans or `--flag=value`; valued take the next word when the chart
// writes them as two. A peer's authority flag gets the chart's own value of
// the peer's flag (the Service's DNS name and port).
func (spec controllerSpec) flagValues(chartArgs []string, addrs, peers map[string]string, kubeconfig string) (forced, valued map[string]string) {
	forced, valued = map[string]string{}, map[string]string{}
	for k, v := range spec.set {
		forced[k] = v
	}
	for _, f := range spec.listen {
		valued[f] = addrs[f]
	}
	for _, f := range spec.ports {
		_, port, _ := net.SplitHostPort(addrs[f])
		valued[f] = port
	}
	for _, f := range spec.kubeconfigFlags {
		valued[f] = kubeconfig
	}
	for f, p := range spec.peers {
		if p.authorityFlag != "" {
			if v, ok := flagValue(chartArgs, f); ok {
				valued[p.authorityFlag] = v
			}
		}
		valued[f] = peers[f]
	}
	return forced, valued
}

// flagValue: the value the chart's args give flag name, if any.
func flagValue(args []string, name string) (string, bool) {
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		n, v, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if n != name {
			continue
		}
		if hasValue {
			return v, true
		}
		if i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			return args[i+1], true
		}
	}
	return "", false
}

// extraEnv: port env variables (each its listener's port) and the
// namespace env variables.
func (spec controllerSpec) extraEnv(addrs map[string]string, namespace string) []string {
	var out []string
	for _, e := range spec.envPorts {
		_, port, _ := net.SplitHostPort(addrs[e])
		out = append(out, e+"="+port)
	}
	for _, e := range spec.namespaceEnv {
		out = append(out, e+"="+namespace)
	}
	return out
}

// controllerArgs: the container's arguments with each flag of forced and
// valued set to its value and each value under a volume's mount path
// pointed into the local copy of that volume; flags the chart does not pass
// are appended (sorted, so the command line is stable).
func controllerArgs(args []string, forced, valued, mounts map[string]string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(args)+len(forced)+len(valued))
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		v, isForced := forced[name]
		if !isForced {
			v = valued[name]
		}
		_, isValued := valued[name]
		if !strings.HasPrefix(a, "-") || !(isForced || isValued) {
			out = append(out, mountedPath(a, mounts))
			continue
		}
		seen[name] = true
		out = append(out, "--"+name+"="+v)
		// `--flag value`: drop the chart's value too (valued flags always
		// take one; forced flags are booleans or `=`).
		if !hasValue && isValued && !isForced && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			i++
		}
	}
	var extra []string
	for _, m := range []map[string]string{forced, valued} {
		for k, v := range m {
			if !seen[k] {
				extra = append(extra, "--"+k+"="+v)
				seen[k] = true
			}
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

// mountedPath: an argument (a path, or `--flag=path`) whose path lies under
// a mount path, with that prefix replaced by the mount's local directory
// (the longest mount path wins).
func mountedPath(a string, mounts map[string]string) string {
	prefix, value := "", a
	if strings.HasPrefix(a, "-") {
		n, v, ok := strings.Cut(a, "=")
		if !ok {
			return a
		}
		prefix, value = n+"=", v
	}
	best := ""
	for m := range mounts {
		if (value == m || strings.HasPrefix(value, strings.TrimSuffix(m, "/")+"/")) && len(m) > len(best) {
			best = m
		}
	}
	if best == "" {
		return a
	}
	return prefix + mounts[best] + strings.TrimPrefix(value, strings.TrimSuffix(best, "/"))
}

// containerEnv: the container's env as the kubelet would set it, for the
// values that do not need a running pod: literals and the downward API's
// namespace, pod name and service account name. Others are left out.
func containerEnv(env []corev1.EnvVar, namespace, pod, sa string) []string {
	var out []string
	for _, e := range env {
		switch {
		case e.ValueFrom == nil:
			out = append(out, e.Name+"="+e.Value)
		case e.ValueFrom.FieldRef != nil:
			switch e.ValueFrom.FieldRef.FieldPath {
			case "metadata.namespace":
				out = append(out, e.Name+"="+namespace)
			case "metadata.name":
				out = append(out, e.Name+"="+pod)
			case "spec.serviceAccountName":
				out = append(out, e.Name+"="+sa)
			}
		}
	}
	return out
}
