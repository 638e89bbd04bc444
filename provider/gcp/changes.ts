// What a change of each GcpEnvironment input does (README "GCP: what a change
// does"; tests/unit/gcpChanges.test.ts walks every row under mocks).
import { ChangeEffect as E, ChangeRow, NETPOL_CONCEPTS, NETPOL_UPDATE, NETWORK_POLICY, NETWORK_POLICY_FORCE_NEW } from "../core/changes";

const TPG_NODE_CONFIG = "terraform-provider-google google/services/container/node_config.go (ForceNew)";
const FILESTORE_YAML = "magic-modules mmv1/products/filestore/Instance.yaml (immutable fields)";

/** Provider properties whose change replaces a resource, per Pulumi type (the rows' effects follow from them). */
export const GCP_FORCE_NEW: Record<string, { fields: string[]; source: string }> = {
    "gcp:container/nodePool:NodePool": { fields: ["name", "nodeConfig.spot", "nodeConfig.serviceAccount", "nodeConfig.oauthScopes", "nodeConfig.shieldedInstanceConfig"], source: TPG_NODE_CONFIG },
    "gcp:filestore/instance:Instance": { fields: ["name", "tier", "location", "networks", "kmsKeyName", "fileShares.name"], source: FILESTORE_YAML },
    "gcp:container/cluster:Cluster": { fields: ["name", "location", "network", "subnetwork"], source: "terraform-provider-google resource_container_cluster.go (ForceNew)" },
    "gcp:compute/network:Network": { fields: ["name"], source: "terraform-provider-google compute network (name ForceNew)" },
    [NETWORK_POLICY]: NETWORK_POLICY_FORCE_NEW,
};

export const GCP_CHANGES: ChangeRow[] = [
    { input: "streamNodePool.spot", change: "false -> true", effect: E.NewFirst, resource: "gcp:container/nodePool:NodePool", child: "-stream-pool", properties: ["nodeConfig.spot", "name"],
        note: "the derived pool name carries the field, so the new pool is created before the old one goes", source: `${TPG_NODE_CONFIG}: spot; pulumi/pulumi#1620` },
    { input: "streamNodePool.poolName", change: "pinned name, then spot", effect: E.DeletedFirst, resource: "gcp:container/nodePool:NodePool", child: "-stream-pool", properties: ["nodeConfig.spot"],
        note: "a pinned name cannot exist twice: the pool is deleted first (capacity gap); leave poolName unset to avoid it", source: `${TPG_NODE_CONFIG}: spot; pulumi/pulumi#1620` },
    { input: "streamNodePool.taints", change: "add a taint", effect: E.InPlace, resource: "gcp:container/nodePool:NodePool", child: "-stream-pool", properties: ["nodeConfig.taints"],
        note: "taints update in place; no new pool", source: "terraform-provider-google node_config.go (taint has no ForceNew); k8s-config-connector PR #2485" },
    { input: "streamNodePool.autoscaling", change: "maxNodes 10 -> 20", effect: E.InPlace, resource: "gcp:container/nodePool:NodePool", child: "-stream-pool", properties: ["autoscaling"],
        note: "GKE owns the node count; bounds update in place", source: "GKE nodePools.setAutoscaling" },
    { input: "systemNodePool.spot", change: "false -> true", effect: E.NewFirst, resource: "gcp:container/nodePool:NodePool", child: "-system-pool", properties: ["nodeConfig.spot", "name"],
        note: "as for the stream pool: the platform moves to the new pool before the old one goes", source: `${TPG_NODE_CONFIG}: spot` },
    { input: "checkpoints.capacityGib", change: "1024 -> 2048", effect: E.InPlace, resource: "gcp:filestore/instance:Instance", properties: ["fileShares.capacityGb"],
        note: "basic tiers only grow", source: `${FILESTORE_YAML}: capacityGb is not immutable; https://cloud.google.com/filestore/docs/service-tiers` },
    { input: "checkpoints.tier", change: "BASIC_HDD -> ZONAL", effect: E.Kept, resource: "gcp:filestore/instance:Instance", properties: ["tier"],
        note: "the tier is the instance's: a new tier needs a new instance (a new environment, or instanceName with a copy)", source: `${FILESTORE_YAML}: tier` },
    { input: "checkpoints.instanceName", change: "rename", effect: E.Kept, resource: "gcp:filestore/instance:Instance", properties: ["name"],
        note: "renaming would replace the instance and its checkpoints", source: `${FILESTORE_YAML}: name` },
    { input: "checkpoints.kmsKeyName", change: "add or change the key", effect: E.Kept, resource: "gcp:filestore/instance:Instance", properties: ["kmsKeyName"],
        note: "the key is the instance's (set at creation): a change would replace the instance and its checkpoints, so it keeps its key (preview warns); a new key needs a new instance", source: `${FILESTORE_YAML}: kmsKeyName` },
    { input: "checkpoints.location", change: "another zone", effect: E.Kept, resource: "gcp:filestore/instance:Instance", properties: ["location"],
        note: "an instance cannot move: it stays where it was created (preview warns)", source: `${FILESTORE_YAML}: location` },
    { input: "checkpoints.allowedIpRanges", change: "add a range", effect: E.InPlace, resource: "gcp:filestore/instance:Instance", properties: ["fileShares.nfsExportOptions"],
        note: "export options update in place", source: `${FILESTORE_YAML}: nfsExportOptions is not immutable` },
    { input: "checkpoints.enabled", change: "true -> false", effect: E.Forgotten, resource: "gcp:filestore/instance:Instance",
        note: "the instance is retained (retainOnDelete) with its checkpoints; adopt it again with checkpoints.existingInstance", source: "Pulumi retainOnDelete; README GCP notes" },
    { input: "cluster.kubernetesVersion", change: "raise the minimum", effect: E.InPlace, resource: "gcp:container/cluster:Cluster", properties: ["minMasterVersion"],
        note: "the release channel upgrades the nodes after the control plane", source: "terraform-provider-google container_cluster min_master_version (updatable)" },
    { input: "nameSuffix", change: "stack or project renamed (suffix not pinned)", effect: E.DataAtRisk, resource: "gcp:compute/network:Network", properties: ["name"],
        note: "every derived name changes: a new network and cluster; the instance keeps its name but stays peered with the old (retained) network, out of the new cluster's reach. Pin nameSuffix to the nameSuffix output", source: "pulumi stack rename; second review G11" },
    { input: "networkPolicies.enabled", change: "false -> true", effect: E.InPlace, resource: NETWORK_POLICY,
        note: "creates the platform's NetworkPolicies (default-deny ingress in the operator, KEDA and monitoring namespaces with the allows they need, and allow-grafana-users with grafanaFrom); true -> false deletes them. No data is involved and nothing else changes. GKE enforces them only with network policy enforcement or GKE Dataplane V2, which the package's cluster does not turn on: preview warns, and the package never changes the cluster's network settings (Dataplane V2 is chosen at creation; turning enforcement on recreates the node pools)",
        source: `${NETPOL_CONCEPTS}; https://cloud.google.com/kubernetes-engine/docs/how-to/network-policy (enforcement is a cluster setting, built in with Dataplane V2)` },
    { input: "networkPolicies.grafanaFrom", change: "add a namespace", effect: E.InPlace, resource: NETWORK_POLICY, child: "-netpol-monitoring-allow-grafana-users", properties: ["spec.ingress"],
        note: "updates the allow-grafana-users policy in place; the first namespace creates it and an empty list deletes it. Nothing else changes", source: NETPOL_UPDATE },
];
