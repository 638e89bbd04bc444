package main

// The pure parts of the Strimzi TEST DOUBLE (strimzidouble.go): names,
// node IDs, the merged pod template placement, the objects Strimzi makes
// for a Kafka cluster, and the status it writes. Field names and naming
// rules are Strimzi 1.2.0's: the vendored chart's CRDs
// (../shared/charts/strimzi-kafka-operator-1.2.0/crds), KafkaResources and
// Labels in strimzi-kafka-operator, and the documentation's status examples
// (documentation/modules/managing/con-custom-resources-status.adoc).
// Test infrastructure: never packaged or installed for users.

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

const (
	strimziGroup   = "kafka.strimzi.io"
	strimziVersion = "1.2.0" // operatorLastSuccessfulVersion: the chart this double stands in for
	// Strimzi's labels (operator-common Labels.java).
	labelCluster    = "strimzi.io/cluster"
	labelKind       = "strimzi.io/kind"
	labelName       = "strimzi.io/name"
	labelPool       = "strimzi.io/pool-name"
	labelBroker     = "strimzi.io/broker-role"
	labelController = "strimzi.io/controller-role"
	labelComponent  = "strimzi.io/component-type"
	// Ports of Strimzi's own listeners on the brokers (KafkaCluster.java):
	// KRaft control plane, replication, Kafka agent.
	portControlPlane = 9090
	portReplication  = 9091
	portAgent        = 8443
	// The annotation where the double keeps a topic's partition count as its
	// simulated Kafka has it (a real Topic Operator asks Kafka): labelled
	// the double's, never read by anything else.
	doublePartitionsAnnotation = "double.localkube.volley.dev/partitions"
	// Likewise its replication factor (0: the broker default).
	doubleReplicasAnnotation = "double.localkube.volley.dev/replicas"
	// The finalizer the (unidirectional) Topic Operator puts on KafkaTopics
	// it manages (STRIMZI_USE_FINALIZERS, default true), removed once it has
	// deleted the topic in Kafka.
	topicFinalizer = "strimzi.io/topic-operator"
)

// KafkaResources naming.
func brokerPodName(cluster, pool string, id int) string {
	return fmt.Sprintf("%s-%s-%d", cluster, pool, id)
}
func bootstrapServiceName(cluster string) string { return cluster + "-kafka-bootstrap" }
func brokersServiceName(cluster string) string   { return cluster + "-kafka-brokers" }
func podSetName(cluster, pool string) string     { return cluster + "-" + pool }
func entityOperatorName(cluster string) string   { return cluster + "-entity-operator" }

// bootstrapAddress: the internal listener's address in the Kafka status:
// `<cluster>-kafka-bootstrap.<namespace>.svc` (ListenersUtils, with the
// cluster DNS suffix left out as Strimzi does for internal listeners).
func bootstrapHost(cluster, ns string) string {
	return bootstrapServiceName(cluster) + "." + ns + ".svc"
}

// claim: one persistent volume claim of a broker pod.
type claim struct {
	Name, Size, Class string
	DeleteClaim       bool
	VolumeID          int
}

// brokerClaims: the PVCs of pod `pod` for the pool's storage (VolumeUtils):
// `data-<id>-<pod>` for each persistent-claim volume of a jbod,
// `data-<pod>` for a persistent-claim storage; none for ephemeral.
func brokerClaims(pod string, storage map[string]any) []claim {
	one := func(v map[string]any, name string) claim {
		c := claim{Name: name, Size: str(v["size"]), Class: str(v["class"]), DeleteClaim: v["deleteClaim"] == true}
		if id, ok := num(v["id"]); ok {
			c.VolumeID = id
		}
		return c
	}
	switch str(storage["type"]) {
	case "persistent-claim":
		return []claim{one(storage, "data-"+pod)}
	case "jbod":
		var out []claim
		vols, _ := storage["volumes"].([]any)
		for _, x := range vols {
			v, _ := x.(map[string]any)
			if str(v["type"]) != "persistent-claim" {
				continue
			}
			id, _ := num(v["id"])
			out = append(out, one(v, fmt.Sprintf("data-%d-%s", id, pod)))
		}
		return out
	}
	return nil
}

