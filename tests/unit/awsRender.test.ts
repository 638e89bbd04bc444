// AWS renderings as data: subnet plans, taint mapping, IAM documents,
// StorageClass parameters, kubeconfig.
import * as assert from "assert";
import {
    DEFAULT_EKS_VERSION, EKS_VERSIONS, LIMITED_CHILDREN, efsCsiAddonConfiguration, efsFileSystemPolicy, efsLifecyclePolicies, efsStorageClass,
    eksSupport, environmentTags, nodeDataDevice, irsaTrustPolicy, managedPolicyArn, maxComponentName, parseCidr, planSubnets, podIdentityTrustPolicy, regionOf,
    renderKubeconfig, toEksTaints,
} from "../../provider/aws/render";
import { stableName, stableSuffix } from "../../provider/core/names";

describe("AWS render", () => {
    it("plans /19 private and /22 public subnets in a /16, one of each per AZ", () => {
        assert.deepStrictEqual(planSubnets("10.0.0.0/16", ["us-west-2a", "us-west-2b", "us-west-2c"]), [
            { availabilityZone: "us-west-2a", privateCidr: "10.0.0.0/19", publicCidr: "10.0.224.0/22" },
            { availabilityZone: "us-west-2b", privateCidr: "10.0.32.0/19", publicCidr: "10.0.228.0/22" },
            { availabilityZone: "us-west-2c", privateCidr: "10.0.64.0/19", publicCidr: "10.0.232.0/22" },
        ]);
        const six = planSubnets("172.16.0.0/20", ["a", "b", "c", "d", "e", "f"].map((z) => `eu-west-1${z}`));
        assert.strictEqual(six[5].privateCidr, "172.16.10.0/23");
        assert.strictEqual(six[5].publicCidr, "172.16.15.64/26");
        // No overlaps: every block is distinct.
        const all = six.flatMap((p) => [p.privateCidr, p.publicCidr]);
        assert.strictEqual(new Set(all).size, 12);
    });

    it("parses CIDRs strictly", () => {
        assert.deepStrictEqual(parseCidr("10.0.0.0/16"), { base: 10 * 2 ** 24, prefix: 16 });
        for (const bad of ["10.0.0.0", "10.0.0/16", "256.0.0.0/8", "10.0.0.0/33", "10.0.1.0/16"]) assert.strictEqual(parseCidr(bad), undefined, bad);
    });

    it("maps Kubernetes taint effects to the EKS enum", () => {
        assert.deepStrictEqual(toEksTaints([
            { key: "volley.io/dedicated", value: "true", effect: "NoSchedule" },
            { key: "a", effect: "PreferNoSchedule" },
            { key: "b", value: "", effect: "NoExecute" },
        ]), [
            { key: "volley.io/dedicated", value: "true", effect: "NO_SCHEDULE" },
            { key: "a", effect: "PREFER_NO_SCHEDULE" },
            { key: "b", effect: "NO_EXECUTE" },
        ]);
        assert.throws(() => toEksTaints([{ key: "a", effect: "NO_SCHEDULE" }]), /unknown taint effect/);
    });

    it("trusts pods.eks.amazonaws.com with AssumeRole and TagSession for Pod Identity", () => {
        assert.deepStrictEqual(podIdentityTrustPolicy().Statement, [
            { Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] },
        ]);
    });

    it("trusts the OIDC provider for the efs-csi service accounts with IRSA", () => {
        const arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ABC";
        const st = irsaTrustPolicy(arn, "kube-system", "efs-csi-*").Statement[0];
        assert.deepStrictEqual(st.Principal, { Federated: arn });
        assert.strictEqual(st.Action, "sts:AssumeRoleWithWebIdentity");
        assert.deepStrictEqual(st.Condition, {
            StringEquals: { "oidc.eks.us-west-2.amazonaws.com/id/ABC:aud": "sts.amazonaws.com" },
            StringLike: { "oidc.eks.us-west-2.amazonaws.com/id/ABC:sub": "system:serviceaccount:kube-system:efs-csi-*" },
        });
    });

    it("renders an efs-ap StorageClass: own access point per claim, 700, Retain", () => {
        const sc = efsStorageClass("volley-efs", { fileSystemId: "fs-123", directoryPerms: "700", uid: 1000, gid: 2000, basePath: "/volley" });
        assert.strictEqual(sc.provisioner, "efs.csi.aws.com");
        assert.strictEqual(sc.reclaimPolicy, "Retain");
        assert.deepStrictEqual(sc.parameters, {
            provisioningMode: "efs-ap", fileSystemId: "fs-123", directoryPerms: "700", uid: "1000", gid: "2000", basePath: "/volley",
            subPathPattern: "${.PVC.namespace}/${.PVC.name}", ensureUniqueDirectory: "false",
        });
    });

    it("lets the CSI node DaemonSet tolerate every taint and pins the controller to system nodes", () => {
        assert.deepStrictEqual(JSON.parse(efsCsiAddonConfiguration({ "volley.io/pool": "system" })), {
            controller: { nodeSelector: { "volley.io/pool": "system" } }, node: { tolerations: [{ operator: "Exists" }] },
        });
    });

    it("moves files to IA and back, or not at all", () => {
        assert.deepStrictEqual(efsLifecyclePolicies("AFTER_30_DAYS"), [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }]);
        assert.deepStrictEqual(efsLifecyclePolicies("NONE"), []);
    });

    it("adds the environment tag over the user's", () => {
        assert.deepStrictEqual(environmentTags("dev", { team: "data", "volley.io/environment": "x" }), { team: "data", "volley.io/environment": "dev" });
    });

    it("renders a kubeconfig that gets tokens from `aws eks get-token` in the cluster's region", () => {
        assert.strictEqual(regionOf("https://ABC.gr7.eu-central-1.eks.amazonaws.com"), "eu-central-1");
        assert.strictEqual(regionOf("arn:aws:eks:ap-southeast-2:123456789012:cluster/x"), "ap-southeast-2");
        const kc = JSON.parse(renderKubeconfig({ clusterName: "dev", endpoint: "https://ABC.gr7.us-west-2.eks.amazonaws.com", certificateAuthorityData: "Q0E=" }));
        assert.strictEqual(kc.clusters[0].cluster.server, "https://ABC.gr7.us-west-2.eks.amazonaws.com");
        assert.strictEqual(kc.clusters[0].cluster["certificate-authority-data"], "Q0E=");
        assert.strictEqual(kc["current-context"], "dev");
        assert.deepStrictEqual(kc.users[0].user.exec.args, ["eks", "get-token", "--cluster-name", "dev", "--output", "json", "--region", "us-west-2"]);
        assert.strictEqual(kc.users[0].user.exec.command, "aws");
    });

    it("adds the role and profile a token is made with", () => {
        const kc = JSON.parse(renderKubeconfig({
            clusterName: "dev", endpoint: "https://ABC.gr7.us-west-2.eks.amazonaws.com", certificateAuthorityData: "Q0E=",
            roleArn: "arn:aws:iam::123456789012:role/deployer", profile: "prod",
        }));
        assert.deepStrictEqual(kc.users[0].user.exec.args.slice(-2), ["--role-arn", "arn:aws:iam::123456789012:role/deployer"]);
        assert.deepStrictEqual(kc.users[0].user.exec.env, [{ name: "AWS_PROFILE", value: "prod" }]);
    });
});

