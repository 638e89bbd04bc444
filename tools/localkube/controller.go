package main

// Real upstream controllers on the local cluster. A chart installs a
// controller as a Deployment whose pod kwok marks Running without running
// anything; `localkube controller` runs the controller's real binary (built
// into the tools cache) in its place, as a process on this machine:
//
//   - with the chart's own ServiceAccount: a token from the TokenRequest
//     API in a kubeconfig of its own, never the admin credentials, so a
//     permission the chart's RBAC lacks fails here as in a real cluster;
//   - with the Deployment's container args and env, as the chart rendered
//     them, except that every listener is moved to a free port on 127.0.0.1
//     (and the flags naming in-pod paths are pointed into the state dir);
//   - restarted when it exits, as the kubelet would (restartPolicy Always).
//
// `start` detaches a supervisor (`run`), records its PID in DIR/NAME.pid,
// and returns; `stop` ends it by that PID (TERM, then KILL). The supervisor
// stops the controller by its PID when told to stop, and the controller is
// killed by the kernel if the supervisor dies (Pdeathsig). DIR is the local
// cluster's state dir, so `tools/cluster.sh down` stops it too.
// Test infrastructure: never packaged or installed for users.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/klog/v2"
)

// controllerSpec: how one upstream controller runs in place of its chart's
// Deployment. Data, one entry per controller.
type controllerSpec struct {
	binary    string // file name in --bin
	namespace string // the chart's namespace (default of --namespace)
	selector  string // label selector of the chart's Deployment (default of --selector)
	// listen: flags whose value is an address to serve on; each gets
	// 127.0.0.1:<free port>.
	listen []string
	// ports: flags whose value is a bare port number; each gets a free
	// port (bound to 127.0.0.1 by a flag in set, or by the build).
	ports []string
	// envPorts: environment variables holding a port to serve on, likewise.
	envPorts []string
	// health: the listener (a name from listen, ports or envPorts) serving
	// healthPath over plain HTTP; default the first of listen.
	health     string
	healthPath string
	// set: flags forced to a value (appended when the chart does not pass them).
	set map[string]string
	// kubeconfigFlags: flags given the ServiceAccount's kubeconfig, for
	// servers that otherwise read the in-cluster config of a pod.
	kubeconfigFlags []string
	// namespaceEnv: environment variables set to the Deployment's namespace,
	// which a pod's controller would read from its ServiceAccount's mounted
	// namespace file.
	namespaceEnv []string
	// peers: flags whose value is the address of another controller's
	// listener (a Service's DNS name in the chart).
	peers map[string]peer
	// serves: Services this process stands behind; tools/localkube network
	// sends the API server's connections for them to its listener.
	serves []servedPort
	// needs: what the controller checks once at its start (served and
	// allowed to its ServiceAccount, cluster-wide) and otherwise runs
	// without: the chart creates its RBAC alongside the Deployment, and a
	// pod starts only after its image is pulled, so wait as long as that
	// could take (needsWait), then start anyway.
	needs []authorizationv1.ResourceAttributes
}

// peer: the listener of another controller this one connects to.
type peer struct {
	controller, listener string
	// authorityFlag, when set, gets the chart's own value (the Service's
	// DNS name and port): the name TLS verifies the peer's certificate for.
	authorityFlag string
}

// servedPort: the port of a Service (in the controller's namespace) that a listener answers for.
type servedPort struct {
	service  string
	port     int
	listener string
}

// needsWait: how long the supervisor waits for a controller's needs.
const needsWait = 2 * time.Minute

