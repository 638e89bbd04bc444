package main

// The Entity Operator double's pass over a fake API: fixtures are the
// Strimzi documentation's KafkaTopic and KafkaUser examples ("Configuring
// Kafka topics", "Configuring Kafka users"), labelled with their cluster as
// the Topic and User Operators require.

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	k8stesting "k8s.io/client-go/testing"
)

func fakeEntityAPI(t *testing.T, objs ...string) *dynamicfake.FakeDynamicClient {
	t.Helper()
	var in []runtime.Object
	for _, o := range objs {
		in = append(in, &unstructured.Unstructured{Object: fromYAML(t, o)})
	}
	return dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{
		topicGVR: "KafkaTopicList", userGVR: "KafkaUserList", secretGVR: "SecretList",
	}, in...)
}

const (
	docTopic = `
apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata: {name: my-topic, namespace: myproject, uid: topic-uid, generation: 1, labels: {strimzi.io/cluster: my-cluster}}
spec: {partitions: 10, replicas: 3}
`
	docUser = `
apiVersion: kafka.strimzi.io/v1
kind: KafkaUser
metadata: {name: my-user, namespace: myproject, uid: user-uid, generation: 1, labels: {strimzi.io/cluster: my-cluster}}
spec: {authentication: {type: tls}}
`
	// Another cluster's topic and user: not this Entity Operator's.
	otherTopic = `
apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata: {name: their-topic, namespace: myproject, labels: {strimzi.io/cluster: their-cluster}}
spec: {partitions: 1, replicas: 1}
`
	otherUser = `
apiVersion: kafka.strimzi.io/v1
kind: KafkaUser
metadata: {name: their-user, namespace: myproject, labels: {strimzi.io/cluster: their-cluster}}
spec: {authentication: {type: scram-sha-512}}
`
)

func readyOf(o *unstructured.Unstructured) string {
	conds, _, _ := unstructured.NestedSlice(o.Object, "status", "conditions")
	for _, c := range conds {
		if m := asMap(c); m["type"] == "Ready" {
			return str(m["status"])
		}
	}
	return ""
}

