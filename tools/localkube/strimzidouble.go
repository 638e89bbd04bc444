package main

// TEST DOUBLE of Strimzi 1.2.0 (strimzi-kafka-operator), whose Java
// operators and Kafka brokers cannot run here. It does what Strimzi
// documents for the resources the package creates, no more, in two
// processes, each run by `localkube controller` (controller.go) in place of
// a Deployment's pod, with that Deployment's ServiceAccount token only:
//
//	strimzi-double cluster-operator  for the chart's strimzi-cluster-operator
//	    Deployment, as its ServiceAccount (so the chart's RBAC is what it
//	    may do), watching STRIMZI_NAMESPACE as the chart sets it: for each
//	    Kafka, per KafkaNodePool a StrimziPodSet `<cluster>-<pool>` and its
//	    broker pods `<cluster>-<pool>-<id>` with the merged pod template's
//	    placement (kwok runs them where the scheduler puts them) and their
//	    claims (kept when deleteClaim is false); the Services
//	    `<cluster>-kafka-bootstrap` and `<cluster>-kafka-brokers`; the
//	    Entity Operator when the Kafka configures its Topic or User Operator
//	    (ServiceAccount, Role, RoleBindings, Deployment on its template's
//	    placement, a container per operator); the Kafka Exporter when the
//	    Kafka configures it (ServiceAccount, Deployment on its template's
//	    placement); the KafkaNodePool status (node IDs, cluster ID, roles)
//	    and the Kafka status (Ready with observedGeneration once every broker
//	    pod, the Entity Operator and the Kafka Exporter are ready, listeners
//	    with bootstrapServers, node pools, cluster ID, versions), NotReady
//	    with Strimzi's reason otherwise.
//	strimzi-double entity-operator   for the Deployment `<cluster>-entity-operator`
//	    it created, as that Deployment's ServiceAccount: the Topic and User
//	    Operators of STRIMZI_NAMESPACE and STRIMZI_RESOURCE_LABELS. A
//	    KafkaTopic gets the Topic Operator's finalizer and Ready status with
//	    its topic name and ID, or Ready False with NotSupported when its
//	    partitions decrease (Kafka keeps the partitions it has), its
//	    replicas change (no Cruise Control) or its topicName changes; a
//	    KafkaUser gets its Secret (named after the user: SCRAM password or
//	    TLS certificate and key; none for tls-external or no
//	    authentication) and Ready status.
//
// No Kafka runs: topics, users and ACLs exist only as this status.
// Test infrastructure: never packaged or installed for users.

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

var (
	kafkaGVR    = schema.GroupVersionResource{Group: strimziGroup, Version: "v1", Resource: "kafkas"}
	poolGVR     = schema.GroupVersionResource{Group: strimziGroup, Version: "v1", Resource: "kafkanodepools"}
	topicGVR    = schema.GroupVersionResource{Group: strimziGroup, Version: "v1", Resource: "kafkatopics"}
	userGVR     = schema.GroupVersionResource{Group: strimziGroup, Version: "v1", Resource: "kafkausers"}
	podSetGVR   = schema.GroupVersionResource{Group: "core.strimzi.io", Version: "v1", Resource: "strimzipodsets"}
	podGVR      = schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	pvcGVR      = schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumeclaims"}
	secretGVR   = schema.GroupVersionResource{Version: "v1", Resource: "secrets"}
	saGVR       = schema.GroupVersionResource{Version: "v1", Resource: "serviceaccounts"}
	roleGVR     = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "roles"}
	bindingGVR  = schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"}
	deployGVR   = schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	strimziMgr  = "strimzi-cluster-operator"
	entityMgr   = "strimzi-entity-operator"
	doubleEvery = 2 * time.Second
)

