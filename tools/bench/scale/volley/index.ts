// make bench (tools/bench/scale.sh): one environment on the local cluster
// (operator only: KEDA and Prometheus are charts, measured elsewhere) and
// `apps` distributed applications. `changedReplicas` changes the first one.
import * as pulumi from "@pulumi/pulumi";
import * as volley from "@volley-io/pulumi-volley";

const config = new pulumi.Config();
const apps = config.requireNumber("apps");

const env = new volley.KubernetesEnvironment("bench", {
    // Nothing runs it: kwok runs no containers (tools/lib.sh OPERATOR_DOUBLE_IMAGE).
    operator: { image: "volley-operator-double.invalid/volley-k8s-operator:double" },
    kubeconfig: config.requireSecret("kubeconfig"),
    checkpoints: { nfs: { server: "127.0.0.1", path: "/exports/volley" }, size: "1Gi" },
    keda: { enabled: false },
    prometheus: { mode: "none" },
});

for (let i = 0; i < apps; i++) {
    new volley.Application(`app-${i}`, {
        environment: env.environment,
        image: "registry.example.com/pipeline:v1.0",
        resources: { requests: { cpu: "100m", memory: "128Mi" } },
        replicas: i === 0 ? config.getNumber("changedReplicas") ?? 1 : 1,
        cluster: {},
        awaitRunning: false,
    });
}