// Both kinds through one pass: the selected topic and user reconciled, the
// other cluster's left alone.
func TestEntityOperatorPass(t *testing.T) {
	ctx := context.Background()
	dyn := fakeEntityAPI(t, docTopic, docUser, otherTopic, otherUser)
	d := &strimziDouble{dyn: dyn, selector: "strimzi.io/cluster=my-cluster", errs: map[string]string{}}
	d.entityOperatorPass(ctx, "myproject")
	for k, v := range d.errs {
		if v != "" {
			t.Errorf("reported %s: %s", k, v)
		}
	}
	topic, err := dyn.Resource(topicGVR).Namespace("myproject").Get(ctx, "my-topic", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !hasFinalizer(topic, "strimzi.io/topic-operator") || readyOf(topic) != "True" {
		t.Errorf("my-topic: finalizers %v, Ready %q", topic.GetFinalizers(), readyOf(topic))
	}
	if n, _, _ := unstructured.NestedString(topic.Object, "status", "topicName"); n != "my-topic" {
		t.Errorf("my-topic: status.topicName %q", n)
	}
	user, err := dyn.Resource(userGVR).Namespace("myproject").Get(ctx, "my-user", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s, _, _ := unstructured.NestedString(user.Object, "status", "secret"); s != "my-user" || readyOf(user) != "True" {
		t.Errorf("my-user: status.secret %q, Ready %q", s, readyOf(user))
	}
	sec, err := dyn.Resource(secretGVR).Namespace("myproject").Get(ctx, "my-user", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("my-user's Secret: %v", err)
	}
	for _, k := range []string{"ca.crt", "user.crt", "user.key"} {
		if v, _, _ := unstructured.NestedString(sec.Object, "data", k); v == "" {
			t.Errorf("my-user's Secret has no %s", k)
		}
	}
	for _, o := range []struct {
		gvr  schema.GroupVersionResource
		name string
	}{{topicGVR, "their-topic"}, {userGVR, "their-user"}, {secretGVR, "their-user"}} {
		got, err := dyn.Resource(o.gvr).Namespace("myproject").Get(ctx, o.name, metav1.GetOptions{})
		if o.gvr == secretGVR {
			if err == nil {
				t.Errorf("a Secret for their-user, which another cluster's User Operator owns")
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := got.Object["status"]; ok || len(got.GetFinalizers()) > 0 {
			t.Errorf("%s of another cluster touched: %v", o.name, got.Object)
		}
	}
}

// A failed list of one kind is reported under its key and does not stop
// the other kind; a failed resource is reported under its own key and does
// not stop the others of its kind.
func TestReconcileKindReports(t *testing.T) {
	ctx := context.Background()
	dyn := fakeEntityAPI(t, docTopic, docUser)
	dyn.PrependReactor("list", "kafkatopics", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, errors.New("forbidden")
	})
	d := &strimziDouble{dyn: dyn, selector: "strimzi.io/cluster=my-cluster", errs: map[string]string{}}
	d.entityOperatorPass(ctx, "myproject")
	if d.errs["list kafkatopics myproject"] != "forbidden" {
		t.Errorf("list error not reported under its key: %v", d.errs)
	}
	if user, _ := dyn.Resource(userGVR).Namespace("myproject").Get(ctx, "my-user", metav1.GetOptions{}); user == nil || readyOf(user) != "True" {
		t.Errorf("KafkaUsers not reconciled after the KafkaTopic list failed")
	}

	dyn = fakeEntityAPI(t, docUser, otherUser)
	d = &strimziDouble{dyn: dyn, errs: map[string]string{}}
	var seen []string
	d.reconcileKind(ctx, "myproject", entityKind{userGVR, "KafkaUser", func(_ *strimziDouble, _ context.Context, o *unstructured.Unstructured) error {
		seen = append(seen, o.GetName())
		if o.GetName() == "my-user" {
			return errors.New("boom")
		}
		return nil
	}})
	if len(seen) != 2 {
		t.Errorf("every resource reconciled, got %v", seen)
	}
	if d.errs["KafkaUser myproject/my-user"] != "boom" || d.errs["KafkaUser myproject/their-user"] != "" {
		t.Errorf("per-resource keys: %v", d.errs)
	}
}

// A Kafka whose entityOperator configures no operator has no Entity
// Operator: one left from before is deleted, and it does not hold the
// Kafka back.
func TestEntityOperatorRemoved(t *testing.T) {
	ctx := context.Background()
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), map[schema.GroupVersionResource]string{
		deployGVR: "DeploymentList", saGVR: "ServiceAccountList", roleGVR: "RoleList", bindingGVR: "RoleBindingList",
	}, &unstructured.Unstructured{Object: fromYAML(t, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: my-cluster-entity-operator, namespace: myproject}
spec: {replicas: 1}
status: {readyReplicas: 1}
`)}, &unstructured.Unstructured{Object: fromYAML(t, `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: my-cluster-entity-topic-operator-role, namespace: myproject}
`)})
	d := &strimziDouble{dyn: dyn, errs: map[string]string{}}
	k := &unstructured.Unstructured{Object: fromYAML(t, `
apiVersion: kafka.strimzi.io/v1
kind: Kafka
metadata: {name: my-cluster, namespace: myproject, uid: kafka-uid}
spec: {entityOperator: {}}
`)}
	ready, err := d.entityOperator(ctx, k, ownerRef(k))
	if err != nil || !ready {
		t.Fatalf("ready %v, err %v", ready, err)
	}
	if _, err := dyn.Resource(deployGVR).Namespace("myproject").Get(ctx, "my-cluster-entity-operator", metav1.GetOptions{}); err == nil {
		t.Errorf("the Entity Operator Deployment is still there")
	}
	if _, err := dyn.Resource(bindingGVR).Namespace("myproject").Get(ctx, "my-cluster-entity-topic-operator-role", metav1.GetOptions{}); err == nil {
		t.Errorf("the Topic Operator's RoleBinding is still there")
	}
}

// A KafkaUser's Secret follows its authentication type, as the User
// Operator's does: tls makes one with a certificate, tls-external none (the
// earlier one is deleted, status.secret goes), scram-sha-512 one with a
// password.
func TestUserSecretFollowsAuthentication(t *testing.T) {
	ctx := context.Background()
	dyn := fakeEntityAPI(t, docUser)
	d := &strimziDouble{dyn: dyn, selector: "strimzi.io/cluster=my-cluster", errs: map[string]string{}}
	users := dyn.Resource(userGVR).Namespace("myproject")
	secretKeys := func() []string {
		sec, err := dyn.Resource(secretGVR).Namespace("myproject").Get(ctx, "my-user", metav1.GetOptions{})
		if err != nil {
			return nil
		}
		var keys []string
		for k := range asMap(sec.Object["data"]) {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return keys
	}
	statusSecret := func() any {
		u, _ := users.Get(ctx, "my-user", metav1.GetOptions{})
		return asMap(u.Object["status"])["secret"]
	}
	setAuth := func(typ string) {
		u, _ := users.Get(ctx, "my-user", metav1.GetOptions{})
		if err := unstructured.SetNestedField(u.Object, typ, "spec", "authentication", "type"); err != nil {
			t.Fatal(err)
		}
		u.SetGeneration(u.GetGeneration() + 1)
		if _, err := users.Update(ctx, u, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		d.entityOperatorPass(ctx, "myproject")
	}
	d.entityOperatorPass(ctx, "myproject")
	if got := secretKeys(); !reflect.DeepEqual(got, []string{"ca.crt", "user.crt", "user.key"}) || statusSecret() != "my-user" {
		t.Errorf("tls: keys %v, status.secret %v", got, statusSecret())
	}
	setAuth("tls-external")
	if got := secretKeys(); got != nil || statusSecret() != nil {
		t.Errorf("tls-external: keys %v, status.secret %v", got, statusSecret())
	}
	setAuth("tls")
	setAuth("scram-sha-512")
	if got := secretKeys(); !reflect.DeepEqual(got, []string{"password", "sasl.jaas.config"}) || statusSecret() != "my-user" {
		t.Errorf("tls -> scram-sha-512: keys %v, status.secret %v", got, statusSecret())
	}
	for k, v := range d.errs {
		if v != "" {
			t.Errorf("reported %s: %s", k, v)
		}
	}
}

// The Topic Operator refuses, as Ready False NotSupported, a replication
// factor change (no Cruise Control) and a spec.topicName change, keeping the
// topic's name in the status; reverting makes the topic Ready again.
// Messages: Strimzi 1.2.0's TopicST and CoreFeaturesIT.
func TestTopicRefusedChanges(t *testing.T) {
	ctx := context.Background()
	dyn := fakeEntityAPI(t, docTopic)
	d := &strimziDouble{dyn: dyn, selector: "strimzi.io/cluster=my-cluster", errs: map[string]string{}}
	topics := dyn.Resource(topicGVR).Namespace("myproject")
	edit := func(field string, v any) {
		kt, _ := topics.Get(ctx, "my-topic", metav1.GetOptions{})
		if err := unstructured.SetNestedField(kt.Object, v, "spec", field); err != nil {
			t.Fatal(err)
		}
		kt.SetGeneration(kt.GetGeneration() + 1)
		if _, err := topics.Update(ctx, kt, metav1.UpdateOptions{}); err != nil {
			t.Fatal(err)
		}
		d.entityOperatorPass(ctx, "myproject")
	}
	verdict := func() string {
		kt, _ := topics.Get(ctx, "my-topic", metav1.GetOptions{})
		conds, _, _ := unstructured.NestedSlice(kt.Object, "status", "conditions")
		name, _, _ := unstructured.NestedString(kt.Object, "status", "topicName")
		c := asMap(conds[0])
		return fmt.Sprintf("%s=%s:%s:%s %s", c["type"], c["status"], str(c["reason"]), str(c["message"]), name)
	}
	d.entityOperatorPass(ctx, "myproject")
	if v := verdict(); v != "Ready=True:: my-topic" {
		t.Fatalf("created: %s", v)
	}
	edit("replicas", int64(2))
	if v := verdict(); !strings.HasPrefix(v, "Ready=False:NotSupported:Replication factor change not supported, but required for partitions [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]") {
		t.Errorf("replicas 3 -> 2: %s", v)
	}
	edit("replicas", int64(3))
	if v := verdict(); v != "Ready=True:: my-topic" {
		t.Errorf("replicas back to 3: %s", v)
	}
	edit("topicName", "some-other-name")
	if v := verdict(); v != "Ready=False:NotSupported:Changing spec.topicName is not supported my-topic" {
		t.Errorf("topicName changed: %s", v)
	}
	edit("topicName", "my-topic")
	if v := verdict(); v != "Ready=True:: my-topic" {
		t.Errorf("topicName back: %s", v)
	}
}
