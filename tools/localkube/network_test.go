package main

import (
	"bufio"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The API server's connection to a Service that a real controller answers
// for reaches that controller's listener, bytes unchanged both ways; a
// Service nobody answers for, or a listener not up yet, is refused.
func TestRealBackendSplice(t *testing.T) {
	echo, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer echo.Close()
	go func() {
		for {
			c, err := echo.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(c, c); c.Close() }()
		}
	}()
	dir := t.TempDir()
	if err := writeJSON(servesFile(dir, "keda-metrics-apiserver"), []servedAddr{
		{Namespace: "keda", Service: "keda-operator-metrics-apiserver", Port: 443, Addr: echo.Addr().String()}}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.serves.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ns, svc string
		port    int
		want    string
	}{
		{"keda", "keda-operator-metrics-apiserver", 443, echo.Addr().String()},
		{"keda", "keda-operator-metrics-apiserver", 0, echo.Addr().String()},
		{"keda", "keda-operator-metrics-apiserver", 80, ""},
		{"other", "keda-operator-metrics-apiserver", 443, ""},
		{"keda", "keda-admission-webhooks", 443, ""},
	} {
		if got := realBackend(dir, c.ns, c.svc, c.port); got != c.want {
			t.Errorf("realBackend(%s/%s:%d) = %q, want %q", c.ns, c.svc, c.port, got, c.want)
		}
	}

	client, server := net.Pipe()
	go splice(server, bufio.NewReader(server), echo.Addr().String())
	_ = client.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(client)
	status, _ := r.ReadString('\n')
	if !strings.HasPrefix(status, "HTTP/1.1 200") {
		t.Fatalf("CONNECT answered %q", status)
	}
	_, _ = r.ReadString('\n')
	if _, err := client.Write([]byte("ping\n")); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.ReadString('\n'); got != "ping\n" {
		t.Errorf("through the tunnel: %q", got)
	}
	client.Close()

	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := closed.Addr().String()
	closed.Close()
	client, server = net.Pipe()
	go splice(server, bufio.NewReader(server), addr)
	_ = client.SetDeadline(time.Now().Add(10 * time.Second))
	if status, _ := bufio.NewReader(client).ReadString('\n'); !strings.HasPrefix(status, "HTTP/1.1 503") {
		t.Errorf("CONNECT to a listener that is not up answered %q", status)
	}
}
