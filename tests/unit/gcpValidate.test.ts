// GCP render and validation tables: Filestore tier rules, CIDRs, labels,
// taint mapping, names, kubeconfig; every bad input rejected with its path.
import * as assert from "assert";
import * as yaml from "js-yaml";
import {
    FILESTORE_TIERS, cidrsOverlap, defaultFilestoreLocation, defaultFilestoreTier, filestoreCapacityIssue, filestoreVolumeHandle,
    GCP_NAME_LIMITS, SERVICE_ACCOUNT_ID_MIN, filestoreInstanceName, gcpLabels, gcpName, gcpResourceNames, nodeServiceAccountId, stackSuffix, gkeAutoscaling, gkeVersionBelow, gkeKubeconfig, gkeTaints, isRegion, isZone, parseCidr, regionOf,
} from "../../provider/gcp/render";
import { UNKNOWN } from "../../provider/core/validate";
import { validateFilestoreCheckpointStore, validateGcpEnvironment, validateGcpNodePool } from "../../provider/gcp/validate";

describe("Filestore tier rules", () => {
    const table: [tier: string, gib: number, ok: boolean][] = [
        ["BASIC_HDD", 1023, false], ["BASIC_HDD", 1024, true], ["BASIC_HDD", 1100, true], ["BASIC_HDD", 65433, true], ["BASIC_HDD", 65434, false],
        ["BASIC_SSD", 2048, false], ["BASIC_SSD", 2559, false], ["BASIC_SSD", 2560, true], ["BASIC_SSD", 65433, true], ["BASIC_SSD", 70000, false],
        ["ZONAL", 1024, true], ["ZONAL", 1280, true], ["ZONAL", 1100, false], ["ZONAL", 9984, true], ["ZONAL", 10000, false],
        ["ZONAL", 10240, true], ["ZONAL", 12800, true], ["ZONAL", 12000, false], ["ZONAL", 102400, true], ["ZONAL", 104960, false],
        ["REGIONAL", 1024, true], ["REGIONAL", 1536, true], ["REGIONAL", 1000, false], ["REGIONAL", 15360, true],
        ["ENTERPRISE", 1024, true], ["ENTERPRISE", 10240, true], ["ENTERPRISE", 10241, false], ["ENTERPRISE", 512, false], ["ENTERPRISE", 1280, true], ["ENTERPRISE", 1500, false],
        ["BASIC_HDD", 1024.5, false],
    ];
    for (const [tier, gib, ok] of table) {
        it(`${tier} ${gib} GiB is ${ok ? "valid" : "rejected"}`, () => {
            const issue = filestoreCapacityIssue(tier, gib);
            if (ok) assert.strictEqual(issue, undefined);
            else assert.match(issue ?? "", new RegExp(`^${tier} capacity must be \\d+-\\d+ GiB`));
        });
    }
    it("names the allowed ranges of the tier", () => {
        assert.strictEqual(filestoreCapacityIssue("ZONAL", 1100), "ZONAL capacity must be 1024-9984 GiB in 256 GiB steps, or 10240-102400 GiB in 2560 GiB steps; got 1100");
        assert.match(filestoreCapacityIssue("PREMIUM", 1024)!, /unknown tier "PREMIUM"; must be one of BASIC_HDD, BASIC_SSD, ZONAL, REGIONAL, ENTERPRISE/);
    });
    it("scopes: basic and zonal tiers in a zone, regional and enterprise in a region; CMEK not on basic tiers", () => {
        assert.deepStrictEqual(Object.entries(FILESTORE_TIERS).map(([t, r]) => `${t}:${r.scope}:${r.cmek}`), [
            "BASIC_HDD:zone:false", "BASIC_SSD:zone:false", "ZONAL:zone:true", "REGIONAL:region:true", "ENTERPRISE:region:true",
        ]);
        assert.strictEqual(defaultFilestoreTier("us-central1-a"), "BASIC_HDD");
        assert.strictEqual(defaultFilestoreTier("us-central1"), undefined, "G2: no default next to a regional cluster (quota starts at 0)");
        assert.strictEqual(defaultFilestoreLocation("BASIC_HDD", "us-central1-a"), "us-central1-a");
        assert.strictEqual(defaultFilestoreLocation("BASIC_HDD", "us-central1"), undefined);
        assert.strictEqual(defaultFilestoreLocation("ENTERPRISE", "europe-west4-b"), "europe-west4");
    });
});

