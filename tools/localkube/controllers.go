package main

// The real upstream controllers tools/localkube runs in place of their
// charts' Deployments (controller.go), as data: one entry per controller,
// with the chart template each reads its command line from.

import (
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
)

// controllerSpec: how one upstream controller runs in place of its chart's
// Deployment. Data, one entry per controller.
type controllerSpec struct {
	binary string // file name in --bin
	// command: words put before the container's arguments (a subcommand
	// of binary, for the test doubles that are localkube itself).
	command   []string
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
	// TEST DOUBLES of Strimzi 1.2.0 (strimzidouble.go; never shipped): the
	// binary is localkube itself. The cluster operator in place of the
	// strimzi-kafka-operator chart's Deployment (templates/060, the package
	// installs it in the Kafka namespace), with its env (STRIMZI_NAMESPACE,
	// STRIMZI_KAFKA_IMAGES...); the Entity Operator in place of the
	// Deployment `<cluster>-entity-operator` the cluster operator creates,
	// as the ServiceAccount that one created for it.
	"strimzi-double-cluster-operator": {
		binary:    "localkube",
		command:   []string{"strimzi-double", "cluster-operator"},
		namespace: "kafka",
		selector:  "app=strimzi,component=deployment",
	},
	"strimzi-double-entity-operator": {
		binary:    "localkube",
		command:   []string{"strimzi-double", "entity-operator"},
		namespace: "kafka",
		selector:  "strimzi.io/component-type=entity-operator",
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