func runStrimziDouble(ctx context.Context, args []string) error {
	if len(args) < 1 || (args[0] != "cluster-operator" && args[0] != "entity-operator") {
		return fmt.Errorf("usage: localkube strimzi-double cluster-operator|entity-operator [chart args...]")
	}
	role := args[0]
	cfg, err := clientcmd.BuildConfigFromFlags("", os.Getenv("KUBECONFIG"))
	if err != nil {
		return fmt.Errorf("kubeconfig: %w", err)
	}
	cfg.QPS, cfg.Burst = 50, 100
	cfg.UserAgent = "strimzi-" + role + "-double"
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return err
	}
	namespaces := strings.Split(os.Getenv("STRIMZI_NAMESPACE"), ",")
	if os.Getenv("STRIMZI_NAMESPACE") == "" || os.Getenv("STRIMZI_NAMESPACE") == "*" {
		namespaces = []string{metav1.NamespaceAll}
	}
	klog.Infof("TEST DOUBLE of Strimzi's %s (never shipped): watching namespaces %q", role, namespaces)
	d := &strimziDouble{dyn: dyn, namespaces: namespaces, errs: map[string]string{}}
	var pass func(context.Context, string)
	if role == "cluster-operator" {
		pass = d.clusterOperatorPass
	} else {
		d.selector = os.Getenv("STRIMZI_RESOURCE_LABELS")
		pass = d.entityOperatorPass
	}
	tick := time.NewTicker(doubleEvery)
	defer tick.Stop()
	for {
		for _, ns := range d.namespaces {
			pass(ctx, strings.TrimSpace(ns))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

type strimziDouble struct {
	dyn        dynamic.Interface
	namespaces []string
	selector   string
	errs       map[string]string // last error logged per key, so a repeated one is logged once
}

func (d *strimziDouble) report(key string, err error) {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	if d.errs[key] == msg {
		return
	}
	d.errs[key] = msg
	if err != nil {
		klog.Errorf("TEST DOUBLE %s: %v", key, err)
	}
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

func ownerRef(o *unstructured.Unstructured) map[string]any {
	return map[string]any{"apiVersion": o.GetAPIVersion(), "kind": o.GetKind(), "name": o.GetName(), "uid": string(o.GetUID()),
		"controller": true, "blockOwnerDeletion": true}
}

func (d *strimziDouble) apply(ctx context.Context, gvr schema.GroupVersionResource, obj map[string]any, manager string) (*unstructured.Unstructured, error) {
	u := &unstructured.Unstructured{Object: obj}
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	force := true
	out, err := d.dyn.Resource(gvr).Namespace(u.GetNamespace()).Patch(ctx, u.GetName(), types.ApplyPatchType, data,
		metav1.PatchOptions{FieldManager: manager, Force: &force})
	if err != nil {
		return nil, fmt.Errorf("applying %s %s/%s: %w", u.GetKind(), u.GetNamespace(), u.GetName(), err)
	}
	return out, nil
}

// createIfAbsent: pods and claims are created once (Strimzi rolls pods on a
// change, which this double does not).
func (d *strimziDouble) createIfAbsent(ctx context.Context, gvr schema.GroupVersionResource, obj map[string]any) error {
	u := &unstructured.Unstructured{Object: obj}
	_, err := d.dyn.Resource(gvr).Namespace(u.GetNamespace()).Create(ctx, u, metav1.CreateOptions{FieldManager: strimziMgr})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("creating %s %s/%s: %w", u.GetKind(), u.GetNamespace(), u.GetName(), err)
	}
	return nil
}

// writeStatus replaces o's status when it says something new (conditions
// that say the same keep their lastTransitionTime).
func (d *strimziDouble) writeStatus(ctx context.Context, gvr schema.GroupVersionResource, o *unstructured.Unstructured, st map[string]any, manager string) error {
	old, _, _ := unstructured.NestedMap(o.Object, "status")
	if oc, ok := old["conditions"].([]any); ok {
		if nc, ok := st["conditions"].([]any); ok && sameCondition(oc, nc) {
			st["conditions"] = oc
		}
	}
	a, _ := json.Marshal(old)
	b, _ := json.Marshal(st)
	if old != nil && string(a) == string(b) {
		return nil
	}
	o = o.DeepCopy()
	o.Object["status"] = st
	_, err := d.dyn.Resource(gvr).Namespace(o.GetNamespace()).UpdateStatus(ctx, o, metav1.UpdateOptions{FieldManager: manager})
	if err != nil {
		return fmt.Errorf("status of %s %s/%s: %w", o.GetKind(), o.GetNamespace(), o.GetName(), err)
	}
	if c, ok := st["conditions"].([]any); ok && len(c) > 0 {
		m := asMap(c[0])
		klog.Infof("TEST DOUBLE: %s %s/%s %s=%s %s %s", o.GetKind(), o.GetNamespace(), o.GetName(), str(m["type"]), str(m["status"]), str(m["reason"]), str(m["message"]))
	}
	return nil
}

// --- cluster operator ------------------------------------------------------

func (d *strimziDouble) clusterOperatorPass(ctx context.Context, ns string) {
	kafkas, err := d.dyn.Resource(kafkaGVR).Namespace(ns).List(ctx, metav1.ListOptions{})
	d.report("list kafkas "+ns, err)
	if err != nil {
		return
	}
	pools, err := d.dyn.Resource(poolGVR).Namespace(ns).List(ctx, metav1.ListOptions{})
	d.report("list kafkanodepools "+ns, err)
	if err != nil {
		return
	}
	for i := range kafkas.Items {
		k := &kafkas.Items[i]
		if k.GetDeletionTimestamp() != nil {
			continue // the garbage collector deletes what it owns
		}
		var mine []*unstructured.Unstructured
		for j := range pools.Items {
			p := &pools.Items[j]
			if p.GetNamespace() == k.GetNamespace() && p.GetLabels()[labelCluster] == k.GetName() && p.GetDeletionTimestamp() == nil {
				mine = append(mine, p)
			}
		}
		sort.Slice(mine, func(a, b int) bool { return mine[a].GetName() < mine[b].GetName() })
		key := "Kafka " + k.GetNamespace() + "/" + k.GetName()
		reason, msg, err := d.reconcileKafka(ctx, k, mine)
		d.report(key, err)
		if err != nil {
			reason, msg = "KubernetesClientException", err.Error()
		}
		d.report(key+" status", d.kafkaStatus(ctx, k, mine, reason, msg))
	}
}

// reconcileKafka makes the cluster's objects; it returns why the cluster is
// not ready yet ("" when it is).
func (d *strimziDouble) reconcileKafka(ctx context.Context, k *unstructured.Unstructured, pools []*unstructured.Unstructured) (reason, msg string, err error) {
	cluster, ns := k.GetName(), k.GetNamespace()
	spec := asMap(k.Object["spec"])
	kspec := asMap(spec["kafka"])
	// The version first, as Strimzi checks it (the version change) before it lists the node pools.
	version := str(kspec["version"])
	image := kafkaImage(os.Getenv("STRIMZI_KAFKA_IMAGES"), version)
	if image == "" {
		return "UnsupportedKafkaVersionException", fmt.Sprintf("Unsupported Kafka.spec.kafka.version: %s", version), nil
	}
	var roles []poolRoles
	for _, p := range pools {
		r, _ := num(asMap(p.Object["spec"])["replicas"])
		roles = append(roles, poolRoles{Name: p.GetName(), Replicas: r, Roles: strings_(asMap(p.Object["spec"])["roles"])})
	}
	if reason, msg := validateNodePools(cluster, roles); reason != "" {
		return reason, msg, nil
	}
	owner := ownerRef(k)
	// The brokers' ServiceAccount `<cluster>-kafka` (KafkaResources.kafkaComponentName).
	if _, err := d.apply(ctx, saGVR, map[string]any{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": map[string]any{
		"name": cluster + "-kafka", "namespace": ns, "ownerReferences": []any{owner},
		"labels": map[string]any{labelCluster: cluster, labelKind: "Kafka", labelName: cluster + "-kafka"}}}, strimziMgr); err != nil {
		return "", "", err
	}
	ls := listenersOf(spec)
	for _, svc := range kafkaServices(cluster, ns, ls) {
		asMap(svc["metadata"])["ownerReferences"] = []any{owner}
		if _, err := d.apply(ctx, svcGVR, svc, strimziMgr); err != nil {
			return "", "", err
		}
	}
	var in []poolIDs
	for _, p := range pools {
		r, _ := num(asMap(p.Object["spec"])["replicas"])
		var cur []int
		ids, _, _ := unstructured.NestedSlice(p.Object, "status", "nodeIds")
		for _, x := range ids {
			if n, ok := num(x); ok {
				cur = append(cur, n)
			}
		}
		in = append(in, poolIDs{Name: p.GetName(), Replicas: r, Current: cur})
	}
	ids := assignNodeIDs(in)
	kafkaTpl := asMap(asMap(kspec["template"])["pod"])
	want := map[string]bool{}
	id := clusterID(string(k.GetUID()))
	for _, p := range pools {
		pspec := asMap(p.Object["spec"])
		roles := strings_(pspec["roles"])
		tpl := mergePodTemplate(kafkaTpl, asMap(asMap(pspec["template"])["pod"]))
		pvcMeta := asMap(asMap(asMap(pspec["template"])["persistentVolumeClaim"])["metadata"])
		var pods []any
		type podClaims struct {
			pod    map[string]any
			claims []claim
		}
		var all []podClaims
		for _, n := range ids[p.GetName()] {
			name := brokerPodName(cluster, p.GetName(), n)
			claims := brokerClaims(name, asMap(pspec["storage"]))
			pod := brokerPod(cluster, ns, p.GetName(), n, roles, tpl, pspec["resources"], image, claims)
			pods = append(pods, pod)
			all = append(all, podClaims{pod, claims})
			want[name] = true
		}
		sel := map[string]any{labelCluster: cluster, labelKind: "Kafka", labelName: cluster + "-kafka", labelPool: p.GetName()}
		ps, err := d.apply(ctx, podSetGVR, map[string]any{
			"apiVersion": "core.strimzi.io/v1", "kind": "StrimziPodSet",
			"metadata": map[string]any{"name": podSetName(cluster, p.GetName()), "namespace": ns,
				"labels":          map[string]any{labelCluster: cluster, labelKind: "Kafka", labelName: cluster + "-kafka", labelPool: p.GetName()},
				"ownerReferences": []any{owner}},
			"spec": map[string]any{"selector": map[string]any{"matchLabels": sel}, "pods": pods},
		}, strimziMgr)
		if err != nil {
			return "", "", err
		}
		for _, pc := range all {
			for _, c := range pc.claims {
				if err := d.createIfAbsent(ctx, pvcGVR, claimManifest(c, cluster, ns, p.GetName(), roles, pvcMeta, owner)); err != nil {
					return "", "", err
				}
			}
			asMap(pc.pod["metadata"])["ownerReferences"] = []any{ownerRef(ps)}
			if err := d.createIfAbsent(ctx, podGVR, pc.pod); err != nil {
				return "", "", err
			}
		}
		nodeIDs := []any{}
		for _, n := range ids[p.GetName()] {
			nodeIDs = append(nodeIDs, int64(n))
		}
		r, _ := num(pspec["replicas"])
		rs := []any{}
		for _, x := range roles {
			rs = append(rs, x)
		}
		if err := d.writeStatus(ctx, poolGVR, p, map[string]any{
			"observedGeneration": p.GetGeneration(), "conditions": []any{}, "nodeIds": nodeIDs, "clusterId": id,
			"roles": rs, "replicas": int64(r),
			"labelSelector": fmt.Sprintf("%s=%s,%s=%s,%s=Kafka,%s=%s", labelCluster, cluster, labelName, cluster+"-kafka", labelKind, labelPool, p.GetName()),
		}, strimziMgr); err != nil {
			return "", "", err
		}
	}
	// Pods no pool wants any more (a pool scaled down or removed): deleted; their claims stay.
	live, err := d.dyn.Resource(podGVR).Namespace(ns).List(ctx, metav1.ListOptions{LabelSelector: labelCluster + "=" + cluster + "," + labelName + "=" + cluster + "-kafka"})
	if err != nil {
		return "", "", err
	}
	ready := 0
	for _, p := range live.Items {
		if !want[p.GetName()] {
			if err := d.dyn.Resource(podGVR).Namespace(ns).Delete(ctx, p.GetName(), metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
				return "", "", err
			}
			continue
		}
		if p.GetDeletionTimestamp() == nil && podReady(&p) {
			ready++
		}
	}
	if ready < len(want) {
		return "Creating", fmt.Sprintf("waiting for broker pods: %d of %d ready", ready, len(want)), nil
	}
	eoReady, err := d.entityOperator(ctx, k, owner)
	if err != nil {
		return "", "", err
	}
	if !eoReady {
		return "Creating", "waiting for the Entity Operator Deployment " + entityOperatorName(cluster), nil
	}
	keReady, err := d.kafkaExporter(ctx, k, owner)
	if err != nil {
		return "", "", err
	}
	if !keReady {
		return "Creating", "waiting for the Kafka Exporter Deployment " + kafkaExporterName(cluster), nil
	}
	return "", "", nil
}

func podReady(p *unstructured.Unstructured) bool {
	if phase, _, _ := unstructured.NestedString(p.Object, "status", "phase"); phase != "Running" {
		return false
	}
	conds, _, _ := unstructured.NestedSlice(p.Object, "status", "conditions")
	for _, c := range conds {
		if m := asMap(c); m["type"] == "Ready" && m["status"] == "True" {
			return true
		}
	}
	return false
}

// claimManifest: a broker's PVC with Strimzi's labels and the pool
// template's; owned by the Kafka only when deleteClaim is true, so claims of
// a deleted cluster stay otherwise.
func claimManifest(c claim, cluster, ns, pool string, roles []string, tplMeta map[string]any, owner map[string]any) map[string]any {
	labels := brokerLabels(cluster, pool, roles)
	for k, v := range asMap(tplMeta["labels"]) {
		labels[k] = v
	}
	md := map[string]any{"name": c.Name, "namespace": ns, "labels": labels,
		"annotations": map[string]any{"strimzi.io/delete-claim": strconv.FormatBool(c.DeleteClaim)}}
	for k, v := range asMap(tplMeta["annotations"]) {
		asMap(md["annotations"])[k] = v
	}
	if c.DeleteClaim {
		md["ownerReferences"] = []any{owner}
	}
	spec := map[string]any{"accessModes": []any{"ReadWriteOnce"}, "resources": map[string]any{"requests": map[string]any{"storage": c.Size}}}
	if c.Class != "" {
		spec["storageClassName"] = c.Class
	}
	return map[string]any{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": md, "spec": spec}
}

// entityOperatorRules: the rules of the chart's ClusterRole
// strimzi-entity-operator (templates/031), which Strimzi copies into the
// Role `<cluster>-entity-operator`; the cluster operator may grant them
// because the chart binds it to that ClusterRole (RBAC escalation check).
var entityOperatorRules = []any{
	map[string]any{"apiGroups": []any{strimziGroup}, "resources": []any{"kafkatopics"}, "verbs": []any{"get", "list", "watch", "create", "patch", "update", "delete"}},
	map[string]any{"apiGroups": []any{strimziGroup}, "resources": []any{"kafkausers"}, "verbs": []any{"get", "list", "watch", "create", "patch", "update"}},
	map[string]any{"apiGroups": []any{strimziGroup}, "resources": []any{"kafkatopics/status", "kafkausers/status"}, "verbs": []any{"get", "patch", "update"}},
	map[string]any{"apiGroups": []any{strimziGroup}, "resources": []any{"kafkatopics/finalizers", "kafkausers/finalizers"}, "verbs": []any{"update"}},
	map[string]any{"apiGroups": []any{""}, "resources": []any{"secrets"}, "verbs": []any{"get", "list", "watch", "create", "delete", "patch", "update"}},
}

// entityOperators: which of the Topic and User Operators a Kafka's
// spec.entityOperator configures. Strimzi deploys the Entity Operator only
// when it configures one, with a container and a RoleBinding for each it
// configures (EntityOperator.fromCrd and createContainers,
// EntityOperatorReconciler): `entityOperator: {}` deploys nothing.
func entityOperators(eo map[string]any) (topic, user bool) {
	return eo["topicOperator"] != nil, eo["userOperator"] != nil
}

// entityOperatorObjects: the ServiceAccount, Role, a RoleBinding per
// operator and the Deployment `<cluster>-entity-operator` (a container
// topic-operator and/or user-operator, on
// Kafka.spec.entityOperator.template.pod's placement); none when eo
// configures no operator.
func entityOperatorObjects(cluster, ns string, eo map[string]any, toImage, uoImage string) []struct {
	gvr schema.GroupVersionResource
	obj map[string]any
} {
	topic, user := entityOperators(eo)
	if !topic && !user {
		return nil
	}
	name := entityOperatorName(cluster)
	labels := map[string]any{labelCluster: cluster, labelKind: "Kafka", labelName: name, labelComponent: "entity-operator",
		"app.kubernetes.io/managed-by": "strimzi-cluster-operator"}
	md := func(n string) map[string]any { return map[string]any{"name": n, "namespace": ns, "labels": labels} }
	binding := func(n string) map[string]any {
		return map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": md(n),
			"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
			"subjects": []any{map[string]any{"kind": "ServiceAccount", "name": name, "namespace": ns}}}
	}
	env := func(extra ...any) []any {
		return append([]any{
			map[string]any{"name": "STRIMZI_RESOURCE_LABELS", "value": labelCluster + "=" + cluster},
			map[string]any{"name": "STRIMZI_NAMESPACE", "value": ns},
			map[string]any{"name": "STRIMZI_KAFKA_BOOTSTRAP_SERVERS", "value": fmt.Sprintf("%s:%d", bootstrapServiceName(cluster), portReplication)},
		}, extra...)
	}
	type object = struct {
		gvr schema.GroupVersionResource
		obj map[string]any
	}
	out := []object{
		{saGVR, map[string]any{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": md(name)}},
		{roleGVR, map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": md(name), "rules": entityOperatorRules}},
	}
	var containers []any
	if topic {
		containers = append(containers, map[string]any{"name": "topic-operator", "image": toImage, "args": []any{"/opt/strimzi/bin/topic_operator_run.sh"}, "env": env()})
		out = append(out, object{bindingGVR, binding(cluster + "-entity-topic-operator-role")})
	}
	if user {
		containers = append(containers, map[string]any{"name": "user-operator", "image": uoImage, "args": []any{"/opt/strimzi/bin/user_operator_run.sh"},
			"env": env(map[string]any{"name": "STRIMZI_CA_CERT_NAME", "value": cluster + "-clients-ca-cert"})})
		out = append(out, object{bindingGVR, binding(cluster + "-entity-user-operator-role")})
	}
	podSpec := map[string]any{"serviceAccountName": name, "containers": containers}
	applyPodTemplate(podSpec, asMap(asMap(eo["template"])["pod"]))
	sel := map[string]any{labelCluster: cluster, labelKind: "Kafka", labelName: name}
	return append(out, object{deployGVR, map[string]any{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": md(name),
		"spec": map[string]any{"replicas": int64(1), "selector": map[string]any{"matchLabels": sel},
			"template": map[string]any{"metadata": map[string]any{"labels": labels}, "spec": podSpec}}}})
}

// entityOperator reconciles the Entity Operator's objects; it returns
// whether the Kafka may be Ready as far as they go (their Deployment is
// ready, or the Kafka configures no operator). What the Kafka no longer
// configures is deleted, as Strimzi does.
func (d *strimziDouble) entityOperator(ctx context.Context, k *unstructured.Unstructured, owner map[string]any) (bool, error) {
	cluster, ns := k.GetName(), k.GetNamespace()
	eo := asMap(asMap(k.Object["spec"])["entityOperator"])
	objs := entityOperatorObjects(cluster, ns, eo,
		os.Getenv("STRIMZI_DEFAULT_TOPIC_OPERATOR_IMAGE"), os.Getenv("STRIMZI_DEFAULT_USER_OPERATOR_IMAGE"))
	wanted := map[string]bool{}
	for _, o := range objs {
		wanted[o.gvr.Resource+"/"+asMap(o.obj["metadata"])["name"].(string)] = true
	}
	all := entityOperatorObjects(cluster, ns, map[string]any{"topicOperator": map[string]any{}, "userOperator": map[string]any{}}, "", "")
	for i := len(all) - 1; i >= 0; i-- { // the Deployment first
		name := asMap(all[i].obj["metadata"])["name"].(string)
		if wanted[all[i].gvr.Resource+"/"+name] {
			continue
		}
		if err := d.dyn.Resource(all[i].gvr).Namespace(ns).Delete(ctx, name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			return false, err
		}
	}
	if len(objs) == 0 {
		return true, nil
	}
	return d.applyOwned(ctx, owner, objs)
}

// applyOwned applies objs (one of them a Deployment) owned by the Kafka
// owner, as the cluster operator does for the Entity Operator and the Kafka
// Exporter, and reports whether the Deployment has a ready replica.
func (d *strimziDouble) applyOwned(ctx context.Context, owner map[string]any, objs []struct {
	gvr schema.GroupVersionResource
	obj map[string]any
}) (bool, error) {
	var dep *unstructured.Unstructured
	for _, o := range objs {
		asMap(o.obj["metadata"])["ownerReferences"] = []any{owner}
		out, err := d.apply(ctx, o.gvr, o.obj, strimziMgr)
		if err != nil {
			return false, err
		}
		if o.gvr == deployGVR {
			dep = out
		}
	}
	if dep == nil {
		return false, nil
	}
	r, _, _ := unstructured.NestedInt64(dep.Object, "status", "readyReplicas")
	return r >= 1, nil
}

func kafkaExporterName(cluster string) string { return cluster + "-kafka-exporter" }

// kafkaExporterObjects: for Kafka.spec.kafkaExporter, the ServiceAccount
// and the Deployment `<cluster>-kafka-exporter` (KafkaExporterResources; the
// container named after it, KafkaExporter.createContainer: its run script,
// its regexes, the bootstrap Service's replication port, metrics on
// tcp-prometheus 9404), on the exporter's template placement; none without
// spec.kafkaExporter (KafkaExporter.fromCrd returns null).
func kafkaExporterObjects(cluster, ns string, ke map[string]any, image string) []struct {
	gvr schema.GroupVersionResource
	obj map[string]any
} {
	if ke == nil {
		return nil
	}
	name := kafkaExporterName(cluster)
	labels := map[string]any{labelCluster: cluster, labelKind: "Kafka", labelName: name, labelComponent: "kafka-exporter",
		"app.kubernetes.io/managed-by": "strimzi-cluster-operator"}
	md := func() map[string]any { return map[string]any{"name": name, "namespace": ns, "labels": labels} }
	regex := func(k string) string {
		if v := str(ke[k]); v != "" {
			return v
		}
		return ".*"
	}
	podSpec := map[string]any{
		"serviceAccountName": name,
		"containers": []any{map[string]any{
			"name": name, "image": image, "args": []any{"/opt/kafka-exporter/kafka_exporter_run.sh"},
			"ports": []any{map[string]any{"name": "tcp-prometheus", "containerPort": int64(9404)}},
			"env": []any{
				map[string]any{"name": "KAFKA_EXPORTER_GROUP_REGEX", "value": regex("groupRegex")},
				map[string]any{"name": "KAFKA_EXPORTER_TOPIC_REGEX", "value": regex("topicRegex")},
				map[string]any{"name": "KAFKA_EXPORTER_KAFKA_SERVER", "value": fmt.Sprintf("%s:%d", bootstrapServiceName(cluster), portReplication)},
			},
		}},
	}
	applyPodTemplate(podSpec, asMap(asMap(ke["template"])["pod"]))
	sel := map[string]any{labelCluster: cluster, labelKind: "Kafka", labelName: name}
	return []struct {
		gvr schema.GroupVersionResource
		obj map[string]any
	}{
		{saGVR, map[string]any{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": md()}},
		{deployGVR, map[string]any{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": md(),
			"spec": map[string]any{"replicas": int64(1), "selector": map[string]any{"matchLabels": sel},
				"template": map[string]any{"metadata": map[string]any{"labels": labels}, "spec": podSpec}}}},
	}
}

// kafkaExporter reconciles the Kafka Exporter as Strimzi does after the
// Entity Operator (KafkaAssemblyOperator.reconcile, KafkaExporterReconciler:
// its Deployment ready before the Kafka is Ready); without
// spec.kafkaExporter its Deployment is deleted. It returns whether the
// Kafka may be Ready as far as the exporter goes.
func (d *strimziDouble) kafkaExporter(ctx context.Context, k *unstructured.Unstructured, owner map[string]any) (bool, error) {
	ke, _ := asMap(k.Object["spec"])["kafkaExporter"].(map[string]any)
	objs := kafkaExporterObjects(k.GetName(), k.GetNamespace(), ke, os.Getenv("STRIMZI_DEFAULT_KAFKA_EXPORTER_IMAGE"))
	if len(objs) == 0 {
		for _, gvr := range []schema.GroupVersionResource{deployGVR, saGVR} {
			if err := d.dyn.Resource(gvr).Namespace(k.GetNamespace()).Delete(ctx, kafkaExporterName(k.GetName()), metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
				return false, err
			}
		}
		return true, nil
	}
	return d.applyOwned(ctx, owner, objs)
}

func (d *strimziDouble) kafkaStatus(ctx context.Context, k *unstructured.Unstructured, pools []*unstructured.Unstructured, reason, msg string) error {
	var names []string
	for _, p := range pools {
		names = append(names, p.GetName())
	}
	kspec := asMap(asMap(k.Object["spec"])["kafka"])
	id := ""
	if len(pools) > 0 {
		id = clusterID(string(k.GetUID()))
	}
	st := kafkaStatus(k.GetGeneration(), reason == "", reason, msg, k.GetName(), k.GetNamespace(), listenersOf(asMap(k.Object["spec"])),
		names, id, str(kspec["version"]), str(kspec["metadataVersion"]), now())
	return d.writeStatus(ctx, kafkaGVR, k, st, strimziMgr)
}

// --- entity operator (Topic and User Operators) ------------------------------

// entityKind: a kind the Entity Operator reconciles one resource at a time
// (the Topic Operator's KafkaTopics, the User Operator's KafkaUsers).
type entityKind struct {
	gvr       schema.GroupVersionResource
	kind      string // in the report keys: "<kind> <namespace>/<name>"
	reconcile func(d *strimziDouble, ctx context.Context, o *unstructured.Unstructured) error
}

// entityKinds, in the order a pass reconciles them.
var entityKinds = []entityKind{
	{topicGVR, "KafkaTopic", (*strimziDouble).reconcileTopic},
	{userGVR, "KafkaUser", (*strimziDouble).reconcileUser},
}

func (d *strimziDouble) entityOperatorPass(ctx context.Context, ns string) {
	for _, k := range entityKinds {
		d.reconcileKind(ctx, ns, k)
	}
}

// reconcileKind lists k's resources in ns with the Entity Operator's
// selector (STRIMZI_RESOURCE_LABELS) and reconciles each; a failed list is
// reported under "list <resource> <ns>", a failed resource under its own key
// without stopping the others.
func (d *strimziDouble) reconcileKind(ctx context.Context, ns string, k entityKind) {
	list, err := d.dyn.Resource(k.gvr).Namespace(ns).List(ctx, metav1.ListOptions{LabelSelector: d.selector})
	d.report("list "+k.gvr.Resource+" "+ns, err)
	if err != nil {
		return
	}
	for i := range list.Items {
		o := &list.Items[i]
		d.report(k.kind+" "+o.GetNamespace()+"/"+o.GetName(), k.reconcile(d, ctx, o))
	}
}

func hasFinalizer(o *unstructured.Unstructured, f string) bool {
	for _, x := range o.GetFinalizers() {
		if x == f {
			return true
		}
	}
	return false
}

func (d *strimziDouble) reconcileTopic(ctx context.Context, t *unstructured.Unstructured) error {
	res := d.dyn.Resource(topicGVR).Namespace(t.GetNamespace())
	if t.GetDeletionTimestamp() != nil {
		// The topic is deleted in Kafka, then the finalizer goes.
		if !hasFinalizer(t, topicFinalizer) {
			return nil
		}
		var keep []string
		for _, f := range t.GetFinalizers() {
			if f != topicFinalizer {
				keep = append(keep, f)
			}
		}
		t = t.DeepCopy()
		t.SetFinalizers(keep)
		_, err := res.Update(ctx, t, metav1.UpdateOptions{FieldManager: entityMgr})
		if err == nil {
			klog.Infof("TEST DOUBLE: topic %s deleted (KafkaTopic %s/%s)", topicNameOf(t), t.GetNamespace(), t.GetName())
		}
		return err
	}
	spec, anns := asMap(t.Object["spec"]), t.GetAnnotations()
	prev, _ := strconv.Atoi(anns[doublePartitionsAnnotation])
	wanted, _ := num(spec["partitions"])
	wantedRF, _ := num(spec["replicas"])
	// The replication factor the topic has in Kafka: the spec's when the
	// double first sees it (0: unset, the broker default, unknown here).
	rf, rfKnown := anns[doubleReplicasAnnotation]
	kafkaRF, _ := strconv.Atoi(rf)
	if !rfKnown {
		kafkaRF = wantedRF
	}
	name := topicNameOf(t)
	var parts int
	var ok bool
	var reason, msg string
	if old, _, _ := unstructured.NestedString(t.Object, "status", "topicName"); old != "" && old != name {
		// The Topic Operator keeps managing the topic it has (and its name in the status), nothing else changes.
		parts, ok, reason, msg, name = prev, false, "NotSupported", "Changing spec.topicName is not supported", old
	} else {
		// Partitions first: the first error wins (topic-operator Results).
		if parts, ok, reason, msg = topicVerdict(prev, wanted); ok {
			ok, reason, msg = replicasVerdict(kafkaRF, wantedRF, prev)
		}
	}
	if !hasFinalizer(t, topicFinalizer) || (parts > 0 && parts != prev) || !rfKnown {
		t = t.DeepCopy()
		if !hasFinalizer(t, topicFinalizer) {
			t.SetFinalizers(append(t.GetFinalizers(), topicFinalizer))
		}
		a := t.GetAnnotations()
		if a == nil {
			a = map[string]string{}
		}
		if parts > 0 {
			a[doublePartitionsAnnotation] = strconv.Itoa(parts)
		}
		a[doubleReplicasAnnotation] = strconv.Itoa(kafkaRF)
		t.SetAnnotations(a)
		var err error
		if t, err = res.Update(ctx, t, metav1.UpdateOptions{FieldManager: entityMgr}); err != nil {
			return err
		}
	}
	sum := clusterID(string(t.GetUID()))
	return d.writeStatus(ctx, topicGVR, t, topicStatus(t.GetGeneration(), name, sum, ok, reason, msg, now()), entityMgr)
}

func topicNameOf(t *unstructured.Unstructured) string {
	if n := str(asMap(t.Object["spec"])["topicName"]); n != "" {
		return n
	}
	return t.GetName()
}

func (d *strimziDouble) reconcileUser(ctx context.Context, u *unstructured.Unstructured) error {
	if u.GetDeletionTimestamp() != nil {
		return nil
	}
	auth := str(asMap(asMap(u.Object["spec"])["authentication"])["type"])
	if reason, msg := userVerdict(u.GetName(), auth); reason != "" {
		return d.writeStatus(ctx, userGVR, u, userFailedStatus(u.GetGeneration(), reason, msg, now()), entityMgr)
	}
	secrets := d.dyn.Resource(secretGVR).Namespace(u.GetNamespace())
	sec, err := secrets.Get(ctx, u.GetName(), metav1.GetOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	// The User Operator's own Secret: one it labelled strimzi.io/kind=KafkaUser
	// (its Secret informer selects on that label).
	ours := err == nil && sec.GetLabels()[labelKind] == "KafkaUser"
	encoded := func() (map[string]any, error) {
		data, err := userSecretData(u.GetName(), auth)
		if err != nil {
			return nil, err
		}
		enc := map[string]any{}
		for k, v := range data {
			enc[k] = base64.StdEncoding.EncodeToString(v)
		}
		return enc, nil
	}
	switch {
	case !userHasSecret(auth):
		// No credentials to hold (tls-external, none): a Secret from an
		// earlier authentication type is deleted, as Strimzi reconciles it to nothing.
		if ours {
			if err := secrets.Delete(ctx, u.GetName(), metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
				return err
			}
		}
	case apierrors.IsNotFound(err):
		enc, err := encoded()
		if err != nil {
			return err
		}
		if _, err := secrets.Create(ctx, &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
			"metadata": map[string]any{"name": u.GetName(), "namespace": u.GetNamespace(),
				"labels":          map[string]any{labelCluster: u.GetLabels()[labelCluster], labelKind: "KafkaUser", "app.kubernetes.io/managed-by": "strimzi-user-operator"},
				"ownerReferences": []any{ownerRef(u)}},
			"data": enc,
		}}, metav1.CreateOptions{FieldManager: entityMgr}); err != nil {
			return err
		}
	case ours && !userSecretFits(sec, auth):
		// The authentication type changed: new credentials of the new type.
		enc, err := encoded()
		if err != nil {
			return err
		}
		sec = sec.DeepCopy()
		sec.Object["data"] = enc
		if _, err := secrets.Update(ctx, sec, metav1.UpdateOptions{FieldManager: entityMgr}); err != nil {
			return err
		}
	}
	return d.writeStatus(ctx, userGVR, u, userStatus(u.GetGeneration(), u.GetName(), auth, now()), entityMgr)
}

// userSecretFits: whether a user Secret holds credentials of authType (a
// SCRAM password, a TLS certificate).
func userSecretFits(sec *unstructured.Unstructured, authType string) bool {
	data := asMap(sec.Object["data"])
	if authType == "scram-sha-512" {
		return data["password"] != nil
	}
	return data["user.crt"] != nil
}

// userSecretData: the keys of Strimzi's user Secret (documentation,
// "Securing client access"): SCRAM `password` and `sasl.jaas.config`; TLS
// `ca.crt`, `user.crt`, `user.key` (a certificate the double signs itself:
// no clients CA here).
func userSecretData(name, auth string) (map[string][]byte, error) {
	switch auth {
	case "scram-sha-512":
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		pw := base64.RawURLEncoding.EncodeToString(b)
		return map[string][]byte{
			"password":         []byte(pw),
			"sasl.jaas.config": []byte(fmt.Sprintf(`org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";`, name, pw)),
		}, nil
	case "tls":
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		tpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(365 * 24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
		der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
		if err != nil {
			return nil, err
		}
		kder, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return nil, err
		}
		crt := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		return map[string][]byte{"ca.crt": crt, "user.crt": crt, "user.key": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})}, nil
	}
	return map[string][]byte{}, nil
}
