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
		got := controllerArgs(c.in, spec, ports, nil)
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
