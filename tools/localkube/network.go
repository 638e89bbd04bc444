package main

// The local cluster's pod network, as far as the API server needs one.
// kwok's pods run no process, so nothing answers at a Service's address;
// the API server reaches Services (webhooks, aggregated APIs) through this
// HTTP CONNECT proxy (its egress selector for "cluster", on a Unix socket).
// A connection to a Service that a real controller answers for (tools/localkube
// controller: its NAME.serves.json in the state dir) goes to that process's
// 127.0.0.1 listener, as kube-proxy would send it to the pod. Every other
// connection is refused at once (as a Service with no process behind it
// would be), except those to the Service behind an APIService of
// external.metrics.k8s.io: there a TEST DOUBLE of KEDA's metrics API server
// answers discovery, so the APIService is Available as KEDA's own server
// would make it, and the namespace controller (which needs discovery of
// every group) can delete namespaces. It injects its CA into the
// APIService's caBundle, as KEDA's operator does with its own certificate.
// It serves no metric values: KEDA's scalers do not run here. Where KEDA's
// real metrics API server runs (tests/e2e/autoscaling.sh), the double steps
// aside: the connections go to it and the CA is the one KEDA's operator injects.
// Test infrastructure: never packaged or installed for users.

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

const externalMetricsGroup = "external.metrics.k8s.io"

var apiServiceGVR = schema.GroupVersionResource{Group: "apiregistration.k8s.io", Version: "v1", Resource: "apiservices"}

type network struct {
	dir string // the cluster's state dir: the real controllers' *.serves.json
	cs  kubernetes.Interface
	dyn dynamic.Interface
	ca  *x509.Certificate
	key *ecdsa.PrivateKey
	pem []byte

	mu    sync.Mutex
	certs map[string]*tls.Certificate // serving certificate per service DNS name
}

func runNetwork(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("network", flag.ContinueOnError)
	socket := fs.String("socket", "", "Unix socket the API server's egress selector connects to")
	dir := fs.String("dir", "", "state dir with the real controllers' *.serves.json (default: the socket's directory)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *socket == "" {
		return fmt.Errorf("--socket is required")
	}
	if *dir == "" {
		*dir = filepath.Dir(*socket)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", os.Getenv("KUBECONFIG"))
	if err != nil {
		return err
	}
	n := &network{dir: *dir, certs: map[string]*tls.Certificate{}}
	if n.cs, err = kubernetes.NewForConfig(cfg); err != nil {
		return err
	}
	if n.dyn, err = dynamic.NewForConfig(cfg); err != nil {
		return err
	}
	if err := n.makeCA(); err != nil {
		return err
	}
	_ = os.Remove(*socket)
	ln, err := net.Listen("unix", *socket)
	if err != nil {
		return err
	}
	go func() { <-ctx.Done(); ln.Close() }()
	go n.injectCABundles(ctx)
	klog.Infof("network proxy on %s", *socket)
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		go n.handle(ctx, c)
	}
}

func (n *network) makeCA() error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "local-network-double-ca"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(30 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	n.ca, _ = x509.ParseCertificate(der)
	n.key = key
	n.pem = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return nil
}

func (n *network) servingCert(dnsName string) (*tls.Certificate, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if c, ok := n.certs[dnsName]; ok {
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: dnsName},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(30 * 24 * time.Hour),
		DNSNames: []string{dnsName}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, n.ca, &key.PublicKey, n.key)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	n.certs[dnsName] = c
	return c, nil
}

// handle answers one CONNECT request from the API server.
func (n *network) handle(ctx context.Context, c net.Conn) {
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil || req.Method != http.MethodConnect {
		c.Close()
		return
	}
	svc, ns := n.serviceAt(ctx, req.Host)
	if addr := realBackend(n.dir, ns, svc, portOf(req.Host)); addr != "" {
		splice(c, br, addr)
		return
	}
	if svc == "" || !n.externalMetricsBackend(ctx, ns, svc) {
		// Nothing listens behind a kwok pod: refuse at once, as a closed port would.
		fmt.Fprintf(c, "HTTP/1.1 503 Service Unavailable\r\n\r\n")
		c.Close()
		return
	}
	fmt.Fprintf(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	cert, err := n.servingCert(svc + "." + ns + ".svc")
	if err != nil {
		c.Close()
		return
	}
	tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{*cert}, NextProtos: []string{"http/1.1"}})
	srv := &http.Server{Handler: http.HandlerFunc(externalMetricsDouble), ReadHeaderTimeout: 10 * time.Second}
	_ = srv.Serve(&oneConn{conn: tc})
}

// realBackend: the local address of the real controller that answers for
// port of Service ns/svc, if one runs (its supervisor wrote DIR/*.serves.json).
func realBackend(dir, ns, svc string, port int) string {
	for _, s := range servedAddrs(dir) {
		if s.Namespace == ns && s.Service == svc && (port == 0 || s.Port == port) {
			return s.Addr
		}
	}
	return ""
}

func servedAddrs(dir string) []servedAddr {
	files, _ := filepath.Glob(filepath.Join(dir, "*.serves.json"))
	var out []servedAddr
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var l []servedAddr
		if json.Unmarshal(b, &l) == nil {
			out = append(out, l...)
		}
	}
	return out
}

func portOf(hostport string) int {
	_, p, err := net.SplitHostPort(hostport)
	if err != nil {
		return -1
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return -1
	}
	return n
}

