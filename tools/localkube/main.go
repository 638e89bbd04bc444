// localkube: the parts of a cluster that the local control plane of
// tools/cluster.sh lacks, for tests and `make up` only (never shipped):
//
//	localkube provisioner      dynamic provisioning for the local default
//	                           StorageClass (hostPath PersistentVolumes)
//	localkube operator-double  TEST DOUBLE of the Volley operator
//	localkube network          the API server's way to Services (an HTTP
//	                           CONNECT proxy): to the real controllers below
//	                           that answer for a Service, else a TEST DOUBLE
//	                           of KEDA's metrics API server
//	localkube strimzi-double cluster-operator|entity-operator
//	                           TEST DOUBLE of Strimzi (strimzidouble.go), run
//	                           by `localkube controller` in place of the
//	                           Strimzi chart's and its Entity Operator's pods
//	localkube controller start|run|stop NAME
//	                           a real upstream controller (prometheus-operator,
//	                           keda-operator, keda-metrics-apiserver,
//	                           karpenter) as its chart's ServiceAccount, in
//	                           place of the chart's Deployment (controller.go,
//	                           volumes.go)
//
// Each runs until SIGTERM/SIGINT, with the kubeconfig in $KUBECONFIG.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: localkube provisioner|operator-double|network|controller|strimzi-double [flags]")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "provisioner":
		err = runProvisioner(ctx, os.Args[2:])
	case "operator-double":
		err = runOperatorDouble(ctx, os.Args[2:])
	case "network":
		err = runNetwork(ctx, os.Args[2:])
	case "controller":
		err = runController(ctx, os.Args[2:])
	case "strimzi-double":
		err = runStrimziDouble(ctx, os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		klog.Errorf("%v", err)
		os.Exit(1)
	}
}

func clientset() (*kubernetes.Clientset, error) {
	cfg, err := clientcmd.BuildConfigFromFlags("", os.Getenv("KUBECONFIG"))
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	cfg.QPS, cfg.Burst = 50, 100
	return kubernetes.NewForConfig(cfg)
}
