package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// The chart's own args (kube-prometheus-stack 77, TLS off as the package
// renders it; and TLS on, the chart's default) become the local command line:
// listeners on 127.0.0.1 only, TLS off, everything else as rendered.
func TestControllerArgs(t *testing.T) {
	spec := controllers["prometheus-operator"]
	ports := map[string]string{"web.listen-address": "127.0.0.1:4242"}
	cases := []struct {
		name string
		in   []string
		want []string
	}{
		{"tls off (the package's values)",
			[]string{"--kubelet-service=kube-system/x-kubelet", "--localhost=127.0.0.1", "--web.enable-tls=false", "--web.listen-address=:8080"},
			[]string{"--kubelet-service=kube-system/x-kubelet", "--localhost=127.0.0.1", "--web.enable-tls=false", "--web.listen-address=127.0.0.1:4242"}},
		{"tls on (the chart's default)",
			[]string{"--web.enable-tls=true", "--web.cert-file=/cert/cert", "--web.listen-address=:10250"},
			[]string{"--web.enable-tls=false", "--web.cert-file=/cert/cert", "--web.listen-address=127.0.0.1:4242"}},
		{"no listen flag: appended, also when given as two words",
			[]string{"--log-level", "info"},
			[]string{"--log-level", "info", "--web.enable-tls=false", "--web.listen-address=127.0.0.1:4242"}},
		{"two-word address replaced whole",
			[]string{"--web.listen-address", ":8080", "--x=1"},
			[]string{"--web.listen-address=127.0.0.1:4242", "--x=1", "--web.enable-tls=false"}},
	}
	for _, c := range cases {
		forced, valued := spec.flagValues(c.in, ports, nil, "")
		got := controllerArgs(c.in, forced, valued, nil)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, c.want)
		}
		for _, a := range got {
			if strings.Contains(a, "listen") && !strings.Contains(a, "=127.0.0.1:") {
				t.Errorf("%s: %s listens beyond loopback", c.name, a)
			}
		}
	}
}

// KEDA's metrics API server as the keda chart 2.18.0 renders it
// (templates/metrics-server/deployment.yaml, default values): its ports on
// 127.0.0.1, the operator's gRPC service at the operator's local listener
// with the chart's Service name kept as the TLS authority, the certificate
// paths in the local copy of its /certs volume, and the ServiceAccount's
// kubeconfig where a pod would use the in-cluster config.
func TestKedaMetricsApiserverArgs(t *testing.T) {
	chart := []string{"--port=8080", "--secure-port=6443", "--logtostderr=true", "--stderrthreshold=ERROR",
		"--disable-compression=true", "--metrics-service-address=keda-operator.keda.svc.cluster.local:9666",
		"--client-ca-file=/certs/ca.crt", "--tls-cert-file=/certs/tls.crt", "--tls-private-key-file=/certs/tls.key",
		"--cert-dir=/certs", "--v=0", "--zap-log-level=info"}
	spec := controllers["keda-metrics-apiserver"]
	ports := []int{40001, 40002}
	addrs, err := spec.pickListeners(func() (int, error) { p := ports[0]; ports = ports[1:]; return p, nil })
	if err != nil {
		t.Fatal(err)
	}
	peers := map[string]string{"metrics-service-address": "127.0.0.1:40100"}
	forced, valued := spec.flagValues(chart, addrs, peers, "/state/keda-metrics-apiserver.kubeconfig")
	got := controllerArgs(chart, forced, valued, map[string]string{"/certs": "/state/v/certificates"})
	want := []string{"--port=40002", "--secure-port=40001", "--logtostderr=true", "--stderrthreshold=ERROR",
		"--disable-compression=true", "--metrics-service-address=127.0.0.1:40100",
		"--client-ca-file=/state/v/certificates/ca.crt", "--tls-cert-file=/state/v/certificates/tls.crt",
		"--tls-private-key-file=/state/v/certificates/tls.key", "--cert-dir=/state/v/certificates", "--v=0", "--zap-log-level=info",
		"--authentication-kubeconfig=/state/keda-metrics-apiserver.kubeconfig", "--authorization-kubeconfig=/state/keda-metrics-apiserver.kubeconfig",
		"--bind-address=127.0.0.1", "--lister-kubeconfig=/state/keda-metrics-apiserver.kubeconfig",
		"--metrics-service-grpc-authority=keda-operator.keda.svc.cluster.local:9666"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n  %v\nwant\n  %v", got, want)
	}
	if s := spec.serves[0]; s.service != "keda-operator-metrics-apiserver" || addrs[s.listener] != "127.0.0.1:40001" {
		t.Errorf("serves %+v at %s, want the Service keda-operator-metrics-apiserver at the secure port", s, addrs[s.listener])
	}
}