// splice connects the API server's CONNECT tunnel c (already read through
// br) to addr, or answers 503 when nothing listens there yet.
func splice(c net.Conn, br *bufio.Reader, addr string) {
	b, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		fmt.Fprintf(c, "HTTP/1.1 503 Service Unavailable\r\n\r\n")
		c.Close()
		return
	}
	fmt.Fprintf(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(b, br); closeWrite(b); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, b); closeWrite(c); done <- struct{}{} }()
	<-done
	<-done
	b.Close()
	c.Close()
}

func closeWrite(c net.Conn) {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
}

// serviceAt: the Service whose ClusterIP and port are addr.
func (n *network) serviceAt(ctx context.Context, addr string) (name, namespace string) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", ""
	}
	svcs, err := n.cs.CoreV1().Services("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return "", ""
	}
	for _, s := range svcs.Items {
		if s.Spec.ClusterIP == host {
			return s.Name, s.Namespace
		}
	}
	return "", ""
}

func (n *network) externalMetricsBackend(ctx context.Context, ns, svc string) bool {
	list, err := n.dyn.Resource(apiServiceGVR).List(ctx, metav1.ListOptions{})
	if err != nil {
		return false
	}
	for _, a := range list.Items {
		g, _, _ := unstructured.NestedString(a.Object, "spec", "group")
		sn, _, _ := unstructured.NestedString(a.Object, "spec", "service", "name")
		sns, _, _ := unstructured.NestedString(a.Object, "spec", "service", "namespace")
		if g == externalMetricsGroup && sn == svc && sns == ns {
			return true
		}
	}
	return false
}

// injectCABundles keeps the double's CA in every external-metrics APIService.
func (n *network) injectCABundles(ctx context.Context) {
	patch, _ := json.Marshal(map[string]any{"spec": map[string]any{"caBundle": n.pem}})
	for {
		if list, err := n.dyn.Resource(apiServiceGVR).List(ctx, metav1.ListOptions{}); err == nil {
			for _, a := range list.Items {
				g, _, _ := unstructured.NestedString(a.Object, "spec", "group")
				cur, _, _ := unstructured.NestedString(a.Object, "spec", "caBundle")
				svc, _, _ := unstructured.NestedString(a.Object, "spec", "service", "name")
				sns, _, _ := unstructured.NestedString(a.Object, "spec", "service", "namespace")
				// A real metrics API server has its operator's CA, which the operator injects.
				if g != externalMetricsGroup || svc == "" || cur == encodeB64(n.pem) || realBackend(n.dir, sns, svc, 0) != "" {
					continue
				}
				if _, err := n.dyn.Resource(apiServiceGVR).Patch(ctx, a.GetName(), types.MergePatchType, patch,
					metav1.PatchOptions{FieldManager: "keda-operator-double"}); err != nil {
					klog.Errorf("caBundle of %s: %v", a.GetName(), err)
				} else {
					klog.Infof("caBundle of APIService %s set", a.GetName())
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
}

func encodeB64(b []byte) string {
	out, _ := json.Marshal(b) // []byte marshals as base64
	return strings.Trim(string(out), `"`)
}

// externalMetricsDouble answers like KEDA's metrics API server: discovery of
// external.metrics.k8s.io/v1beta1; no metric values (no scaler runs here).
func externalMetricsDouble(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	gv := externalMetricsGroup + "/v1beta1"
	switch strings.TrimSuffix(r.URL.Path, "/") {
	case "/apis/" + gv:
		_ = json.NewEncoder(w).Encode(map[string]any{
			"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
			"resources": []any{map[string]any{"name": "externalmetrics", "singularName": "", "namespaced": true,
				"kind": "ExternalMetricValueList", "verbs": []string{"get"}}},
		})
	case "/apis/" + externalMetricsGroup:
		_ = json.NewEncoder(w).Encode(apiGroup(gv))
	case "/apis":
		_ = json.NewEncoder(w).Encode(map[string]any{"kind": "APIGroupList", "apiVersion": "v1", "groups": []any{apiGroup(gv)}})
	case "/healthz", "/readyz", "/livez":
		_, _ = w.Write([]byte("ok"))
	default:
		w.WriteHeader(http.StatusNotFound)
		_ = json.NewEncoder(w).Encode(map[string]any{"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404,
			"message": "no external metric values: KEDA's scalers do not run on this local cluster (test double)"})
	}
}

func apiGroup(gv string) map[string]any {
	v := map[string]any{"groupVersion": gv, "version": "v1beta1"}
	return map[string]any{"kind": "APIGroup", "apiVersion": "v1", "name": externalMetricsGroup, "versions": []any{v}, "preferredVersion": v}
}

// oneConn is a net.Listener that yields one connection, then blocks until
// that connection is closed.
type oneConn struct {
	conn net.Conn
	once sync.Once
	done chan struct{}
	mu   sync.Mutex
}

func (l *oneConn) Accept() (net.Conn, error) {
	l.mu.Lock()
	if l.done == nil {
		l.done = make(chan struct{})
	}
	l.mu.Unlock()
	var c net.Conn
	l.once.Do(func() { c = &closeNotify{Conn: l.conn, done: l.done} })
	if c != nil {
		return c, nil
	}
	<-l.done
	return nil, net.ErrClosed
}
func (l *oneConn) Close() error   { return nil }
func (l *oneConn) Addr() net.Addr { return l.conn.LocalAddr() }

type closeNotify struct {
	net.Conn
	done chan struct{}
	once sync.Once
}

func (c *closeNotify) Close() error {
	c.once.Do(func() { close(c.done) })
	return c.Conn.Close()
}