// poolIDs: a node pool's replicas and the node IDs it already has (its status).
type poolIDs struct {
	Name     string
	Replicas int
	Current  []int
}

// assignNodeIDs gives every pool `Replicas` node IDs, unique across the
// cluster's pools: a pool keeps the IDs it has (scaling down drops its
// highest ones, as Strimzi does without the remove-node-ids annotation);
// new nodes take the lowest IDs no pool uses, pools in name order.
func assignNodeIDs(pools []poolIDs) map[string][]int {
	sorted := append([]poolIDs{}, pools...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	used := map[int]bool{}
	out := map[string][]int{}
	for _, p := range sorted {
		cur := append([]int{}, p.Current...)
		sort.Ints(cur)
		if len(cur) > p.Replicas {
			cur = cur[:max(p.Replicas, 0)]
		}
		for _, id := range cur {
			used[id] = true
		}
		out[p.Name] = cur
	}
	next := 0
	for _, p := range sorted {
		for len(out[p.Name]) < p.Replicas {
			for used[next] {
				next++
			}
			used[next] = true
			out[p.Name] = append(out[p.Name], next)
		}
		sort.Ints(out[p.Name])
	}
	return out
}

// podTemplateFields: KafkaNodePool.spec.template.pod's properties (the
// vendored CRD); no nodeSelector among them: placement is affinity,
// tolerations and spread constraints.
var podTemplateFields = []string{
	"metadata", "imagePullSecrets", "securityContext", "terminationGracePeriodSeconds", "affinity", "tolerations",
	"topologySpreadConstraints", "priorityClassName", "schedulerName", "hostAliases", "dnsPolicy", "dnsConfig",
	"enableServiceLinks", "tmpDirSizeLimit", "volumes", "templatedVolumes", "hostUsers",
}

// mergePodTemplate: the pod template a pool's pods get from the Kafka's
// `spec.kafka.template.pod` and the pool's `spec.template.pod`. Since
// Strimzi 0.49 (proposal 120) they merge property by property and the node
// pool's wins where both set one; a property is taken whole, never merged
// inside (a pool's tolerations replace the Kafka's).
func mergePodTemplate(kafka, pool map[string]any) map[string]any {
	out := map[string]any{}
	for _, f := range podTemplateFields {
		if v, ok := pool[f]; ok && v != nil {
			out[f] = v
		} else if v, ok := kafka[f]; ok && v != nil {
			out[f] = v
		}
	}
	return out
}

// applyPodTemplate: the placement (and the other pod-level settings) of a
// merged template on a pod spec.
func applyPodTemplate(spec map[string]any, tpl map[string]any) {
	for _, f := range []string{"imagePullSecrets", "securityContext", "terminationGracePeriodSeconds", "affinity", "tolerations",
		"topologySpreadConstraints", "priorityClassName", "schedulerName", "hostAliases", "dnsPolicy", "dnsConfig", "enableServiceLinks", "hostUsers"} {
		if v, ok := tpl[f]; ok {
			spec[f] = v
		}
	}
}

// poolRoles: a KafkaNodePool's name, replicas and roles, as its validation reads them.
type poolRoles struct {
	Name     string
	Replicas int
	Roles    []string
}

// validateNodePools: why Strimzi refuses to reconcile a Kafka with these
// node pools ("" when it does not). Strimzi 1.2.0: none at all fails with
// InvalidConfigurationException (KafkaAssemblyOperator.kafkaReconciler);
// otherwise NodePoolUtils.validateNodePools fails with
// InvalidResourceException when no pool has a replica, or when no pool
// with replicas has the broker role, or the controller role (KRaft needs
// both), or a pool has no role; its errors joined as a Java List prints.
func validateNodePools(cluster string, pools []poolRoles) (reason, message string) {
	if len(pools) == 0 {
		return "InvalidConfigurationException", "No KafkaNodePools found for Kafka cluster " + cluster
	}
	anyReplicas := false
	for _, p := range pools {
		anyReplicas = anyReplicas || p.Replicas > 0
	}
	if !anyReplicas {
		return "InvalidResourceException", "KafkaNodePools are enabled, but KafkaNodePools for Kafka cluster " + cluster + " either don't exist or have 0 replicas. " +
			"Please make sure at least one KafkaNodePool resource exists, is in the same namespace as the Kafka resource, has at least one replica, and has the strimzi.io/cluster label set to the name of the Kafka resource."
	}
	var errs []string
	broker, controller := false, false
	for _, p := range pools {
		switch {
		case len(p.Roles) == 0:
			errs = append(errs, "KafkaNodePool "+p.Name+" has no role defined in .spec.roles")
		case p.Replicas > 0:
			broker = broker || hasRole(p.Roles, "broker")
			controller = controller || hasRole(p.Roles, "controller")
		}
	}
	if !broker {
		errs = append(errs, "At least one KafkaNodePool with the broker role and at least one replica is required when KRaft mode is enabled")
	}
	if !controller {
		errs = append(errs, "At least one KafkaNodePool with the controller role and at least one replica is required when KRaft mode is enabled")
	}
	if len(errs) > 0 {
		return "InvalidResourceException", "The Kafka cluster " + cluster + " is invalid: [" + strings.Join(errs, ", ") + "]"
	}
	return "", ""
}

// hasRole: whether a pool's spec.roles lists role.
func hasRole(roles []string, role string) bool {
	for _, r := range roles {
		if r == role {
			return true
		}
	}
	return false
}

// kafkaImage: the image for a Kafka version from the chart's
// STRIMZI_KAFKA_IMAGES ("<version>=<image>" per line).
func kafkaImage(images, version string) string {
	for _, line := range strings.Split(images, "\n") {
		if v, img, ok := strings.Cut(strings.TrimSpace(line), "="); ok && v == version {
			return img
		}
	}
	return ""
}

// brokerLabels: Strimzi's labels of a node pool's pods.
func brokerLabels(cluster, pool string, roles []string) map[string]any {
	return map[string]any{
		labelCluster: cluster, labelKind: "Kafka", labelName: cluster + "-kafka", labelPool: pool,
		labelComponent:           "kafka",
		labelBroker:              strconv.FormatBool(hasRole(roles, "broker")),
		labelController:          strconv.FormatBool(hasRole(roles, "controller")),
		"app.kubernetes.io/name": "kafka", "app.kubernetes.io/instance": cluster, "app.kubernetes.io/part-of": "strimzi-" + cluster,
		"app.kubernetes.io/managed-by": "strimzi-cluster-operator",
	}
}

// brokerPod: the pod `<cluster>-<pool>-<id>` as a StrimziPodSet holds it:
// Strimzi's labels plus the template's, the merged placement, the pool's
// resources, its claims mounted, the brokers Service as its subdomain.
func brokerPod(cluster, ns, pool string, id int, roles []string, tpl map[string]any, resources any, image string, claims []claim) map[string]any {
	name := brokerPodName(cluster, pool, id)
	labels := brokerLabels(cluster, pool, roles)
	labels["statefulset.kubernetes.io/pod-name"] = name
	annotations := map[string]any{}
	if md, ok := tpl["metadata"].(map[string]any); ok {
		for k, v := range asMap(md["labels"]) {
			labels[k] = v
		}
		for k, v := range asMap(md["annotations"]) {
			annotations[k] = v
		}
	}
	var mounts, volumes []any
	for _, c := range claims {
		vol := fmt.Sprintf("data-%d", c.VolumeID)
		volumes = append(volumes, map[string]any{"name": vol, "persistentVolumeClaim": map[string]any{"claimName": c.Name}})
		mounts = append(mounts, map[string]any{"name": vol, "mountPath": fmt.Sprintf("/var/lib/kafka/data-%d", c.VolumeID)})
	}
	container := map[string]any{
		"name": "kafka", "image": image,
		"args": []any{"/opt/kafka/kafka_run.sh"},
		"ports": []any{
			map[string]any{"name": "tcp-ctrlplane", "containerPort": int64(portControlPlane)},
			map[string]any{"name": "tcp-replication", "containerPort": int64(portReplication)},
		},
	}
	if resources != nil {
		container["resources"] = resources
	}
	if len(mounts) > 0 {
		container["volumeMounts"] = mounts
	}
	spec := map[string]any{
		"hostname": name, "subdomain": brokersServiceName(cluster),
		"containers":                   []any{container},
		"serviceAccountName":           cluster + "-kafka",
		"automountServiceAccountToken": false,
	}
	if len(volumes) > 0 {
		spec["volumes"] = volumes
	}
	applyPodTemplate(spec, tpl)
	md := map[string]any{"name": name, "namespace": ns, "labels": labels}
	if len(annotations) > 0 {
		md["annotations"] = annotations
	}
	return map[string]any{"apiVersion": "v1", "kind": "Pod", "metadata": md, "spec": spec}
}

// listener: an entry of Kafka.spec.kafka.listeners.
type listener struct {
	Name string
	Port int
	Type string
	TLS  bool
}

func listenersOf(kafkaSpec map[string]any) []listener {
	var out []listener
	ls, _ := asMap(kafkaSpec["kafka"])["listeners"].([]any)
	for _, x := range ls {
		m := asMap(x)
		p, _ := num(m["port"])
		out = append(out, listener{Name: str(m["name"]), Port: p, Type: str(m["type"]), TLS: m["tls"] == true})
	}
	return out
}

// servicePorts: Strimzi names a listener's Service port `tcp-<name>`.
func servicePorts(ls []listener, internal bool) []any {
	var out []any
	if internal {
		for _, p := range []struct {
			name string
			port int
		}{{"tcp-ctrlplane", portControlPlane}, {"tcp-replication", portReplication}, {"tcp-kafkaagent", portAgent}} {
			out = append(out, map[string]any{"name": p.name, "port": int64(p.port), "protocol": "TCP", "targetPort": int64(p.port)})
		}
	}
	for _, l := range ls {
		if l.Type != "internal" {
			continue
		}
		out = append(out, map[string]any{"name": "tcp-" + l.Name, "port": int64(l.Port), "protocol": "TCP", "targetPort": int64(l.Port)})
	}
	return out
}

// kafkaServices: `<cluster>-kafka-bootstrap` (ClusterIP, the brokers'
// client listeners and replication) and `<cluster>-kafka-brokers`
// (headless, every port, not-ready addresses published), both selecting
// the cluster's broker pods.
func kafkaServices(cluster, ns string, ls []listener) []map[string]any {
	labels := map[string]any{labelCluster: cluster, labelKind: "Kafka", labelName: cluster + "-kafka", labelComponent: "kafka"}
	sel := map[string]any{labelCluster: cluster, labelKind: "Kafka", labelName: cluster + "-kafka", labelBroker: "true"}
	bootstrapPorts := []any{map[string]any{"name": "tcp-replication", "port": int64(portReplication), "protocol": "TCP", "targetPort": int64(portReplication)}}
	bootstrapPorts = append(bootstrapPorts, servicePorts(ls, false)...)
	brokersSel := map[string]any{labelCluster: cluster, labelKind: "Kafka", labelName: cluster + "-kafka"}
	return []map[string]any{
		{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": bootstrapServiceName(cluster), "namespace": ns, "labels": labels},
			"spec": map[string]any{"type": "ClusterIP", "selector": sel, "ports": bootstrapPorts}},
		{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": brokersServiceName(cluster), "namespace": ns, "labels": labels},
			"spec": map[string]any{"type": "ClusterIP", "clusterIP": "None", "publishNotReadyAddresses": true, "selector": brokersSel, "ports": servicePorts(ls, true)}},
	}
}

// listenerStatus: Kafka.status.listeners for the internal listeners.
func listenerStatus(cluster, ns string, ls []listener) []any {
	var out []any
	host := bootstrapHost(cluster, ns)
	for _, l := range ls {
		if l.Type != "internal" {
			continue
		}
		out = append(out, map[string]any{
			"name":             l.Name,
			"addresses":        []any{map[string]any{"host": host, "port": int64(l.Port)}},
			"bootstrapServers": fmt.Sprintf("%s:%d", host, l.Port),
		})
	}
	return out
}

// clusterID: a Kafka cluster ID (a base64url UUID, 22 characters) derived
// from the Kafka resource's UID, so it stays the same for the resource.
func clusterID(uid string) string {
	sum := sha256.Sum256([]byte(uid))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// condition: one entry of status.conditions.
func condition(typ, status, reason, message, now string) map[string]any {
	c := map[string]any{"type": typ, "status": status, "lastTransitionTime": now}
	if reason != "" {
		c["reason"] = reason
	}
	if message != "" {
		c["message"] = message
	}
	return c
}

// kafkaStatus: the Kafka's status once reconciled (ready) or while not yet
// (reason and message say what it waits for).
func kafkaStatus(generation int64, ready bool, reason, message string, cluster, ns string, ls []listener, pools []string, id, version, metadataVersion, now string) map[string]any {
	st := map[string]any{"observedGeneration": generation}
	if ready {
		st["conditions"] = []any{condition("Ready", "True", "", "", now)}
		st["listeners"] = listenerStatus(cluster, ns, ls)
		st["operatorLastSuccessfulVersion"] = strimziVersion
	} else {
		st["conditions"] = []any{condition("NotReady", "True", reason, message, now)}
	}
	var ps []any
	for _, p := range pools {
		ps = append(ps, map[string]any{"name": p})
	}
	if len(ps) > 0 {
		st["kafkaNodePools"] = ps
	}
	if id != "" {
		st["clusterId"] = id
	}
	if version != "" {
		st["kafkaVersion"] = version
	}
	if metadataVersion != "" {
		st["kafkaMetadataVersion"] = metadataVersion
	}
	return st
}

// topicVerdict: what the Topic Operator makes of a KafkaTopic whose topic
// has `previous` partitions in Kafka (0: not created yet) and whose spec
// asks for `wanted` (0: unset, the cluster default at creation, no change
// after). Kafka cannot remove partitions: a decrease leaves the topic as it
// is and fails the KafkaTopic with the unidirectional Topic Operator's
// NotSupported "Decreasing partitions not supported"
// (BatchingTopicController.partitionChanges, Strimzi 1.2.0); anything else
// is applied.
func topicVerdict(previous, wanted int) (partitions int, ok bool, reason, message string) {
	switch {
	case wanted == 0:
		return previous, true, "", ""
	case previous > 0 && wanted < previous:
		return previous, false, "NotSupported", "Decreasing partitions not supported"
	}
	return wanted, true, "", ""
}

// replicasVerdict: what the Topic Operator (without Cruise Control, which
// the package does not deploy) makes of a KafkaTopic whose topic has
// replication factor `kafkaRF` and `partitions` partitions in Kafka and whose
// spec asks for `wanted` replicas (0: unset): a change fails with
// NotSupported, naming the partitions it would need to change
// (BatchingTopicController.checkReplicasChanges, Strimzi 1.2.0).
func replicasVerdict(kafkaRF, wanted, partitions int) (ok bool, reason, message string) {
	if kafkaRF <= 0 || wanted <= 0 || wanted == kafkaRF {
		return true, "", ""
	}
	ids := make([]string, partitions)
	for i := range ids {
		ids[i] = strconv.Itoa(i)
	}
	return false, "NotSupported", "Replication factor change not supported, but required for partitions [" + strings.Join(ids, ", ") + "]"
}

// topicStatus: a KafkaTopic's status: one condition, Ready True, or Ready
// False with the reason and message (BatchingTopicController
// updateStatusForSuccess / updateStatusForException: the Topic Operator
// never writes a NotReady condition).
func topicStatus(generation int64, topicName, topicID string, ok bool, reason, message, now string) map[string]any {
	st := map[string]any{"observedGeneration": generation, "topicName": topicName, "topicId": topicID}
	if ok {
		st["conditions"] = []any{condition("Ready", "True", "", "", now)}
	} else {
		st["conditions"] = []any{condition("Ready", "False", reason, message, now)}
	}
	return st
}

// userVerdict: why the User Operator refuses a KafkaUser ("" when it does
// not): a tls user's name becomes its certificate's CN, at most 64
// characters (KafkaUserModel.validateTlsUsername, Strimzi 1.2.0).
func userVerdict(name, authType string) (reason, message string) {
	if authType == "tls" && len(name) > 64 {
		return "InvalidResourceException", "Users with TLS client authentication can have a username (name of the KafkaUser custom resource) only up to 64 characters long."
	}
	return "", ""
}

// userFailedStatus: a refused KafkaUser's status: NotReady True with the
// exception's name and message, no username or secret
// (KafkaUserOperator.createOrUpdate, StatusUtils).
func userFailedStatus(generation int64, reason, message, now string) map[string]any {
	return map[string]any{"observedGeneration": generation, "conditions": []any{condition("NotReady", "True", reason, message, now)}}
}

// userHasSecret: whether the User Operator makes a Secret for a KafkaUser
// with this authentication type: only for the credentials it generates, a
// `tls` certificate or a `scram-sha-512` password; none for `tls-external`
// (the certificate is issued elsewhere) or no authentication
// (user-operator KafkaUserModel.generateSecret returns null, Strimzi 1.2.0).
func userHasSecret(authType string) bool {
	return authType == "tls" || authType == "scram-sha-512"
}

// userStatus: a KafkaUser's status: its Kafka user name (SCRAM or none:
// the resource's name; TLS: the certificate's subject `CN=<name>`) and,
// when the User Operator made one, the Secret holding its credentials,
// named after the user (KafkaUserOperator.reconcileUserSecret sets
// status.secret only for a Secret it reconciled).
func userStatus(generation int64, name, authType, now string) map[string]any {
	username := name
	if authType == "tls" || authType == "tls-external" {
		username = "CN=" + name
	}
	st := map[string]any{
		"observedGeneration": generation, "username": username,
		"conditions": []any{condition("Ready", "True", "", "", now)},
	}
	if userHasSecret(authType) {
		st["secret"] = name
	}
	return st
}

// sameCondition: whether two condition lists say the same (type, status,
// reason, message), so an unchanged status keeps its lastTransitionTime.
func sameCondition(old, cur []any) bool {
	if len(old) != len(cur) {
		return false
	}
	for i := range old {
		a, b := asMap(old[i]), asMap(cur[i])
		for _, k := range []string{"type", "status", "reason", "message"} {
			if str(a[k]) != str(b[k]) {
				return false
			}
		}
	}
	return true
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	if m == nil {
		return map[string]any{}
	}
	return m
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// num: an integer from decoded JSON (int64 from the API machinery, float64 from encoding/json).
func num(v any) (int, bool) {
	switch n := v.(type) {
	case int64:
		return int(n), true
	case int:
		return n, true
	case float64:
		return int(n), true
	case int32:
		return int(n), true
	}
	return 0, false
}

func strings_(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		out = append(out, str(x))
	}
	return out
}