var controllers = map[string]controllerSpec{
	// kube-prometheus-stack 77 (templates/prometheus-operator/deployment.yaml).
	// TLS off as the package renders it (the chart's certificate comes from a
	// Helm hook, which helm.v4.Chart does not run); forced here too, since a
	// TLS listener would need the pod's /cert mount.
	"prometheus-operator": {
		binary:     "prometheus-operator",
		namespace:  "monitoring",
		selector:   "app=kube-prometheus-stack-operator",
		listen:     []string{"web.listen-address"},
		healthPath: "/healthz",
		set:        map[string]string{"web.enable-tls": "false"},
		// cmd/operator/main.go of v0.85.0: without these it disables its
		// Prometheus or Alertmanager controller for good.
		needs: []authorizationv1.ResourceAttributes{
			{Group: "monitoring.coreos.com", Version: "v1", Resource: "prometheuses", Verb: "list"},
			{Group: "monitoring.coreos.com", Version: "v1", Resource: "prometheuses", Verb: "watch"},
			{Group: "monitoring.coreos.com", Version: "v1", Resource: "prometheuses", Subresource: "status", Verb: "update"},
			{Group: "monitoring.coreos.com", Version: "v1", Resource: "alertmanagers", Verb: "list"},
			{Group: "monitoring.coreos.com", Version: "v1", Resource: "alertmanagers", Verb: "watch"},
			{Group: "monitoring.coreos.com", Version: "v1", Resource: "alertmanagers", Subresource: "status", Verb: "update"},
		},
	},
	// keda chart 2.18.0 (templates/manager/deployment.yaml): ScaledObjects
	// to HPAs, and the certificates (Secret kedaorg-certs, mounted at
	// /certs) it generates and injects into the external metrics APIService.
	"keda-operator": {
		binary:     "keda-operator",
		namespace:  "keda",
		selector:   "app=keda-operator",
		listen:     []string{"health-probe-bind-address", "metrics-bind-address", "metrics-service-bind-address"},
		healthPath: "/healthz",
		// KEDA reads it, else the pod's namespace file (pkg/util/env_resolver.go).
		namespaceEnv: []string{"KEDA_CLUSTER_OBJECT_NAMESPACE"},
		// Its controllers watch every KEDA kind from the start (the chart's CRDs).
		needs: []authorizationv1.ResourceAttributes{
			{Group: "keda.sh", Version: "v1alpha1", Resource: "scaledobjects", Verb: "watch"},
			{Group: "keda.sh", Version: "v1alpha1", Resource: "scaledobjects", Subresource: "status", Verb: "update"},
			{Group: "keda.sh", Version: "v1alpha1", Resource: "scaledjobs", Verb: "watch"},
			{Group: "keda.sh", Version: "v1alpha1", Resource: "triggerauthentications", Verb: "watch"},
			{Group: "keda.sh", Version: "v1alpha1", Resource: "clustertriggerauthentications", Verb: "watch"},
			{Group: "eventing.keda.sh", Version: "v1alpha1", Resource: "cloudeventsources", Verb: "watch"},
			{Group: "eventing.keda.sh", Version: "v1alpha1", Resource: "clustercloudeventsources", Verb: "watch"},
			{Group: "autoscaling", Version: "v2", Resource: "horizontalpodautoscalers", Verb: "create"},
		},
	},
	// keda chart 2.18.0 (templates/metrics-server/deployment.yaml): the
	// external metrics API (an aggregated API server) in front of the
	// operator's gRPC metrics service; TLS with the operator's certificates.
	"keda-metrics-apiserver": {
		binary:          "keda-adapter",
		namespace:       "keda",
		selector:        "app=keda-operator-metrics-apiserver",
		ports:           []string{"secure-port", "port"},
		set:             map[string]string{"bind-address": "127.0.0.1"},
		health:          "port",
		healthPath:      "/metrics",
		kubeconfigFlags: []string{"lister-kubeconfig", "authentication-kubeconfig", "authorization-kubeconfig"},
		peers: map[string]peer{"metrics-service-address": {controller: "keda-operator", listener: "metrics-service-bind-address",
			authorityFlag: "metrics-service-grpc-authority"}},
		serves:       []servedPort{{service: "keda-operator-metrics-apiserver", port: 443, listener: "secure-port"}},
		namespaceEnv: []string{"KEDA_CLUSTER_OBJECT_NAMESPACE"},
	},
	// Karpenter's kwok provider with the chart in its module (kwok/charts,
	// templates/deployment.yaml): listeners from env, leader election in its
	// namespace; it creates the Nodes of its NodeClaims itself.
	"karpenter": {
		binary:       "karpenter-kwok",
		namespace:    "kube-system",
		selector:     "app.kubernetes.io/name=karpenter",
		envPorts:     []string{"HEALTH_PROBE_PORT", "METRICS_PORT"},
		health:       "HEALTH_PROBE_PORT",
		healthPath:   "/healthz",
		namespaceEnv: []string{"LEADER_ELECTION_NAMESPACE"},
		needs: []authorizationv1.ResourceAttributes{
			{Group: "karpenter.sh", Version: "v1", Resource: "nodepools", Verb: "watch"},
			{Group: "karpenter.sh", Version: "v1", Resource: "nodeclaims", Verb: "create"},
			{Group: "karpenter.kwok.sh", Version: "v1alpha1", Resource: "kwoknodeclasses", Verb: "watch"},
			{Version: "v1", Resource: "nodes", Verb: "create"},
		},
	},
}