describe("GCP render helpers", () => {
    it("maps Kubernetes taint effects to GKE's enum and refuses others", () => {
        assert.deepStrictEqual(gkeTaints([
            { key: "volley.io/dedicated", value: "true", effect: "NoSchedule" }, { key: "a", effect: "PreferNoSchedule" }, { key: "b", value: "x", effect: "NoExecute" },
        ]), [
            { key: "volley.io/dedicated", value: "true", effect: "NO_SCHEDULE" }, { key: "a", value: "", effect: "PREFER_NO_SCHEDULE" }, { key: "b", value: "x", effect: "NO_EXECUTE" },
        ]);
        assert.throws(() => gkeTaints([{ key: "k", effect: "NO_SCHEDULE" }]), /effect must be one of NoSchedule, PreferNoSchedule, NoExecute/);
    });
    it("parses CIDRs and finds overlaps", () => {
        assert.deepStrictEqual(parseCidr("10.0.0.0/20"), { start: 10 * 2 ** 24, end: 10 * 2 ** 24 + 4095, prefix: 20 });
        assert.strictEqual(parseCidr("10.0.0.256/20"), undefined);
        assert.strictEqual(parseCidr("10.0.0.0"), undefined);
        assert.ok(cidrsOverlap("10.0.0.0/8", "10.20.0.0/20"));
        assert.ok(!cidrsOverlap("10.0.0.0/20", "10.0.16.0/20"));
        assert.ok(!cidrsOverlap("10.16.0.0/14", "10.20.0.0/20"));
    });
    it("knows zones from regions", () => {
        assert.ok(isZone("us-central1-a") && !isZone("us-central1"));
        assert.ok(isRegion("europe-west4") && !isRegion("europe-west4-b"));
        assert.strictEqual(regionOf("asia-southeast1-b"), "asia-southeast1");
    });
    it("derives valid, deterministic GCP names and labels", () => {
        assert.strictEqual(gcpName("Prod_EU"), "prod-eu");
        assert.strictEqual(gcpName("1st"), "v-1st");
        const n = gcpResourceNames("a-very-long-environment-name-for-production");
        assert.ok(n.cluster.length <= 40 && n.serviceAccountId.length <= 30 && n.serviceAccountId.length >= 6, JSON.stringify(n));
        assert.strictEqual(gcpResourceNames("dev").serviceAccountId, "dev-nodes");
        assert.deepStrictEqual(gcpLabels("Prod.EU", { team: "data" }), { "volley-io-environment": "prod-eu", team: "data" });
    });
    it("derives a stable 6-hex suffix per Pulumi project, stack and component", () => {
        assert.match(stackSuffix("volley", "prod", "env"), /^[0-9a-f]{6}$/);
        assert.strictEqual(stackSuffix("volley", "prod", "env"), stackSuffix("volley", "prod", "env"));
        const all = [stackSuffix("volley", "prod", "env"), stackSuffix("volley", "dev", "env"), stackSuffix("other", "prod", "env"), stackSuffix("volley", "prod", "env2")];
        assert.strictEqual(new Set(all).size, 4, "project, stack and component each change it");
    });
    it("keeps every derived name within its GCP limit, for any component name and suffix", () => {
        const components = ["d", "dev", "Prod_EU", "1st", "a-very-long-environment-name-for-production-in-europe-west4-and-more", "x".repeat(100), "--a--"];
        for (const c of components) {
            for (const sfx of ["", "abc123", "abcdef12"]) {
                const n = gcpResourceNames(c, sfx);
                for (const [key, max] of Object.entries(GCP_NAME_LIMITS)) {
                    const v = (n as Record<string, string>)[key];
                    assert.match(v, new RegExp(`^[a-z]([-a-z0-9]{0,${max - 2}}[a-z0-9])?$`), `${key} of ${JSON.stringify(c)} with ${JSON.stringify(sfx)}: ${v}`);
                    if (sfx) assert.ok(v.includes(sfx), `${key} lacks the suffix: ${v}`);
                }
                assert.ok(n.serviceAccountId.length >= SERVICE_ACCOUNT_ID_MIN, n.serviceAccountId);
                assert.strictEqual(nodeServiceAccountId(c, sfx), n.serviceAccountId);
                assert.ok(filestoreInstanceName(c, sfx).length <= GCP_NAME_LIMITS.filestore);
            }
        }
        assert.deepStrictEqual(gcpResourceNames("dev", "abc123"), {
            cluster: "dev-abc123", network: "dev-abc123", subnetwork: "dev-abc123", router: "dev-abc123-router", nat: "dev-abc123-nat",
            firewall: "dev-abc123-gke-webhooks", nodeTag: "dev-abc123-volley-node", serviceAccountId: "dev-abc123-nodes", filestore: "dev-ckpt-abc123",
            nfsLockFirewall: "dev-abc123-filestore-nlm",
        });
        assert.strictEqual(gcpResourceNames("x".repeat(100), "abc123").cluster, `${"x".repeat(33)}-abc123`);
    });
    it("autoscales per zone or in total", () => {
        assert.deepStrictEqual(gkeAutoscaling({ minNodes: 0, maxNodes: 4 }, { min: 1, max: 3 }), { minNodeCount: 0, maxNodeCount: 4, locationPolicy: "BALANCED" });
        assert.deepStrictEqual(gkeAutoscaling({ total: true }, { min: 1, max: 3 }), { totalMinNodeCount: 1, totalMaxNodeCount: 3, locationPolicy: "BALANCED" });
    });
    it("renders the Filestore volume handle and a kubeconfig with gke-gcloud-auth-plugin", () => {
        assert.strictEqual(filestoreVolumeHandle("us-central1-a", "dev-ckpt", "checkpoints"), "modeInstance/us-central1-a/dev-ckpt/checkpoints");
        const kc: any = yaml.load(gkeKubeconfig({ project: "p", location: "us-central1-a", cluster: "dev", endpoint: "1.2.3.4", caCertificate: "Q0E=" }));
        assert.strictEqual(kc["current-context"], "gke_p_us-central1-a_dev");
        assert.strictEqual(kc.clusters[0].cluster.server, "https://1.2.3.4");
        assert.strictEqual(kc.clusters[0].cluster["certificate-authority-data"], "Q0E=");
        assert.strictEqual(kc.users[0].user.exec.command, "gke-gcloud-auth-plugin");
        assert.strictEqual(kc.users[0].user.exec.apiVersion, "client.authentication.k8s.io/v1beta1");
        assert.strictEqual(kc.users[0].user.exec.args, undefined, "gcloud's login by default");
        const adc: any = yaml.load(gkeKubeconfig({ project: "p", location: "us-central1-a", cluster: "dev", endpoint: "1.2.3.4", caCertificate: "Q0E=", applicationDefaultCredentials: true }));
        assert.deepStrictEqual(adc.users[0].user.exec.args, ["--use_application_default_credentials"]);
        assert.strictEqual(adc.users[0].user.exec.command, "gke-gcloud-auth-plugin");
    });
});

