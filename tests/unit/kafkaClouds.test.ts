// Kafka on AWS, GCP and Azure under mocks (issue 24): with
// `kafka: { mode: "strimzi" }` each environment shows the chart, a dedicated
// Kafka pool with the Kafka label and taint, the Kafka and node-pool CRs on
// the cloud's block StorageClass; without it, none of them.
import * as assert from "assert";
import { AwsEnvironment } from "../../provider/aws/awsEnvironment";
import { ebsStorageClass, ebsCsiAddonConfiguration } from "../../provider/aws/kafka";
import { GcpEnvironment } from "../../provider/gcp/gcpEnvironment";
import { AzureEnvironment } from "../../provider/azure/azureEnvironment";
import { validateAwsEnvironment } from "../../provider/aws/validate";
import { validateGcpEnvironment } from "../../provider/gcp/validate";
import { validateAzureEnvironment } from "../../provider/azure/validate";
import { Graph, capture, valueOf } from "./graph";
import { awsCalls, awsOutputs } from "./awsFixtures";
import { GOOD_ENV } from "./awsValidate.test";
import { G, captureGcp } from "./gcpMocks";
import { A, captureAzure } from "./azureMocks";

const OPERATOR = { image: "registry.example.com/volley-k8s-operator:0.1.0" };
const KAFKA = { mode: "strimzi" as const };
const K = {
    chart: "kubernetes:helm.sh/v4:Chart",
    kafka: "kubernetes:kafka.strimzi.io/v1:Kafka",
    pool: "kubernetes:kafka.strimzi.io/v1:KafkaNodePool",
    sc: "kubernetes:storage.k8s.io/v1:StorageClass",
    ng: "aws:eks/nodeGroup:NodeGroup",
    addon: "aws:eks/addon:Addon",
    pia: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    role: "aws:iam/role:Role",
};

/** What every cloud's graph must show with Kafka on: the chart, the Kafka CR, its broker pool on `storageClass`. */
function assertStrimzi(g: Graph, storageClass: string) {
    const chart = g.byType(K.chart).filter((c) => c.name === "dev-kafka-chart");
    assert.strictEqual(chart.length, 1, "the Strimzi chart");
    assert.strictEqual(g.byType(K.kafka).length, 1, "the Kafka CR");
    const pool = g.one(K.pool);
    assert.strictEqual(pool.inputs.spec.storage.volumes[0].class, storageClass);
    assert.strictEqual(pool.inputs.spec.storage.volumes[0].deleteClaim, false);
    assert.deepStrictEqual(pool.inputs.spec.template.pod.tolerations, [{ key: "volley.io/kafka", operator: "Equal", value: "true", effect: "NoSchedule" }]);
}

describe("AwsEnvironment with Kafka", () => {
    const run = (args: any) => {
        let env!: AwsEnvironment;
        return capture(() => { env = new AwsEnvironment("dev", { operator: OPERATOR, ...args }); }, { outputs: awsOutputs, call: awsCalls() })
            .then((g) => ({ g, env }));
    };

    it("a tainted Kafka node group, the EBS CSI driver with its own role, a gp3 class; Kafka and pools on it", async () => {
        const { g, env } = await run({ ...GOOD_ENV, kafka: KAFKA });
        const ng = g.one(K.ng, "dev-kafka");
        assert.deepStrictEqual(ng.inputs.labels, { "volley.io/pool": "kafka" });
        assert.deepStrictEqual(ng.inputs.taints, [{ key: "volley.io/kafka", value: "true", effect: "NO_SCHEDULE" }]);
        assert.deepStrictEqual(ng.inputs.scalingConfig, { minSize: 3, desiredSize: 3, maxSize: 6 });
        const addon = g.one(K.addon, "dev-ebs-csi-driver");
        assert.strictEqual(addon.inputs.addonName, "aws-ebs-csi-driver");
        assert.deepStrictEqual(JSON.parse(addon.inputs.configurationValues).node, { tolerateAllTaints: true });
        const pia = g.one(K.pia, "dev-ebs-csi-controller-sa");
        assert.deepStrictEqual([pia.inputs.namespace, pia.inputs.serviceAccount], ["kube-system", "ebs-csi-controller-sa"]);
        assert.ok(g.dependsOn(addon, pia), "the driver starts with its identity in place");
        const sc = g.one(K.sc, "dev-kafka-class");
        assert.deepStrictEqual([sc.inputs.provisioner, sc.inputs.parameters.type, sc.inputs.parameters.encrypted, sc.inputs.reclaimPolicy, sc.inputs.volumeBindingMode],
            ["ebs.csi.aws.com", "gp3", "true", "Retain", "WaitForFirstConsumer"]);
        assertStrimzi(g, "volley-kafka-gp3");
        assert.strictEqual((await valueOf(env.environment)).kafka!.bootstrapServers, "volley-kafka-bootstrap.kafka.svc:9092");
    });

    it("without kafka: no Kafka node group, driver, class or chart", async () => {
        const { g } = await run(GOOD_ENV);
        assert.strictEqual(g.byType(K.ng).filter((n) => n.name === "dev-kafka").length, 0);
        assert.strictEqual(g.byType(K.addon).filter((a) => a.name === "dev-ebs-csi-driver").length, 0);
        assert.strictEqual(g.byType(K.kafka).length, 0);
    });

    it("the EBS pieces as data: the class's parameters and the add-on's placement", () => {
        assert.deepStrictEqual(ebsStorageClass("x").allowVolumeExpansion, true);
        assert.deepStrictEqual(JSON.parse(ebsCsiAddonConfiguration({ "volley.io/pool": "system" })).controller, { nodeSelector: { "volley.io/pool": "system" } });
    });

    it("validates kafka and kafkaNodePool with their paths", () => {
        const issues = validateAwsEnvironment({ ...GOOD_ENV, kafka: { mode: "strimzi", strimzi: { brokers: 2, config: { "default.replication.factor": "3" } } }, kafkaNodePool: { minSize: 5, maxSize: 4 } });
        assert.ok(issues.some((i) => i.propertyPath === "kafka.strimzi.config.default.replication.factor"), JSON.stringify(issues));
        assert.ok(issues.some((i) => i.propertyPath === "kafkaNodePool.minSize"), JSON.stringify(issues));
        assert.ok(validateAwsEnvironment({ ...GOOD_ENV, kafkaNodePool: {} }).some((i) => i.propertyPath === "kafkaNodePool"));
    });
});