func runController(ctx context.Context, args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("usage: localkube controller start|run|stop NAME [flags]")
	}
	verb, name := args[0], args[1]
	spec, ok := controllers[name]
	if !ok {
		return fmt.Errorf("unknown controller %q", name)
	}
	fs := flag.NewFlagSet("controller", flag.ContinueOnError)
	dir := fs.String("dir", "", "state dir: NAME.pid, NAME.log, NAME.kubeconfig")
	bin := fs.String("bin", "", "directory holding the controller's binary")
	namespace := fs.String("namespace", spec.namespace, "namespace of the chart's Deployment")
	selector := fs.String("selector", spec.selector, "label selector of the chart's Deployment")
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	if *dir == "" {
		return fmt.Errorf("--dir is required")
	}
	pidFile := filepath.Join(*dir, name+".pid")
	switch verb {
	case "start":
		if *bin == "" {
			return fmt.Errorf("--bin is required")
		}
		return startSupervisor(name, pidFile, filepath.Join(*dir, name+".log"), args[2:])
	case "stop":
		return stopByPID(name, pidFile, 15*time.Second)
	case "run":
		s := &supervisor{name: name, spec: spec, dir: *dir, bin: *bin, namespace: *namespace, selector: *selector}
		return s.run(ctx)
	}
	return fmt.Errorf("unknown verb %q (start|run|stop)", verb)
}

// supervisorPID: the PID in pidFile if that process is alive and is our
// supervisor of name (guards against a recycled PID).
func supervisorPID(name, pidFile string) (int, bool) {
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !bytes.Contains(cmdline, []byte("\x00controller\x00run\x00"+name+"\x00")) {
		return 0, false
	}
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		if f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:])); len(f) > 0 && f[0] == "Z" {
			return 0, false
		}
	}
	return pid, true
}

func startSupervisor(name, pidFile, logFile string, flags []string) error {
	if pid, ok := supervisorPID(name, pidFile); ok {
		klog.Infof("%s already running (supervisor pid %d)", name, pid)
		return nil
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	cmd := exec.Command(self, append([]string{"controller", "run", name}, flags...)...)
	cmd.Stdout, cmd.Stderr = out, out
	// Its own session: a Ctrl-C meant for the caller does not reach it; `stop` does.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
		_ = cmd.Process.Kill()
		return err
	}
	fmt.Printf("%s: supervisor pid %d, log %s\n", name, cmd.Process.Pid, logFile)
	return cmd.Process.Release()
}

func stopByPID(name, pidFile string, grace time.Duration) error {
	pid, ok := supervisorPID(name, pidFile)
	if !ok {
		_ = os.Remove(pidFile)
		return nil
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	if !waitGone(name, pidFile, grace) {
		klog.Warningf("%s (pid %d) ignored TERM for %s; sending KILL", name, pid, grace)
		_ = syscall.Kill(pid, syscall.SIGKILL)
		if !waitGone(name, pidFile, 5*time.Second) {
			return fmt.Errorf("%s (pid %d) is still running", name, pid)
		}
	}
	_ = os.Remove(pidFile)
	return nil
}

func waitGone(name, pidFile string, d time.Duration) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if _, ok := supervisorPID(name, pidFile); !ok {
			return true
		}
	}
	return false
}

