// AwsNodePool and EfsCheckpointStore on their own, and the plugin rejecting
// bad AWS input before creating anything.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AwsNodePool } from "../../provider/aws/awsNodePool";
import { EfsCheckpointStore } from "../../provider/aws/efsCheckpointStore";
import { VolleyProvider } from "../../provider/provider";
import { capture, valueOf } from "./graph";
import { AWS_MOCKS, recordIgnoreChanges } from "./awsFixtures";

describe("AwsNodePool", () => {
    it("creates its node group and a role with the worker, CNI and ECR policies, mapping taints to EKS spelling", async () => {
        let pool!: AwsNodePool;
        const ignore = new Map<string, string[]>();
        const g = await capture(() => {
            recordIgnoreChanges(ignore);
            pool = new AwsNodePool("gpu", {
                clusterName: "prod", subnetIds: ["subnet-1", "subnet-2"], labels: { pool: "gpu" },
                taints: [{ key: "nvidia.com/gpu", effect: "NoExecute" }, { key: "dedicated", value: "gpu", effect: "PreferNoSchedule" }],
                desiredSizeOwner: "autoscaler", tags: { team: "ml" },
            });
        }, AWS_MOCKS);
        assert.deepStrictEqual(g.names(), [
            "aws:ec2/launchTemplate:LaunchTemplate::gpu-nodes", "aws:eks/nodeGroup:NodeGroup::gpu", "aws:iam/role:Role::gpu-node-role",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment::gpu-node-role-AmazonEC2ContainerRegistryReadOnly",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment::gpu-node-role-AmazonEKSWorkerNodePolicy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment::gpu-node-role-AmazonEKS_CNI_Policy",
            "volley:index:AwsNodePool::gpu",
        ]);
        const ng = g.one("aws:eks/nodeGroup:NodeGroup");
        assert.deepStrictEqual(ng.inputs.taints, [{ key: "nvidia.com/gpu", effect: "NO_EXECUTE" }, { key: "dedicated", value: "gpu", effect: "PREFER_NO_SCHEDULE" }]);
        assert.strictEqual(ng.inputs.diskSize, undefined, "the disk is the launch template's");
        assert.deepStrictEqual(ng.inputs.tags, { team: "ml" });
        // The launch template tags the instances, volumes and ENIs, encrypts the data volume, requires IMDSv2.
        const lt = g.one("aws:ec2/launchTemplate:LaunchTemplate").inputs;
        assert.deepStrictEqual(ng.inputs.launchTemplate, { id: "gpu-nodes-id", version: "1" });
        assert.deepStrictEqual(lt.blockDeviceMappings, [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }]);
        assert.deepStrictEqual(lt.tagSpecifications.map((t: any) => t.resourceType), ["instance", "volume", "network-interface"]);
        for (const t of lt.tagSpecifications) assert.deepStrictEqual(t.tags, { team: "ml", Name: "gpu" });
        assert.strictEqual(lt.metadataOptions.httpTokens, "required");
        assert.deepStrictEqual(JSON.parse(g.one("aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Principal, { Service: "ec2.amazonaws.com" });
        for (const a of g.byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")) assert.ok(g.dependsOn(ng, a), a.name);
        assert.deepStrictEqual(ignore.get("aws:eks/nodeGroup:NodeGroup::gpu"), ["scalingConfig.desiredSize"]);
        assert.deepStrictEqual(await valueOf(pool.placement), {
            nodeSelector: { pool: "gpu" },
            tolerations: [
                { key: "nvidia.com/gpu", operator: "Exists", effect: "NoExecute" },
                { key: "dedicated", operator: "Equal", value: "gpu", effect: "PreferNoSchedule" },
            ],
        });
    });

    it("starts nodes with startup taints its placement does not tolerate", async () => {
        let pool!: AwsNodePool;
        const g = await capture(() => {
            pool = new AwsNodePool("stream", {
                clusterName: "prod", subnetIds: ["subnet-1"], nodeRoleArn: "arn:aws:iam::123456789012:role/n",
                taints: [{ key: "volley.io/dedicated", value: "true", effect: "NoSchedule" }],
                startupTaints: [{ key: "efs.csi.aws.com/agent-not-ready", effect: "NoExecute" }],
            });
        }, AWS_MOCKS);
        assert.deepStrictEqual(g.one("aws:eks/nodeGroup:NodeGroup").inputs.taints, [
            { key: "volley.io/dedicated", value: "true", effect: "NO_SCHEDULE" }, { key: "efs.csi.aws.com/agent-not-ready", effect: "NO_EXECUTE" },
        ]);
        assert.deepStrictEqual((await valueOf(pool.placement)).tolerations, [{ key: "volley.io/dedicated", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    });

    it("forwards its own dependsOn to the node group", async () => {
        const g = await capture(() => {
            const route = new pulumi.CustomResource("aws:ec2/route:Route", "r", {});
            new AwsNodePool("p", { clusterName: "c", subnetIds: ["s"], nodeRoleArn: "arn:aws:iam::123456789012:role/n" }, { dependsOn: [route] });
        }, AWS_MOCKS);
        assert.strictEqual(g.byType("aws:iam/role:Role").length, 0);
        assert.ok(g.dependsOn(g.one("aws:eks/nodeGroup:NodeGroup"), g.one("aws:ec2/route:Route")));
    });
});

describe("EfsCheckpointStore", () => {
    it("makes one mount target per subnet, NFS from the node SG only, and a claim-per-access-point StorageClass", async () => {
        let store!: EfsCheckpointStore;
        const g = await capture(() => {
            store = new EfsCheckpointStore("ckpt", {
                vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], nodeSecurityGroupId: "sg-nodes", clusterName: "prod", mountRoleArns: ["arn:aws:iam::123456789012:role/nodes"],
                kubeconfig: "kc", podIdentityAgent: false, storageClassName: "shared", uid: 2000, gid: 3000, basePath: "/ckpt", defaultSize: "10Gi",
            });
        }, AWS_MOCKS);
        assert.deepStrictEqual(g.byType("aws:efs/mountTarget:MountTarget").map((m) => m.inputs.subnetId), ["subnet-a", "subnet-b"]);
        assert.strictEqual(g.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").inputs.referencedSecurityGroupId, "sg-nodes");
        assert.deepStrictEqual(g.byType("aws:eks/addon:Addon").map((a) => a.inputs.addonName), ["aws-efs-csi-driver"]);
        const sc = g.one("kubernetes:storage.k8s.io/v1:StorageClass");
        assert.deepStrictEqual(sc.inputs.parameters, {
            provisioningMode: "efs-ap", fileSystemId: "ckpt-fs-id", directoryPerms: "700", uid: "2000", gid: "3000", basePath: "/ckpt",
            subPathPattern: "${.PVC.namespace}/${.PVC.name}", ensureUniqueDirectory: "false",
        });
        assert.deepStrictEqual(sc.inputs.mountOptions, ["iam"]);
        assert.strictEqual(g.one("pulumi:providers:kubernetes").inputs.kubeconfig, "kc");
        assert.ok(g.one("aws:efs/fileSystem:FileSystem").retainOnDelete);
        assert.deepStrictEqual(await valueOf(store.checkpoints), { kind: "StorageClass", storageClassName: "shared", defaultSize: "10Gi" });
        assert.deepStrictEqual(await valueOf(store.mountTargetIds), ["ckpt-mt-0-id", "ckpt-mt-1-id"]);
    });
});

describe("VolleyProvider.construct (AWS)", () => {
    const schema = fs.readFileSync(path.resolve(__dirname, "..", "..", "schema.json"), "utf8");

    it("rejects a bad AwsEnvironment with every issue and creates nothing", async () => {
        const p = new VolleyProvider("0.1.0", schema);
        let err: any;
        const g = await capture(() => {
            p.construct("bad", "volley:index:AwsEnvironment", {
                vpc: { availabilityZones: ["us-west-2a"] }, cluster: { version: "1.20" }, efs: { throughputMode: "provisioned" },
            }, {}).catch((e) => { err = e; });
        });
        assert.ok(pulumi.InputPropertiesError.isInstance(err), String(err));
        assert.deepStrictEqual(err.errors.map((e: any) => e.propertyPath).sort(), ["cluster.version", "efs.provisionedThroughputMibps", "operator.image", "vpc.availabilityZones"]);
        assert.deepStrictEqual(g.resources, []);
    });
});