describe("node launch template", () => {
    it("sizes the volume EKS sizes: the root volume, or Bottlerocket's data volume", () => {
        assert.strictEqual(nodeDataDevice("AL2023_x86_64_STANDARD"), "/dev/xvda");
        assert.strictEqual(nodeDataDevice("BOTTLEROCKET_ARM_64"), "/dev/xvdb");
    });
});

describe("EKS version calendar", () => {
    it("judges support on the calendar's day: 1.29-1.31 ended, 1.32-1.34 extended, 1.35-1.36 standard", () => {
        assert.deepStrictEqual(["1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36", "1.37"].map((v) => eksSupport(v)),
            ["ended", "ended", "ended", "extended", "extended", "extended", "standard", "standard", undefined]);
        assert.deepStrictEqual(EKS_VERSIONS, ["1.36", "1.35", "1.34", "1.33", "1.32"]);
        assert.strictEqual(DEFAULT_EKS_VERSION, "1.36");
    });

    it("moves a version along its support on the table's dates", () => {
        assert.strictEqual(eksSupport("1.34", "2026-12-01"), "standard");
        assert.strictEqual(eksSupport("1.34", "2026-12-02"), "extended");
        assert.strictEqual(eksSupport("1.34", "2027-12-02"), "ended");
    });
});

