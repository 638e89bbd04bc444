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
//     them, except that every listener is moved to a free port on 127.0.0.1,
//     paths under the container's Secret, ConfigMap and emptyDir mounts
//     point into local copies of those volumes (volumes.go), and peers'
//     Service addresses to their local listeners (controllerargs.go);
//   - where the entry says so, behind a Service: tools/localkube network
//     sends the API server's connections for it to the process;
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
	"strconv"
	"strings"
	"syscall"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/klog/v2"
)

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
	argv := append(append([]string{}, s.spec.command...), controllerArgs(chartArgs, forced, valued, mounts)...)
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
