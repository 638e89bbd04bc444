package main

// Fixtures are Strimzi's own: the documentation's node pool, template and
// status examples and the vendored chart's STRIMZI_KAFKA_IMAGES format,
// never the package's constants.

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

func fromYAML(t *testing.T, s string) map[string]any {
	t.Helper()
	var out map[string]any
	if err := yaml.Unmarshal([]byte(s), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBrokerNames(t *testing.T) {
	// Strimzi documentation, "Configuring node pools": pool-a of my-cluster
	// with JBOD storage; pods my-cluster-pool-a-<id>, claims data-<volume>-<pod>.
	pool := fromYAML(t, `
replicas: 3
roles: [broker]
storage:
  type: jbod
  volumes:
  - {id: 0, type: persistent-claim, size: 100Gi, deleteClaim: false}
  - {id: 1, type: persistent-claim, size: 100Gi, class: fast, deleteClaim: true}
  - {id: 2, type: ephemeral}
`)
	pod := brokerPodName("my-cluster", "pool-a", 3)
	if pod != "my-cluster-pool-a-3" {
		t.Fatalf("pod name %q", pod)
	}
	got := brokerClaims(pod, asMap(pool["storage"]))
	want := []claim{
		{Name: "data-0-my-cluster-pool-a-3", Size: "100Gi", VolumeID: 0},
		{Name: "data-1-my-cluster-pool-a-3", Size: "100Gi", Class: "fast", DeleteClaim: true, VolumeID: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("claims: got %+v, want %+v", got, want)
	}
	single := brokerClaims(pod, fromYAML(t, `{type: persistent-claim, size: 10Gi}`))
	if len(single) != 1 || single[0].Name != "data-my-cluster-pool-a-3" {
		t.Fatalf("persistent-claim storage: %+v", single)
	}
	if c := brokerClaims(pod, fromYAML(t, `{type: ephemeral}`)); len(c) != 0 {
		t.Fatalf("ephemeral storage has no claims: %+v", c)
	}
	if bootstrapServiceName("my-cluster") != "my-cluster-kafka-bootstrap" || brokersServiceName("my-cluster") != "my-cluster-kafka-brokers" {
		t.Fatal("service names")
	}
}

func TestAssignNodeIDs(t *testing.T) {
	got := assignNodeIDs([]poolIDs{{Name: "pool-b", Replicas: 2}, {Name: "pool-a", Replicas: 3}})
	if want := map[string][]int{"pool-a": {0, 1, 2}, "pool-b": {3, 4}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("fresh: got %v, want %v", got, want)
	}
	// Scaling up keeps the IDs a pool has; new nodes take the lowest free ones.
	got = assignNodeIDs([]poolIDs{{Name: "pool-a", Replicas: 4, Current: []int{0, 1, 2}}, {Name: "pool-b", Replicas: 2, Current: []int{3, 4}}})
	if want := map[string][]int{"pool-a": {0, 1, 2, 5}, "pool-b": {3, 4}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("scale up: got %v, want %v", got, want)
	}
	// Scaling down drops the highest.
	got = assignNodeIDs([]poolIDs{{Name: "pool-a", Replicas: 2, Current: []int{0, 1, 2, 5}}, {Name: "pool-b", Replicas: 2, Current: []int{3, 4}}})
	if want := map[string][]int{"pool-a": {0, 1}, "pool-b": {3, 4}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("scale down: got %v, want %v", got, want)
	}
}

func TestMergePodTemplate(t *testing.T) {
	// Strimzi documentation (proposal 120, 0.49): Kafka.spec.kafka.template
	// as the cluster-wide default, the node pool's template wins property by
	// property; a property is replaced whole.
	kafka := fromYAML(t, `
tolerations:
- {key: dedicated, operator: Equal, value: Kafka, effect: NoSchedule}
affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
      - matchExpressions: [{key: dedicated, operator: In, values: [Kafka]}]
priorityClassName: kafka-default
`)
	pool := fromYAML(t, `
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
    - labelSelector: {matchLabels: {strimzi.io/pool-name: pool-a}}
      topologyKey: kubernetes.io/hostname
priorityClassName: kafka-pool-a
nodeSelector: {not: a-template-field}
`)
	got := mergePodTemplate(kafka, pool)
	if !reflect.DeepEqual(got["affinity"], pool["affinity"]) {
		t.Errorf("affinity: the pool's wins whole, got %v", got["affinity"])
	}
	if !reflect.DeepEqual(got["tolerations"], kafka["tolerations"]) {
		t.Errorf("tolerations: the Kafka's where the pool sets none, got %v", got["tolerations"])
	}
	if got["priorityClassName"] != "kafka-pool-a" {
		t.Errorf("priorityClassName %v", got["priorityClassName"])
	}
	if _, ok := got["nodeSelector"]; ok {
		t.Errorf("nodeSelector is no property of Strimzi's pod template")
	}
	if m := mergePodTemplate(kafka, map[string]any{}); !reflect.DeepEqual(m, kafka) {
		t.Errorf("a pool without a template takes the Kafka's: %v", m)
	}
}

func TestBrokerPod(t *testing.T) {
	tpl := mergePodTemplate(fromYAML(t, `{tolerations: [{key: dedicated, operator: Equal, value: Kafka, effect: NoSchedule}]}`),
		fromYAML(t, `{metadata: {labels: {team: streaming}}, topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}]}`))
	claims := brokerClaims("my-cluster-pool-a-0", fromYAML(t, `{type: jbod, volumes: [{id: 0, type: persistent-claim, size: 100Gi}]}`))
	pod := brokerPod("my-cluster", "myproject", "pool-a", 0, []string{"controller", "broker"}, tpl, nil, "registry.example/strimzi/kafka:1.2.0-kafka-4.3.1", claims)
	md, spec := asMap(pod["metadata"]), asMap(pod["spec"])
	labels := asMap(md["labels"])
	for k, v := range map[string]string{
		"strimzi.io/cluster": "my-cluster", "strimzi.io/kind": "Kafka", "strimzi.io/name": "my-cluster-kafka",
		"strimzi.io/pool-name": "pool-a", "strimzi.io/broker-role": "true", "strimzi.io/controller-role": "true", "team": "streaming",
	} {
		if labels[k] != v {
			t.Errorf("label %s: got %v, want %s", k, labels[k], v)
		}
	}
	if md["name"] != "my-cluster-pool-a-0" || spec["subdomain"] != "my-cluster-kafka-brokers" {
		t.Errorf("name %v, subdomain %v", md["name"], spec["subdomain"])
	}
	if !reflect.DeepEqual(spec["tolerations"], tpl["tolerations"]) || !reflect.DeepEqual(spec["topologySpreadConstraints"], tpl["topologySpreadConstraints"]) {
		t.Errorf("placement not applied: %v", spec)
	}
	b, _ := json.Marshal(spec["volumes"])
	if string(b) != `[{"name":"data-0","persistentVolumeClaim":{"claimName":"data-0-my-cluster-pool-a-0"}}]` {
		t.Errorf("volumes %s", b)
	}
}

func TestKafkaImage(t *testing.T) {
	// The chart's STRIMZI_KAFKA_IMAGES (templates/_kafka_image_map.tpl), rendered.
	env := "4.2.0=registry.example/strimzi/kafka:1.2.0-kafka-4.2.0\n4.3.1=registry.example/strimzi/kafka:1.2.0-kafka-4.3.1\n"
	if got := kafkaImage(env, "4.3.1"); got != "registry.example/strimzi/kafka:1.2.0-kafka-4.3.1" {
		t.Fatalf("got %q", got)
	}
	if got := kafkaImage(env, "3.9.0"); got != "" {
		t.Fatalf("an unsupported version has no image, got %q", got)
	}
}

func TestKafkaStatus(t *testing.T) {
	// Strimzi documentation, con-custom-resources-status.adoc: the Kafka
	// status of my-cluster in prm-project with a plain listener.
	want := fromYAML(t, `
listeners:
- addresses:
  - host: my-cluster-kafka-bootstrap.prm-project.svc
    port: 9092
  bootstrapServers: 'my-cluster-kafka-bootstrap.prm-project.svc:9092'
  name: plain
`)
	spec := fromYAML(t, `{kafka: {listeners: [{name: plain, port: 9092, type: internal, tls: false}]}}`)
	st := kafkaStatus(7, true, "", "", "my-cluster", "prm-project", listenersOf(spec), []string{"pool-a"}, "CLUSTERID", "4.3.1", "4.3-IV0", "2026-01-01T00:00:00Z")
	b, _ := json.Marshal(st["listeners"])
	w, _ := json.Marshal(want["listeners"])
	if string(b) != string(w) {
		t.Errorf("listeners: got %s, want %s", b, w)
	}
	c := asMap(st["conditions"].([]any)[0])
	if c["type"] != "Ready" || c["status"] != "True" || st["observedGeneration"] != int64(7) {
		t.Errorf("ready status: %v", st)
	}
	if p, _ := json.Marshal(st["kafkaNodePools"]); string(p) != `[{"name":"pool-a"}]` || st["clusterId"] != "CLUSTERID" {
		t.Errorf("node pools %s, cluster id %v", p, st["clusterId"])
	}
	not := kafkaStatus(8, false, "Creating", "waiting", "my-cluster", "prm-project", listenersOf(spec), nil, "", "", "", "x")
	if c := asMap(not["conditions"].([]any)[0]); c["type"] != "NotReady" || c["reason"] != "Creating" {
		t.Errorf("not ready: %v", not)
	}
	if _, ok := not["listeners"]; ok {
		t.Errorf("listeners are reported once ready")
	}
	if len(clusterID("a")) != 22 || clusterID("a") != clusterID("a") || clusterID("a") == clusterID("b") {
		t.Errorf("cluster id: a stable 22-character base64url UUID per resource")
	}
}

func TestTopicVerdict(t *testing.T) {
	// Strimzi 1.2.0's Topic Operator tests (CoreFeaturesIT
	// shouldFailDecreaseInPartitions): reason NotSupported, message
	// "Decreasing partitions not supported". The documentation's older
	// example (PartitionDecreaseException) is the removed bidirectional
	// Topic Operator's.
	for _, c := range []struct {
		prev, wanted, parts int
		ok                  bool
		reason              string
	}{
		{0, 3, 3, true, ""},              // created
		{3, 6, 6, true, ""},              // partitions added
		{6, 6, 6, true, ""},              // unchanged
		{6, 0, 6, true, ""},              // unset: no change
		{6, 3, 6, false, "NotSupported"}, // Kafka cannot remove partitions
	} {
		parts, ok, reason, msg := topicVerdict(c.prev, c.wanted)
		if parts != c.parts || ok != c.ok || reason != c.reason {
			t.Errorf("%d -> %d: got %d %v %s", c.prev, c.wanted, parts, ok, reason)
		}
		if !ok && msg != "Decreasing partitions not supported" {
			t.Errorf("message %q", msg)
		}
	}
	// Strimzi's system tests wait for a failed topic as Ready False
	// (KafkaTopicUtils.waitForKafkaTopicNotReady), with exactly one condition.
	st := topicStatus(4, "my-topic", "id", false, "NotSupported", "Decreasing partitions not supported", "x")
	conds := st["conditions"].([]any)
	if c := asMap(conds[0]); len(conds) != 1 || c["type"] != "Ready" || c["status"] != "False" || c["reason"] != "NotSupported" {
		t.Errorf("decrease status %v", st)
	}
}

func TestUserStatus(t *testing.T) {
	if st := userStatus(2, "my-user", "tls", "x"); st["username"] != "CN=my-user" || st["secret"] != "my-user" {
		t.Errorf("tls user: %v", st)
	}
	if st := userStatus(2, "my-user", "scram-sha-512", "x"); st["username"] != "my-user" || st["secret"] != "my-user" {
		t.Errorf("scram user: %v", st)
	}
	// Strimzi's User Operator makes no Secret for tls-external or for no
	// authentication (KafkaUserModel.generateSecret), so no status.secret.
	if st := userStatus(2, "my-user", "tls-external", "x"); st["username"] != "CN=my-user" || st["secret"] != nil {
		t.Errorf("tls-external user: %v", st)
	}
	if st := userStatus(2, "my-user", "", "x"); st["username"] != "my-user" || st["secret"] != nil {
		t.Errorf("user without authentication: %v", st)
	}
	d, err := userSecretData("my-user", "scram-sha-512")
	if err != nil || len(d["password"]) == 0 || len(d["sasl.jaas.config"]) == 0 {
		t.Errorf("scram secret keys: %v %v", d, err)
	}
	d, err = userSecretData("my-user", "tls")
	if err != nil || len(d["user.crt"]) == 0 || len(d["user.key"]) == 0 {
		t.Errorf("tls secret keys: %v", err)
	}
}

func TestKafkaServices(t *testing.T) {
	ls := listenersOf(fromYAML(t, `{kafka: {listeners: [{name: plain, port: 9092, type: internal, tls: false}, {name: tls, port: 9093, type: internal, tls: true}]}}`))
	svcs := kafkaServices("my-cluster", "ns", ls)
	if asMap(svcs[0]["metadata"])["name"] != "my-cluster-kafka-bootstrap" || asMap(svcs[1]["metadata"])["name"] != "my-cluster-kafka-brokers" {
		t.Fatalf("names")
	}
	ports := func(s map[string]any) (out []string) {
		for _, p := range asMap(s["spec"])["ports"].([]any) {
			out = append(out, str(asMap(p)["name"]))
		}
		return
	}
	if got := ports(svcs[0]); !reflect.DeepEqual(got, []string{"tcp-replication", "tcp-plain", "tcp-tls"}) {
		t.Errorf("bootstrap ports %v", got)
	}
	if asMap(svcs[1]["spec"])["clusterIP"] != "None" {
		t.Errorf("brokers Service is headless")
	}
}

func TestValidateNodePools(t *testing.T) {
	// Strimzi 1.2.0's NodePoolUtilsTest (pool-a, pool-b of my-cluster) and
	// its messages, and KafkaAssemblyOperator's when no pool exists.
	const zero = "KafkaNodePools are enabled, but KafkaNodePools for Kafka cluster my-cluster either don't exist or have 0 replicas. " +
		"Please make sure at least one KafkaNodePool resource exists, is in the same namespace as the Kafka resource, has at least one replica, and has the strimzi.io/cluster label set to the name of the Kafka resource."
	const noBroker = "At least one KafkaNodePool with the broker role and at least one replica is required when KRaft mode is enabled"
	const noController = "At least one KafkaNodePool with the controller role and at least one replica is required when KRaft mode is enabled"
	for _, c := range []struct {
		name            string
		pools           []poolRoles
		reason, message string
	}{
		{"no pools", nil, "InvalidConfigurationException", "No KafkaNodePools found for Kafka cluster my-cluster"},
		{"separate roles", []poolRoles{{"pool-a", 3, []string{"controller"}}, {"pool-b", 3, []string{"broker"}}}, "", ""},
		{"dual role", []poolRoles{{"pool-a", 3, []string{"controller", "broker"}}}, "", ""},
		{"0 replicas", []poolRoles{{"pool-a", 0, []string{"controller", "broker"}}}, "InvalidResourceException", zero},
		{"no broker", []poolRoles{{"pool-a", 3, []string{"controller"}}}, "InvalidResourceException", "The Kafka cluster my-cluster is invalid: [" + noBroker + "]"},
		{"no controller", []poolRoles{{"pool-b", 3, []string{"broker"}}}, "InvalidResourceException", "The Kafka cluster my-cluster is invalid: [" + noController + "]"},
		{"brokers without replicas", []poolRoles{{"pool-a", 3, []string{"controller"}}, {"pool-b", 0, []string{"broker"}}},
			"InvalidResourceException", "The Kafka cluster my-cluster is invalid: [" + noBroker + "]"},
		{"no roles", []poolRoles{{"pool-a", 3, nil}}, "InvalidResourceException",
			"The Kafka cluster my-cluster is invalid: [KafkaNodePool pool-a has no role defined in .spec.roles, " + noBroker + ", " + noController + "]"},
	} {
		reason, msg := validateNodePools("my-cluster", c.pools)
		if reason != c.reason || msg != c.message {
			t.Errorf("%s: got %q %q, want %q %q", c.name, reason, msg, c.reason, c.message)
		}
	}
}

func TestEntityOperatorObjects(t *testing.T) {
	// Strimzi documentation ("Configuring the Entity Operator"): each
	// operator is deployed only when its property is set; with neither
	// there is no Entity Operator.
	summary := func(eo string) (kinds, containers []string) {
		for _, o := range entityOperatorObjects("my-cluster", "myproject", fromYAML(t, eo), "to-image", "uo-image") {
			kinds = append(kinds, str(o.obj["kind"])+" "+str(asMap(o.obj["metadata"])["name"]))
			if o.obj["kind"] == "Deployment" {
				for _, c := range asMap(asMap(asMap(o.obj["spec"])["template"])["spec"])["containers"].([]any) {
					containers = append(containers, str(asMap(c)["name"]))
				}
			}
		}
		return
	}
	for _, c := range []struct {
		eo                string
		kinds, containers []string
	}{
		{`{}`, nil, nil},
		{`{template: {pod: {tolerations: [{key: a, operator: Exists}]}}}`, nil, nil},
		{`{topicOperator: {}, userOperator: {}}`, []string{"ServiceAccount my-cluster-entity-operator", "Role my-cluster-entity-operator",
			"RoleBinding my-cluster-entity-topic-operator-role", "RoleBinding my-cluster-entity-user-operator-role", "Deployment my-cluster-entity-operator"},
			[]string{"topic-operator", "user-operator"}},
		{`{userOperator: {}}`, []string{"ServiceAccount my-cluster-entity-operator", "Role my-cluster-entity-operator",
			"RoleBinding my-cluster-entity-user-operator-role", "Deployment my-cluster-entity-operator"}, []string{"user-operator"}},
		{`{topicOperator: {}}`, []string{"ServiceAccount my-cluster-entity-operator", "Role my-cluster-entity-operator",
			"RoleBinding my-cluster-entity-topic-operator-role", "Deployment my-cluster-entity-operator"}, []string{"topic-operator"}},
	} {
		kinds, containers := summary(c.eo)
		if !reflect.DeepEqual(kinds, c.kinds) || !reflect.DeepEqual(containers, c.containers) {
			t.Errorf("%s: got %v %v, want %v %v", c.eo, kinds, containers, c.kinds, c.containers)
		}
	}
}

func TestKafkaExporterObjects(t *testing.T) {
	if objs := kafkaExporterObjects("my-cluster", "myproject", nil, "img"); len(objs) != 0 {
		t.Errorf("no spec.kafkaExporter, no Kafka Exporter: %v", objs)
	}
	// Strimzi documentation, "Configuring the Kafka Exporter" (regexes and a
	// pod template); the expected names and environment are Strimzi's
	// KafkaExporterTest's (my-cluster-kafka-bootstrap:9091).
	ke := fromYAML(t, `
groupRegex: ".*"
topicRegex: "orders"
template:
  pod:
    tolerations: [{key: dedicated, operator: Equal, value: system, effect: NoSchedule}]
`)
	objs := kafkaExporterObjects("my-cluster", "myproject", ke, "registry.example/strimzi/kafka:1.2.0-kafka-4.3.1")
	if len(objs) != 2 || objs[0].obj["kind"] != "ServiceAccount" || objs[1].obj["kind"] != "Deployment" {
		t.Fatalf("objects %v", objs)
	}
	dep := objs[1].obj
	if asMap(dep["metadata"])["name"] != "my-cluster-kafka-exporter" || asMap(objs[0].obj["metadata"])["name"] != "my-cluster-kafka-exporter" {
		t.Errorf("names %v", dep["metadata"])
	}
	pod := asMap(asMap(asMap(dep["spec"])["template"])["spec"])
	if !reflect.DeepEqual(pod["tolerations"], asMap(asMap(ke["template"])["pod"])["tolerations"]) || pod["serviceAccountName"] != "my-cluster-kafka-exporter" {
		t.Errorf("pod %v", pod)
	}
	c := asMap(pod["containers"].([]any)[0])
	env := map[string]string{}
	for _, e := range c["env"].([]any) {
		env[str(asMap(e)["name"])] = str(asMap(e)["value"])
	}
	if c["name"] != "my-cluster-kafka-exporter" || env["KAFKA_EXPORTER_KAFKA_SERVER"] != "my-cluster-kafka-bootstrap:9091" ||
		env["KAFKA_EXPORTER_TOPIC_REGEX"] != "orders" || env["KAFKA_EXPORTER_GROUP_REGEX"] != ".*" {
		t.Errorf("container %v", c)
	}
	labels := asMap(asMap(asMap(asMap(dep["spec"])["template"])["metadata"])["labels"])
	if labels["strimzi.io/name"] != "my-cluster-kafka-exporter" || labels["strimzi.io/cluster"] != "my-cluster" {
		t.Errorf("pod labels %v", labels)
	}
}

func TestReplicasVerdict(t *testing.T) {
	// Strimzi 1.2.0's CoreFeaturesIT.shouldFailChangeToRf: 2 partitions, RF 1 -> 2.
	if ok, reason, msg := replicasVerdict(1, 2, 2); ok || reason != "NotSupported" ||
		msg != "Replication factor change not supported, but required for partitions [0, 1]" {
		t.Errorf("rf change: %v %q %q", ok, reason, msg)
	}
	for _, c := range [][3]int{{3, 3, 12}, {3, 0, 12}, {0, 3, 12}} { // unchanged; unset in the spec; unknown in Kafka
		if ok, _, _ := replicasVerdict(c[0], c[1], c[2]); !ok {
			t.Errorf("%v: not a change Strimzi refuses", c)
		}
	}
}

func TestUserVerdict(t *testing.T) {
	// Strimzi 1.2.0's KafkaUserModel.validateTlsUsername: a certificate's CN is at most 64 characters.
	long := strings.Repeat("a", 65)
	if reason, msg := userVerdict(long, "tls"); reason != "InvalidResourceException" ||
		msg != "Users with TLS client authentication can have a username (name of the KafkaUser custom resource) only up to 64 characters long." {
		t.Errorf("65-character tls user: %q %q", reason, msg)
	}
	for _, c := range []struct{ name, auth string }{{strings.Repeat("a", 64), "tls"}, {long, "scram-sha-512"}, {long, "tls-external"}} {
		if reason, _ := userVerdict(c.name, c.auth); reason != "" {
			t.Errorf("%d characters, %s: refused", len(c.name), c.auth)
		}
	}
	st := userFailedStatus(3, "InvalidResourceException", "m", "x")
	if c := asMap(st["conditions"].([]any)[0]); c["type"] != "NotReady" || c["status"] != "True" || st["secret"] != nil || st["username"] != nil {
		t.Errorf("failed status %v", st)
	}
}