describe("EFS file-system policy", () => {
    const arn = "arn:aws:elasticfilesystem:us-west-2:123456789012:file-system/fs-0123";
    const nodes = "arn:aws:iam::123456789012:role/nodes";
    const doc = efsFileSystemPolicy(arn, [nodes]);
    const sid = (id: string) => doc.Statement.find((s) => s.Sid === id);

    it("denies everything without TLS", () => {
        assert.deepStrictEqual(sid("DenyWithoutTls"), {
            Sid: "DenyWithoutTls", Effect: "Deny", Principal: { AWS: "*" }, Action: "*", Resource: arn, Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });

    it("denies root access to everyone", () => {
        assert.deepStrictEqual(sid("DenyRootAccess"), { Sid: "DenyRootAccess", Effect: "Deny", Principal: { AWS: "*" }, Action: "elasticfilesystem:ClientRootAccess", Resource: arn });
    });

    it("denies mounting and writing except through an access point", () => {
        const s = sid("DenyMountsOutsideAccessPoints");
        assert.strictEqual(s.Effect, "Deny");
        assert.deepStrictEqual(s.Action, ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]);
        assert.deepStrictEqual(s.Condition, { Null: { "elasticfilesystem:AccessPointArn": "true" } });
    });

    it("allows mounting and writing only to the node roles (IAM mounts, R1), only through mount targets, and nothing else", () => {
        const allows = doc.Statement.filter((s) => s.Effect === "Allow");
        assert.deepStrictEqual(allows, [{
            Sid: "AllowNodeRolesThroughMountTargets", Effect: "Allow", Principal: { AWS: nodes }, Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            Resource: arn, Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
        }]);
        assert.strictEqual(doc.Statement.length, 4);
        for (const s of doc.Statement) assert.strictEqual(s.Resource, arn);
    });
});

describe("AWS names and partitions", () => {
    it("builds managed policy ARNs in any partition", () => {
        assert.strictEqual(managedPolicyArn("aws-us-gov", "AmazonEKSClusterPolicy"), "arn:aws-us-gov:iam::aws:policy/AmazonEKSClusterPolicy");
    });

    it("derives each component's longest name from its children's suffixes and AWS's limits", () => {
        // 53 - "-prometheus-chart".length (a Helm release name gets no suffix); 63 - 8 - 0 vs 64 - 8 - "-node-role".length; 64 - 8 - "-csi-role".length.
        assert.deepStrictEqual(Object.keys(LIMITED_CHILDREN).map((k) => [k, maxComponentName(k)]), [["AwsEnvironment", 36], ["AwsNodePool", 46], ["EfsCheckpointStore", 47]]);
    });

    it("makes stable names unique per stack and within the limit", () => {
        assert.strictEqual(stableSuffix(["p", "s", "n"]), stableSuffix(["p", "s", "n"]));
        assert.notStrictEqual(stableSuffix(["p", "s", "n"]), stableSuffix(["p", "t", "n"]));
        assert.match(stableName("dev-cluster", ["p", "s", "dev"], 100), /^dev-cluster-[0-9a-f]{7}$/);
        const long = stableName(`${"a".repeat(95)}-cluster`, ["p", "s", "x"], 100);
        assert.strictEqual(long.length, 100);
        assert.match(stableName("ab--cd", ["p"], 10), /^ab-[0-9a-f]{7}$/, "no doubled dash where the base is cut");
    });
});