type supervisor struct {
	name, dir, bin, namespace, selector string
	spec                                controllerSpec
	onStart                             func(pid int) // tests: each controller PID
}

func (s *supervisor) run(ctx context.Context) error {
	admin, err := clientcmd.BuildConfigFromFlags("", os.Getenv("KUBECONFIG"))
	if err != nil {
		return fmt.Errorf("kubeconfig: %w", err)
	}
	cs, err := kubernetes.NewForConfig(admin)
	if err != nil {
		return err
	}
	// It starts when the pod would: once the chart's Deployment exists.
	klog.Infof("%s: waiting for the Deployment %s -l %s", s.name, s.namespace, s.selector)
	var dep *appsv1.Deployment
	if err := poll(ctx, time.Second, func() (bool, error) {
		l, err := cs.AppsV1().Deployments(s.namespace).List(ctx, metav1.ListOptions{LabelSelector: s.selector})
		if err != nil || len(l.Items) == 0 {
			return false, nil
		}
		dep = &l.Items[0]
		return true, nil
	}); err != nil {
		return nil // stopped before the chart was installed
	}
	pod := dep.Spec.Template.Spec
	if len(pod.Containers) == 0 {
		return fmt.Errorf("%s/%s has no container", dep.Namespace, dep.Name)
	}
	sa := pod.ServiceAccountName
	if sa == "" {
		sa = "default"
	}
	kubeconfig := filepath.Join(s.dir, s.name+".kubeconfig")
	// The chart may create the ServiceAccount just after the Deployment.
	if err := poll(ctx, time.Second, func() (bool, error) {
		err := s.writeKubeconfig(ctx, cs, admin, sa, kubeconfig)
		if err != nil {
			klog.V(1).Infof("%s: no token for %s/%s yet: %v", s.name, s.namespace, sa, err)
		}
		return err == nil, nil
	}); err != nil {
		return nil
	}
	if missing := s.waitNeeds(ctx, kubeconfig); missing != "" {
		klog.Warningf("%s: starting after %s without: %s", s.name, needsWait, missing)
	}
	c := pod.Containers[0]
	addrs, err := s.spec.pickListeners(freePort)
	if err != nil {
		return err
	}
	chartArgs := append(append([]string{}, c.Command[min(len(c.Command), 1):]...), c.Args...)
	peers, err := s.peerAddrs(ctx)
	if err != nil {
		return nil // stopped while waiting for a peer
	}
	forced, valued := s.spec.flagValues(chartArgs, addrs, peers, kubeconfig)
	// The Secret and ConfigMap volumes the container mounts, as the kubelet
	// would provide them (and keep them current), in the state dir.
	mounts, err := s.podVolumes(ctx, cs, dep.Namespace, pod, c)
	if err != nil {
		return nil // stopped while waiting for a volume's source
	}
	argv := controllerArgs(chartArgs, forced, valued, mounts)
	// Never the admin credentials: KUBECONFIG is the ServiceAccount's only.
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "KUBECONFIG=") {
			env = append(env, e)
		}
	}
	env = append(env, containerEnv(c.Env, dep.Namespace, s.podName(ctx, cs, dep), sa)...)
	env = append(env, s.spec.extraEnv(addrs, dep.Namespace)...)
	env = append(env, "KUBECONFIG="+kubeconfig)
	// Where it listens (for peers) and which Services it answers for (for
	// tools/localkube network), while it runs.
	if err := s.publish(addrs, dep.Namespace); err != nil {
		return err
	}
	defer s.unpublish()
	klog.Infof("%s: running as system:serviceaccount:%s:%s: %s %s", s.name, s.namespace, sa, s.spec.binary, strings.Join(argv, " "))
	health := ""
	if h := s.spec.healthListener(); h != "" && s.spec.healthPath != "" {
		health = "http://" + addrs[h] + s.spec.healthPath
	}
	return s.supervise(ctx, filepath.Join(s.bin, s.spec.binary), argv, env, health)
}

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