type Case = [title: string, input: any, path: string, reason: RegExp];
const GOOD = { project: "my-project", location: "us-central1-a" };
const REGIONAL = { project: "my-project", location: "us-central1" };

const ENV_CASES: Case[] = [
    ["missing project", { location: "us-central1-a" }, "project", /required/],
    ["project ID with capitals", { ...GOOD, project: "My_Project" }, "project", /project ID/],
    ["missing location", { project: "my-project" }, "location", /required/],
    ["location neither zone nor region", { ...GOOD, location: "us-central" }, "location", /zone such as "us-central1-a" or a region/],
    ["node CIDR malformed", { ...GOOD, network: { nodeCidr: "10.0.0/20" } }, "network.nodeCidr", /IPv4 CIDR/],
    ["node CIDR with host bits", { ...GOOD, network: { nodeCidr: "10.0.0.1/20" } }, "network.nodeCidr", /network address/],
    ["pods CIDR overlapping nodes", { ...GOOD, network: { nodeCidr: "10.0.0.0/16", podsCidr: "10.0.128.0/17" } }, "network.podsCidr", /overlaps network.nodeCidr/],
    ["services CIDR overlapping pods", { ...GOOD, network: { servicesCidr: "10.17.0.0/20" } }, "network.servicesCidr", /overlaps network.podsCidr/],
    ["control plane CIDR overlapping nodes", { ...GOOD, network: { nodeCidr: "172.16.0.0/20" } }, "cluster.masterCidr", /overlaps network.nodeCidr/],
    ["control plane CIDR not /28", { ...GOOD, cluster: { masterCidr: "172.16.0.0/24" } }, "cluster.masterCidr", /must be a \/28 range/],
    ["masterCidr with public nodes", { ...GOOD, cluster: { privateNodes: false, masterCidr: "172.16.0.0/28" } }, "cluster.masterCidr", /only with privateNodes/],
    ["Filestore range overlapping nodes", { ...GOOD, checkpoints: { reservedIpRange: "10.0.0.0/29" } }, "checkpoints.reservedIpRange", /overlaps network.nodeCidr/],
    ["authorized network not a CIDR", { ...GOOD, cluster: { authorizedNetworks: [{ cidrBlock: "office" }] } }, "cluster.authorizedNetworks[0].cidrBlock", /IPv4 CIDR/],
    ["unknown release channel", { ...GOOD, cluster: { releaseChannel: "NIGHTLY" } }, "cluster.releaseChannel", /RAPID, REGULAR, STABLE, EXTENDED/],
    ["cluster name too long", { ...GOOD, cluster: { name: "a".repeat(41) } }, "cluster.name", /at most 40 characters/],
    ["privateNodes not plain", { ...GOOD, cluster: { privateNodes: "yes" } }, "cluster.privateNodes", /plain boolean/],
    ["min nodes > max nodes", { ...GOOD, streamNodePool: { autoscaling: { minNodes: 5, maxNodes: 2 } } }, "streamNodePool.autoscaling.minNodes", /<= autoscaling.maxNodes \(2\)/],
    ["a system pool that scales to zero", { ...GOOD, systemNodePool: { autoscaling: { minNodes: 0 } } }, "systemNodePool.autoscaling.minNodes", /at least 1: the operator, KEDA and Prometheus/],
    ["max nodes 0", { ...GOOD, systemNodePool: { autoscaling: { maxNodes: 0 } } }, "systemNodePool.autoscaling.maxNodes", /from 1 to 1000/],
    ["taint effect in GKE spelling", { ...GOOD, streamNodePool: { taints: [{ key: "volley.io/dedicated", value: "true", effect: "NO_SCHEDULE" }] } }, "streamNodePool.taints[0].effect", /NoSchedule, PreferNoSchedule, NoExecute/],
    ["node location outside the region", { ...GOOD, streamNodePool: { nodeLocations: ["europe-west1-b"] } }, "streamNodePool.nodeLocations[0]", /cluster's region us-central1/],
    ["node location given as a region", { ...REGIONAL, systemNodePool: { nodeLocations: ["us-central1"] } }, "systemNodePool.nodeLocations[0]", /must be a zone/],
    ["disk too small", { ...GOOD, streamNodePool: { diskSizeGb: 5 } }, "streamNodePool.diskSizeGb", /from 10 to 65536/],
    ["unknown disk type", { ...GOOD, streamNodePool: { diskType: "ssd" } }, "streamNodePool.diskType", /pd-standard, pd-balanced, pd-ssd/],
    ["bad machine type", { ...GOOD, systemNodePool: { machineType: "large" } }, "systemNodePool.machineType", /machine type such as "e2-standard-4"/],
    ["bad node label key", { ...GOOD, streamNodePool: { nodeLabels: { "a/b/c": "x" } } }, "streamNodePool.nodeLabels.a/b/c", /qualified name/],
    ["GCP label key with capitals", { ...GOOD, labels: { Team: "data" } }, "labels.Team", /lower-case letter/],
    ["GCP label key starting with a digit", { ...GOOD, labels: { "1team": "data" } }, "labels.1team", /GCP label key/],
    ["GCP label key with a dot", { ...GOOD, labels: { "volley.io/env": "dev" } }, "labels.volley.io/env", /GCP label key/],
    ["GCP label value with capitals", { ...GOOD, labels: { team: "Data" } }, "labels.team", /GCP label value/],
    ["GCP label value too long", { ...GOOD, labels: { team: "a".repeat(64) } }, "labels.team", /at most 63/],
    ["unknown Filestore tier", { ...GOOD, checkpoints: { tier: "PREMIUM_PLUS" } }, "checkpoints.tier", /BASIC_HDD, BASIC_SSD, ZONAL, REGIONAL, ENTERPRISE/],
    ["BASIC_SSD below 2560 GiB", { ...GOOD, checkpoints: { tier: "BASIC_SSD", capacityGib: 2048 } }, "checkpoints.capacityGib", /BASIC_SSD capacity must be 2560-65433 GiB/],
    ["ZONAL not in 256 GiB steps", { ...GOOD, checkpoints: { tier: "ZONAL", capacityGib: 1100 } }, "checkpoints.capacityGib", /256 GiB steps/],
    ["ZONAL above 10 TiB not in 2.5 TiB steps", { ...GOOD, checkpoints: { tier: "ZONAL", capacityGib: 12000 } }, "checkpoints.capacityGib", /2560 GiB steps/],
    ["ENTERPRISE above 10 TiB", { ...REGIONAL, checkpoints: { tier: "ENTERPRISE", capacityGib: 20480 } }, "checkpoints.capacityGib", /1024-10240 GiB/],
    ["default tier BASIC_HDD below 1 TiB", { ...GOOD, checkpoints: { capacityGib: 512 } }, "checkpoints.capacityGib", /BASIC_HDD capacity/],
    ["share name longer than 16", { ...GOOD, checkpoints: { shareName: "volley_checkpoints" } }, "checkpoints.shareName", /1-16 letters/],
    ["share name starting with a digit", { ...GOOD, checkpoints: { shareName: "1vol" } }, "checkpoints.shareName", /starting with a letter/],
    ["unknown connect mode", { ...GOOD, checkpoints: { connectMode: "VPC_PEERING" } }, "checkpoints.connectMode", /DIRECT_PEERING, PRIVATE_SERVICE_ACCESS/],
    ["reserved range of the wrong size", { ...GOOD, checkpoints: { reservedIpRange: "10.200.0.0/24" } }, "checkpoints.reservedIpRange", /\/29 range/],
    ["ZONAL tier given a region", { ...GOOD, checkpoints: { tier: "ZONAL", location: "us-central1" } }, "checkpoints.location", /tier ZONAL lives in a zone/],
    ["REGIONAL tier given a zone", { ...GOOD, checkpoints: { tier: "REGIONAL", location: "us-central1-a" } }, "checkpoints.location", /tier REGIONAL lives in a region/],
    ["zonal tier next to a regional cluster without a zone", { ...REGIONAL, checkpoints: { tier: "BASIC_HDD" } }, "checkpoints.location", /required: tier BASIC_HDD lives in a zone .* of us-central1 \(the cluster is regional\)/],
    ["Filestore outside the cluster's region", { ...GOOD, checkpoints: { location: "europe-west1-b" } }, "checkpoints.location", /cluster's region us-central1/],
    ["CMEK on a basic tier", { ...GOOD, checkpoints: { kmsKeyName: "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k" } }, "checkpoints.kmsKeyName", /need tier ZONAL, REGIONAL or ENTERPRISE/],
    ["malformed KMS key", { ...GOOD, checkpoints: { tier: "ZONAL", kmsKeyName: "my-key" } }, "checkpoints.kmsKeyName", /projects\/P\/locations/],
    ["Filestore directory uid negative", { ...GOOD, checkpoints: { uid: -5 } }, "checkpoints.uid", /integer from 0 to 2147483647/],
    ["Filestore directory image empty", { ...GOOD, checkpoints: { directoryImage: "" } }, "checkpoints.directoryImage", /image reference/],
    ["adopted Filestore without a name", { ...GOOD, checkpoints: { existingInstance: {} } }, "checkpoints.existingInstance.name", /required/],
    ["adopted Filestore outside the cluster's region", { ...GOOD, checkpoints: { existingInstance: { name: "dev-ckpt", location: "europe-west4-a" } } }, "checkpoints.existingInstance.location", /cluster's region us-central1/],
    ["adopted Filestore with a tier", { ...GOOD, checkpoints: { existingInstance: { name: "dev-ckpt" }, tier: "ZONAL" } }, "checkpoints.tier", /omitted with existingInstance/],
    ["adopted network name with capitals", { ...GOOD, network: { existingNetworkName: "Dev" } }, "network.existingNetworkName", /lower-case letters/],
    ["adopted network name not known at preview", { ...GOOD, network: { existingNetworkName: UNKNOWN } }, "network.existingNetworkName", /known at preview/],
    ["bad default claim size", { ...GOOD, checkpoints: { defaultClaimSize: "50 GB" } }, "checkpoints.defaultClaimSize", /quantity/],
    ["existing network without subnetwork", { ...GOOD, existingNetwork: { network: "shared" } }, "existingNetwork.subnetwork", /required/],
    ["network ranges with an existing network", { ...GOOD, existingNetwork: { network: "n", subnetwork: "s" }, network: { nodeCidr: "10.0.0.0/20" } }, "network", /omitted with existingNetwork/],
    ["existing cluster with an existing network", { ...GOOD, existingCluster: { name: "c" }, existingNetwork: { network: "n", subnetwork: "s" } }, "existingNetwork", /omitted with existingCluster/],
    ["existing cluster without a name", { ...GOOD, existingCluster: {} }, "existingCluster.name", /required/],
    ["KEDA version range", { ...GOOD, keda: { version: "^2.18" } }, "keda.version", /exact chart version/],
    // G2: https://cloud.google.com/filestore/docs/creating-instances: zonal and regional quota starts at 0.
    ["regional cluster without a Filestore tier", REGIONAL, "checkpoints.tier", /required next to a regional cluster \(us-central1\): ZONAL and REGIONAL Filestore quota starts at 0 in a new project/],
    // G6: https://cloud.google.com/filestore/docs/network-ip-requirements: basic tiers serve no client in 172.17.0.0/16.
    ["nodes in 172.17.0.0/16 with a basic tier", { ...GOOD, network: { nodeCidr: "172.17.0.0/20" } }, "network.nodeCidr", /overlaps 172\.17\.0\.0\/16, whose clients Filestore's BASIC_HDD tier cannot serve/],
    ["nodes in 172.17.0.0/16 with BASIC_SSD", { ...GOOD, network: { nodeCidr: "172.16.0.0/15" }, checkpoints: { tier: "BASIC_SSD", capacityGib: 2560 } }, "network.nodeCidr", /BASIC_SSD tier cannot serve/],
    // G7: https://cloud.google.com/filestore/docs/service-tiers: "Enterprise 1 TiB to 10 TiB Up or down in 256 GiB units".
    ["ENTERPRISE capacity off its 256 GiB step", { ...REGIONAL, checkpoints: { tier: "ENTERPRISE", capacityGib: 1500 } }, "checkpoints.capacityGib", /ENTERPRISE capacity must be 1024-10240 GiB in 256 GiB steps; got 1500/],
    ["allowed ranges not CIDRs", { ...GOOD, checkpoints: { allowedIpRanges: ["10.0.0.0/33"] } }, "checkpoints.allowedIpRanges[0]", /IPv4 CIDR/],
    ["nameSuffix with capitals", { ...GOOD, nameSuffix: "EU" }, "nameSuffix", /at most 8 lower-case letters and digits/],
    ["nameSuffix too long", { ...GOOD, nameSuffix: "abcdefghi" }, "nameSuffix", /at most 8/],
    ["nameSuffix not known at preview", { ...GOOD, nameSuffix: UNKNOWN }, "nameSuffix", /not known at preview/],
    ["enableApis not plain", { ...GOOD, enableApis: "no" }, "enableApis", /plain boolean/],
    ["kubeconfigUseApplicationDefaultCredentials not a boolean", { ...GOOD, kubeconfigUseApplicationDefaultCredentials: "adc" }, "kubeconfigUseApplicationDefaultCredentials", /must be a boolean/],
    ["deleteUnreachable not a boolean", { ...GOOD, deleteUnreachable: "yes" }, "deleteUnreachable", /must be a boolean/],
    ["operator replicas 0", { ...GOOD, operator: { replicas: 0 } }, "operator.replicas", /from 1 to 5/],
];

describe("validateGcpEnvironment", () => {
    it("accepts the defaults, zonal and regional", () => {
        assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...(GOOD) }), []);
        assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...REGIONAL, checkpoints: { tier: "REGIONAL" } }) }), []);
        assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...REGIONAL, checkpoints: { tier: "BASIC_HDD", location: "us-central1-b" } }) }), []);
    });
    it("accepts a full configuration", () => {
        assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({
            ...REGIONAL, labels: { team: "data", "cost-center": "42" },
            network: { nodeCidr: "10.10.0.0/20", podsCidr: "10.64.0.0/14", servicesCidr: "10.10.16.0/20" },
            cluster: { name: "prod", releaseChannel: "STABLE", masterCidr: "172.16.8.0/28", authorizedNetworks: [{ cidrBlock: "203.0.113.0/24" }] },
            streamNodePool: { machineType: "n2-highmem-8", spot: true, nodeLocations: ["us-central1-b", "us-central1-c"], autoscaling: { minNodes: 0, maxNodes: 20, total: true } },
            checkpoints: { tier: "ZONAL", location: "us-central1-b", capacityGib: 10240, shareName: "vol1", reservedIpRange: "10.200.0.0/26", kmsKeyName: "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k" },
        }) }), []);
    });
    it("G4: accepts REGIONAL Filestore on any GKE version (mounts use the kernel NFS client, not the CSI driver)", () => {
        for (const v of ["1.32", "1.33.3", "1.33.4-gke.1000", "1.33.4-gke.1172000", "1.33", "1.34", "latest"]) {
            assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...REGIONAL, cluster: { kubernetesVersion: v }, checkpoints: { tier: "REGIONAL" } }) }), [], v);
        }
        assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...GOOD, cluster: { kubernetesVersion: "1.32" }, checkpoints: { tier: "REGIONAL", location: "us-central1" } }) }), []);
        assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...GOOD, cluster: { kubernetesVersion: "1.31" } }) }), []);
        assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...REGIONAL, cluster: { kubernetesVersion: "1.31" }, checkpoints: { tier: "ENTERPRISE" } }) }), []);
        assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...REGIONAL, cluster: { kubernetesVersion: "1.31" }, checkpoints: { enabled: false } }) }), []);
    });
    it("compares GKE versions over the parts given", () => {
        const table: [string, boolean][] = [
            ["1.32", true], ["1.32.9-gke.999999999", true], ["1.33.3", true], ["1.33.4", false], ["1.33.4-gke.1171999", true],
            ["1.33.4-gke.1172000", false], ["1.33", false], ["1.34.0", false], ["2.0", false], ["latest", false],
        ];
        for (const [v, below] of table) assert.strictEqual(gkeVersionBelow(v, "1.33.4-gke.1172000"), below, v);
    });
    it("accepts adopting a retained network and Filestore instance", () => {
        assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...GOOD, network: { existingNetworkName: "dev-45ccb0" }, checkpoints: { existingInstance: { name: "dev-ckpt-45ccb0" }, uid: 1000 } }) }), []);
        assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...REGIONAL, cluster: { kubernetesVersion: "1.31" }, checkpoints: { existingInstance: { name: "x-ckpt", location: "us-central1" } } }) }), []);
    });
    it("accepts existing networks and clusters", () => {
        assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...GOOD, existingNetwork: { network: "shared", subnetwork: "gke", podsRangeName: "p" } }) }), []);
        assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ ...GOOD, existingCluster: { name: "prod", systemNodePoolName: "default-pool" } }) }), []);
    });
    it("skips values not known yet (preview)", () => {
        assert.deepStrictEqual(validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...({ project: UNKNOWN, location: UNKNOWN, network: { nodeCidr: UNKNOWN }, checkpoints: { capacityGib: UNKNOWN, tier: UNKNOWN } }) }), []);
    });
    for (const [title, input, path, reason] of ENV_CASES) {
        it(`rejects ${title}`, () => {
            const issues = validateGcpEnvironment({ operator: { image: "registry.example.com/volley-k8s-operator:0.1.0" }, ...(input) });
            const hit = issues.find((i) => i.propertyPath === path);
            assert.ok(hit, `expected an issue at ${path}, got ${JSON.stringify(issues)}`);
            assert.match(hit!.reason, reason);
        });
    }
    it("has at least 20 distinct rejected cases", () => {
        assert.ok(new Set(ENV_CASES.map((c) => c[0])).size >= 20);
    });
});

describe("validateGcpNodePool and validateFilestoreCheckpointStore", () => {
    it("GcpNodePool: accepts a minimal pool, rejects a missing cluster and a misspelled taint", () => {
        assert.deepStrictEqual(validateGcpNodePool({ cluster: "dev", location: "us-central1-a" }), []);
        assert.deepStrictEqual(validateGcpNodePool({ location: "us-central1-a", taints: [{ key: "k", effect: "NoSchedul" }] }).map((i) => i.propertyPath),
            ["cluster", "taints[0].effect"]);
    });
    it("FilestoreCheckpointStore: location required and checked against the tier", () => {
        assert.deepStrictEqual(validateFilestoreCheckpointStore({ project: "my-project", network: "n", location: "us-central1-a" }), []);
        assert.deepStrictEqual(validateFilestoreCheckpointStore({ project: "my-project", network: "n", location: "us-central1", tier: "ZONAL" }).map((i) => i.propertyPath), ["location"]);
        assert.deepStrictEqual(validateFilestoreCheckpointStore({ project: "my-project", location: "us-central1-a", labels: { A: "b" } }).map((i) => i.propertyPath), ["network", "labels.A"]);
    });
});