// The KEDA operator's three listeners (flags) and Karpenter's two (env, as
// its chart sets them) are all on 127.0.0.1; Karpenter elects its leader in
// the Deployment's namespace.
func TestListenersOnLoopback(t *testing.T) {
	n := 41000
	free := func() (int, error) { n++; return n, nil }
	keda := controllers["keda-operator"]
	addrs, _ := keda.pickListeners(free)
	forced, valued := keda.flagValues([]string{"--leader-elect", "--metrics-bind-address=:8080", "--cert-dir=/certs"}, addrs, nil, "")
	got := controllerArgs([]string{"--leader-elect", "--metrics-bind-address=:8080", "--cert-dir=/certs"}, forced, valued, map[string]string{"/certs": "/s/c"})
	want := []string{"--leader-elect", "--metrics-bind-address=127.0.0.1:41002", "--cert-dir=/s/c",
		"--health-probe-bind-address=127.0.0.1:41001", "--metrics-service-bind-address=127.0.0.1:41003"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keda-operator:\n got %v\nwant %v", got, want)
	}
	if h := keda.healthListener(); addrs[h] != "127.0.0.1:41001" {
		t.Errorf("keda-operator health on %q (%s)", h, addrs[h])
	}
	// Without it, KEDA reads the pod's namespace file, which no process here has.
	if env := keda.extraEnv(addrs, "keda"); !reflect.DeepEqual(env, []string{"KEDA_CLUSTER_OBJECT_NAMESPACE=keda"}) {
		t.Errorf("keda-operator env %v", env)
	}
	karp := controllers["karpenter"]
	addrs, _ = karp.pickListeners(free)
	env := karp.extraEnv(addrs, "kube-system")
	if want := []string{"HEALTH_PROBE_PORT=41004", "METRICS_PORT=41005", "LEADER_ELECTION_NAMESPACE=kube-system"}; !reflect.DeepEqual(env, want) {
		t.Errorf("karpenter env %v, want %v", env, want)
	}
	if h := karp.healthListener(); addrs[h] != "127.0.0.1:41004" {
		t.Errorf("karpenter health on %q (%s)", h, addrs[h])
	}
}

func TestMountedPath(t *testing.T) {
	m := map[string]string{"/certs": "/s/certs", "/certs/extra": "/s/extra", "/etc/cfg/": "/s/cfg"}
	for in, want := range map[string]string{
		"/certs":                "/s/certs",
		"/certs/tls.crt":        "/s/certs/tls.crt",
		"--ca=/certs/ca.crt":    "--ca=/s/certs/ca.crt",
		"--x=/certs/extra/a":    "--x=/s/extra/a",
		"/certsX/a":             "/certsX/a",
		"--cfg=/etc/cfg/c.yaml": "--cfg=/s/cfg/c.yaml",
		"--flag":                "--flag",
		"--name=/other/certs/a": "--name=/other/certs/a",
	} {
		if got := mountedPath(in, m); got != want {
			t.Errorf("mountedPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestContainerEnv(t *testing.T) {
	env := []corev1.EnvVar{
		{Name: "A", Value: "1"},
		{Name: "NS", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.namespace"}}},
		{Name: "POD", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.name"}}},
		{Name: "SA", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "spec.serviceAccountName"}}},
		{Name: "IP", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "status.podIP"}}},
		{Name: "S", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{Key: "k"}}},
	}
	want := []string{"A=1", "NS=keda", "POD=keda-operator-abc", "SA=keda-operator"}
	if got := containerEnv(env, "keda", "keda-operator-abc", "keda-operator"); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// The supervisor restarts a controller that exits, as the kubelet would, and
// stops the running one by its PID when told to stop.
func TestSuperviseRestartsAndStops(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	pids := make(chan int, 10)
	s := &supervisor{name: "t", onStart: func(pid int) { pids <- pid }}
	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan error, 1)
	// Exits at once the first time (marker absent), then keeps running.
	marker := filepath.Join(t.TempDir(), "ran")
	go func() {
		res <- s.supervise(ctx, sh, []string{"-c", "[ -e " + marker + " ] && exec sleep 60; touch " + marker}, nil, "")
	}()
	first, second := <-pids, 0
	select {
	case second = <-pids:
	case <-time.After(10 * time.Second):
		t.Fatal("not restarted after exiting")
	}
	if first == second {
		t.Fatal("restart reused the PID")
	}
	cancel()
	if err := <-res; err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(second, 0); err == nil {
		t.Errorf("controller pid %d still running after stop", second)
	}
}