// listenerFile: where controller name records its listeners (JSON: name -> address).
func listenerFile(dir, name string) string { return filepath.Join(dir, name+".listeners.json") }

// servesFile: where controller name records the Services it answers for
// (JSON: []servedAddr), read by tools/localkube network.
func servesFile(dir, name string) string { return filepath.Join(dir, name+".serves.json") }

// servedAddr: a Service port and the local address behind it.
type servedAddr struct {
	Namespace string `json:"namespace"`
	Service   string `json:"service"`
	Port      int    `json:"port"`
	Addr      string `json:"addr"`
}

func (s *supervisor) publish(addrs map[string]string, namespace string) error {
	if err := writeJSON(listenerFile(s.dir, s.name), addrs); err != nil {
		return err
	}
	if len(s.spec.serves) == 0 {
		return nil
	}
	var served []servedAddr
	for _, sp := range s.spec.serves {
		served = append(served, servedAddr{Namespace: namespace, Service: sp.service, Port: sp.port, Addr: addrs[sp.listener]})
	}
	return writeJSON(servesFile(s.dir, s.name), served)
}

func (s *supervisor) unpublish() {
	_ = os.Remove(listenerFile(s.dir, s.name))
	_ = os.Remove(servesFile(s.dir, s.name))
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// peerAddrs waits until every peer controller has published its listeners
// (as a pod waits for a Service's endpoints) and returns flag -> address.
func (s *supervisor) peerAddrs(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	for f, p := range s.spec.peers {
		err := poll(ctx, time.Second, func() (bool, error) {
			b, err := os.ReadFile(listenerFile(s.dir, p.controller))
			if err != nil {
				return false, nil
			}
			var addrs map[string]string
			if json.Unmarshal(b, &addrs) != nil || addrs[p.listener] == "" {
				return false, nil
			}
			out[f] = addrs[p.listener]
			return true, nil
		})
		if err != nil {
			return nil, err
		}
		klog.Infof("%s: --%s is %s's %s at %s", s.name, f, p.controller, p.listener, out[f])
	}
	return out, nil
}

// supervise runs the controller until ctx ends, restarting it with a capped
// backoff when it exits; on ctx's end it stops it by PID (TERM, then KILL).
func (s *supervisor) supervise(ctx context.Context, path string, argv, env []string, health string) error {
	// Pdeathsig fires when the forking thread exits: keep this goroutine on one.
	runtime.LockOSThread()
	backoff := time.Second
	for restarts := 0; ; restarts++ {
		cmd := exec.Command(path, argv...)
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		// Killed by the kernel if this supervisor dies without stopping it.
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := cmd.Start(); err != nil {
			return err
		}
		klog.Infof("%s: started pid %d (restarts %d)", s.name, cmd.Process.Pid, restarts)
		if s.onStart != nil {
			s.onStart(cmd.Process.Pid)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		healthy, ended := make(chan struct{}), make(chan struct{})
		if health != "" {
			go waitHealthy(health, healthy, ended)
		}
		started := time.Now()
		stopped := s.await(ctx, cmd, done, healthy, health)
		close(ended)
		if stopped {
			return nil
		}
		if time.Since(started) > time.Minute {
			backoff = time.Second
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

// await: until the controller exits (false) or ctx ends and it has been
// stopped (true).
func (s *supervisor) await(ctx context.Context, cmd *exec.Cmd, done <-chan error, healthy <-chan struct{}, health string) bool {
	select {
	case <-healthy:
		klog.Infof("%s: healthy at %s", s.name, health)
		select {
		case err := <-done:
			klog.Warningf("%s: pid %d exited: %v", s.name, cmd.Process.Pid, err)
			return false
		case <-ctx.Done():
		}
	case err := <-done:
		klog.Warningf("%s: pid %d exited: %v", s.name, cmd.Process.Pid, err)
		return false
	case <-ctx.Done():
	}
	stopChild(s.name, cmd, done)
	return true
}

func stopChild(name string, cmd *exec.Cmd, done <-chan error) {
	pid := cmd.Process.Pid
	_ = syscall.Kill(pid, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		klog.Warningf("%s: pid %d ignored TERM for 10s; sending KILL", name, pid)
		_ = syscall.Kill(pid, syscall.SIGKILL)
		<-done
	}
	klog.Infof("%s: pid %d stopped", name, pid)
}

func waitHealthy(url string, healthy chan<- struct{}, ended <-chan struct{}) {
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		if resp, err := client.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				close(healthy)
				return
			}
		}
		select {
		case <-ended:
			return
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// waitNeeds: waits (at most needsWait) until every need of the controller
// is served and allowed to the ServiceAccount of kubeconfig; returns what is
// still missing.
func (s *supervisor) waitNeeds(ctx context.Context, kubeconfig string) string {
	if len(s.spec.needs) == 0 {
		return ""
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err.Error()
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err.Error()
	}
	missing := ""
	ctx, cancel := context.WithTimeout(ctx, needsWait)
	defer cancel()
	_ = poll(ctx, time.Second, func() (bool, error) {
		missing = ""
		for _, n := range s.spec.needs {
			what := n.Verb + " " + n.Resource + "." + n.Group
			if n.Subresource != "" {
				what = n.Verb + " " + n.Resource + "/" + n.Subresource + "." + n.Group
			}
			gv := n.Version
			if n.Group != "" {
				gv = n.Group + "/" + n.Version
			}
			if l, err := cs.Discovery().ServerResourcesForGroupVersion(gv); err != nil || !served(l.APIResources, n.Resource) {
				missing += " " + what + " (not served)"
				continue
			}
			r, err := cs.AuthorizationV1().SelfSubjectAccessReviews().Create(ctx,
				&authorizationv1.SelfSubjectAccessReview{Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &n}}, metav1.CreateOptions{})
			if err != nil || !r.Status.Allowed {
				missing += " " + what + " (not allowed)"
			}
		}
		return missing == "", nil
	})
	return strings.TrimSpace(missing)
}

func served(rs []metav1.APIResource, name string) bool {
	for _, r := range rs {
		if r.Name == name {
			return true
		}
	}
	return false
}

// writeKubeconfig: a kubeconfig holding only a token of the ServiceAccount.
func (s *supervisor) writeKubeconfig(ctx context.Context, cs kubernetes.Interface, admin *rest.Config, sa, path string) error {
	ttl := int64(6 * 3600)
	tr, err := cs.CoreV1().ServiceAccounts(s.namespace).CreateToken(ctx, sa,
		&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: &ttl}}, metav1.CreateOptions{})
	if err != nil {
		return err
	}
	ca := admin.CAData
	if len(ca) == 0 && admin.CAFile != "" {
		if ca, err = os.ReadFile(admin.CAFile); err != nil {
			return err
		}
	}
	user := "system:serviceaccount:" + s.namespace + ":" + sa
	kc := clientcmdapi.Config{
		Clusters:       map[string]*clientcmdapi.Cluster{"local": {Server: admin.Host, CertificateAuthorityData: ca}},
		AuthInfos:      map[string]*clientcmdapi.AuthInfo{user: {Token: tr.Status.Token}},
		Contexts:       map[string]*clientcmdapi.Context{"local": {Cluster: "local", AuthInfo: user, Namespace: s.namespace}},
		CurrentContext: "local",
	}
	b, err := clientcmd.Write(kc)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// podName: the name of one of the Deployment's pods (for env from
// metadata.name), else the Deployment's name.
func (s *supervisor) podName(ctx context.Context, cs kubernetes.Interface, dep *appsv1.Deployment) string {
	if sel, err := metav1.LabelSelectorAsSelector(dep.Spec.Selector); err == nil {
		if l, err := cs.CoreV1().Pods(dep.Namespace).List(ctx, metav1.ListOptions{LabelSelector: sel.String()}); err == nil && len(l.Items) > 0 {
			return l.Items[0].Name
		}
	}
	return dep.Name
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

func poll(ctx context.Context, every time.Duration, f func() (bool, error)) error {
	for {
		ok, err := f()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return errors.New("stopped")
		case <-time.After(every):
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