describe("GcpEnvironment with Kafka", () => {
    const run = (args: any) => {
        let env!: GcpEnvironment;
        return captureGcp(() => { env = new GcpEnvironment("dev", { operator: OPERATOR, project: "my-project", location: "us-central1", ...args }); })
            .then((g) => ({ g, env }));
    };

    it("a tainted Kafka node pool; Kafka and pools on standard-rwo", async () => {
        const { g, env } = await run({ kafka: KAFKA });
        const pools = g.byType(G.pool).filter((p) => p.name.startsWith("dev-kafka"));
        assert.strictEqual(pools.length, 1, g.byType(G.pool).map((p) => p.name).join(", "));
        const pool = pools[0];
        assert.strictEqual(pool.inputs.nodeConfig.labels["volley.io/pool"], "kafka");
        assert.deepStrictEqual(pool.inputs.nodeConfig.taints, [{ key: "volley.io/kafka", value: "true", effect: "NO_SCHEDULE" }]);
        assert.strictEqual(pool.inputs.nodeConfig.machineType, "e2-standard-4");
        assertStrimzi(g, "standard-rwo");
        assert.strictEqual((await valueOf(env.environment)).kafka!.brokers, 3);
    });

    it("without kafka: no Kafka pool or chart", async () => {
        const { g } = await run({});
        assert.strictEqual(g.byType(G.pool).filter((p) => p.name.startsWith("dev-kafka")).length, 0);
        assert.strictEqual(g.byType(K.kafka).length, 0);
    });

    it("validates kafka and kafkaNodePool with their paths", () => {
        const base = { operator: OPERATOR, project: "my-project", location: "us-central1" };
        assert.ok(validateGcpEnvironment({ ...base, kafka: { mode: "strimzi", strimzi: { controllers: 2 } } }).some((i) => i.propertyPath === "kafka.strimzi.controllers"));
        assert.ok(validateGcpEnvironment({ ...base, kafkaNodePool: {} }).some((i) => i.propertyPath === "kafkaNodePool"));
    });
});

describe("AzureEnvironment with Kafka", () => {
    const run = (args: any) => {
        let env!: AzureEnvironment;
        return captureAzure(() => { env = new AzureEnvironment("dev", { operator: OPERATOR, ...args }); }).then((g) => ({ g, env }));
    };

    it("a tainted Kafka AgentPool after the stream pool (one write at a time); Kafka and pools on managed-csi", async () => {
        const { g, env } = await run({ kafka: KAFKA });
        const kafkaPool = g.one(A.pool, "dev-kafka-pool");
        assert.deepStrictEqual(kafkaPool.inputs.nodeLabels, { "volley.io/pool": "kafka" });
        assert.deepStrictEqual(kafkaPool.inputs.nodeTaints, ["volley.io/kafka=true:NoSchedule"]);
        assert.strictEqual(kafkaPool.inputs.count, 3);
        assert.strictEqual(kafkaPool.inputs.mode, "User");
        // Its AgentPool waits for the stream pool's (the component dependency reaches its children).
        assert.ok(g.dependsOn(kafkaPool, g.one(A.pool, "dev-stream-pool")), "AKS takes one write at a time");
        assertStrimzi(g, "managed-csi");
        assert.strictEqual((await valueOf(env.environment)).kafka!.mode, "strimzi");
    });

    it("without kafka: no Kafka pool or chart", async () => {
        const { g } = await run({});
        assert.strictEqual(g.byType(A.pool).filter((p) => p.name === "dev-kafka-pool").length, 0);
        assert.strictEqual(g.byType(K.kafka).length, 0);
    });

    it("validates kafka and kafkaNodePool with their paths", () => {
        assert.ok(validateAzureEnvironment({ operator: OPERATOR, kafka: { mode: "external", external: { bootstrapServers: "ns.servicebus.windows.net" } } })
            .some((i) => i.propertyPath === "kafka.external.bootstrapServers"));
        assert.ok(validateAzureEnvironment({ operator: OPERATOR, kafkaNodePool: {} }).some((i) => i.propertyPath === "kafkaNodePool"));
    });
});
