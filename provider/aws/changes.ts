// What a change of each AwsEnvironment input does (README "What a change does
// (AWS)"; tests/unit/awsDay2.test.ts plays every row under mocks), in the
// shape every cloud's table has (core/changes.ts). The same settings on
// AwsNodePool and EfsCheckpointStore behave the same.
import { ChangeEffect as E, ChangeRow, NETPOL_CONCEPTS, NETPOL_UPDATE, NETWORK_POLICY, NETWORK_POLICY_FORCE_NEW } from "../core/changes";

/** How the package makes a row's effect what the row says. */
export type ChangeGuard =
    /** Nothing needed: the provider does it. */
    | "none"
    /** `protect: true`: a replacement or deletion is an error at preview. */
    | "protect"
    /** `replaceOnChanges`: the provider would silently skip the change; the preview shows the replacement. */
    | "replaceOnChanges"
    /** `retainOnDelete`: the resource stays in AWS when it leaves the program. */
    | "retainOnDelete";

export interface AwsChangeRow extends ChangeRow {
    guard: ChangeGuard;
}

const TF_EKS = "terraform-provider-aws internal/service/eks";
const TF_EFS = "terraform-provider-aws internal/service/efs/file_system.go";
const ADDONS_DOC = "EKS User Guide eks-add-ons.adoc (Update an add-on)";

/** Provider properties whose change replaces a resource, per Pulumi type (the rows' effects follow from them). */
export const AWS_FORCE_NEW: Record<string, { fields: string[]; source: string }> = {
    "aws:eks/cluster:Cluster": {
        fields: ["name", "roleArn", "encryptionConfig", "accessConfig.bootstrapClusterCreatorAdminPermissions", "bootstrapSelfManagedAddons"],
        source: `${TF_EKS}/cluster.go (ForceNew); encryptionConfig through the package's replaceOnChanges`,
    },
    "aws:eks/nodeGroup:NodeGroup": {
        fields: ["clusterName", "nodeGroupName", "nodeGroupNamePrefix", "nodeRoleArn", "subnetIds", "instanceTypes", "capacityType", "amiType", "diskSize", "remoteAccess"],
        source: `${TF_EKS}/node_group.go (ForceNew)`,
    },
    "aws:eks/addon:Addon": { fields: ["clusterName", "addonName"], source: `${TF_EKS}/addon.go (ForceNew)` },
    "aws:efs/fileSystem:FileSystem": { fields: ["performanceMode", "kmsKeyId", "encrypted", "creationToken", "availabilityZoneName"], source: `${TF_EFS} (ForceNew)` },
    "kubernetes:storage.k8s.io/v1:StorageClass": {
        fields: ["parameters", "provisioner", "reclaimPolicy", "volumeBindingMode"],
        source: "Kubernetes API validation: StorageClass parameters, provisioner, reclaimPolicy and volumeBindingMode are immutable",
    },
    [NETWORK_POLICY]: NETWORK_POLICY_FORCE_NEW,
};

const CLUSTER = "aws:eks/cluster:Cluster";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const FS = "aws:efs/fileSystem:FileSystem";
const SC_T = "kubernetes:storage.k8s.io/v1:StorageClass";
const ADDON = "aws:eks/addon:Addon";
const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";
const KARPENTER_DOCS = "Karpenter v1.14 docs concepts";

export const AWS_CHANGES: AwsChangeRow[] = [
    {
        input: "cluster.version", change: "1.35 -> 1.36", effect: E.InPlace, resource: CLUSTER, properties: ["version"], guard: "none",
        note: "Upgrades the control plane (one minor version per `up`), then the node groups, node by node, then the add-ons (`addonVersions`), each in place.",
        source: "EKS update-cluster.adoc (\"you can update only one minor version at a time\"; control plane, nodes, then add-ons); cluster.go: version is not ForceNew",
    },
    {
        input: "cluster.addonVersions", change: "pin kube-proxy", effect: E.InPlace, resource: ADDON, properties: ["addonVersion"], guard: "none",
        note: "Updates the add-on in place, as a version bump does for every add-on that follows `version`; settings changed on the cluster are kept (`PRESERVE`).",
        source: `${TF_EKS}/addon.go: addon_version not ForceNew (UpdateAddon); ${ADDONS_DOC}`,
    },
    {
        input: "cluster.metricsServer", change: "true <-> false", effect: E.InPlace, resource: ADDON, child: "-metrics-server", guard: "none",
        note: "`false` deletes the metrics-server add-on and EKS removes its software (it is not preserved, unlike vpc-cni, kube-proxy and CoreDNS): `cpu` and `memory` triggers stop scaling and applications with them get a preview warning, unless you run your own metrics server. `true` creates it again, at EKS's default version for `version` (or `addonVersions.metricsServer`). It holds no data; nothing else changes.",
        source: `${TF_EKS}/addon.go: preserve unset, so DeleteAddon removes the software (EKS API DeleteAddon, preserve); EKS User Guide metrics-server.adoc (not deployed by default; a community add-on)`,
    },
    {
        input: "cluster.name", change: "pin the name", effect: E.DeletedFirst, resource: CLUSTER, properties: ["name"], guard: "none",
        note: "Replaces the cluster, deleted first (a fixed name): every Kubernetes object is re-created; checkpoints stay on EFS and claims find them again.",
        source: `${TF_EKS}/cluster.go: name ForceNew; pulumi-terraform-bridge nameRequiresDeleteBeforeReplace`,
    },
    {
        input: "cluster.secretsKmsKeyArn", change: "set or change the key", effect: E.DeletedFirst, resource: CLUSTER, properties: ["encryptionConfig"], guard: "replaceOnChanges",
        note: "Shown at preview as a replacement of the cluster, deleted first (EKS cannot change a secrets key; the provider would skip it silently). The package's own key is retained, never scheduled for deletion.",
        source: `${TF_EKS}/cluster.go: AssociateEncryptionConfig only when no encryption was set; kms/latest/cryptographic-details/key-deletion.html`,
    },
    {
        input: "cluster.deployerRoleArn", change: "set a role", effect: E.InPlace, resource: "aws:eks/accessEntry:AccessEntry", guard: "none",
        note: "Adds or removes the deployer's access entry; the cluster is untouched.",
        source: `${TF_EKS}/cluster.go: bootstrap_cluster_creator_admin_permissions ForceNew (kept constant); EKS access-entries.adoc`,
    },
    {
        input: "cluster.publicAccessCidrs", change: "other networks", effect: E.InPlace, resource: CLUSTER, properties: ["vpcConfig.publicAccessCidrs"], guard: "none",
        note: "Updates the endpoint's allowed networks (UpdateClusterConfig).",
        source: `${TF_EKS}/cluster.go: vpc_config.public_access_cidrs not ForceNew (UpdateClusterConfig)`,
    },
    {
        input: "cluster.endpointPublicAccess", change: "true -> false", effect: E.InPlace, resource: CLUSTER, properties: ["vpcConfig.endpointPublicAccess"], guard: "none",
        note: "Closes the public endpoint in place (a preview warning says so): Pulumi, kubectl and the environment's kubeconfig must then reach the API from inside the VPC; set `publicAccessCidrs` to none with it.",
        source: `${TF_EKS}/cluster.go: vpc_config endpoint_public_access not ForceNew (UpdateClusterConfig); EKS cluster-endpoint.adoc`,
    },
    {
        input: "cluster.endpointPrivateAccess", change: "true -> false", effect: E.InPlace, resource: CLUSTER, properties: ["vpcConfig.endpointPrivateAccess"], guard: "none",
        note: "Closes the endpoint inside the VPC in place: nodes then reach the API through the public endpoint, so `publicAccessCidrs` must include the VPC's egress (NAT) addresses or nodes cannot join.",
        source: `${TF_EKS}/cluster.go: vpc_config endpoint_private_access not ForceNew (UpdateClusterConfig); EKS cluster-endpoint.adoc ("your public access endpoint CIDR sources must include the egress sources from your VPC")`,
    },
    {
        input: "cluster.logTypes", change: "fewer log types", effect: E.InPlace, resource: CLUSTER, properties: ["enabledClusterLogTypes"], guard: "none",
        note: "Turns control-plane log types on or off.",
        source: `${TF_EKS}/cluster.go: enabled_cluster_log_types not ForceNew`,
    },
    {
        input: "cluster.logRetentionDays", change: "30 -> 7", effect: E.InPlace, resource: "aws:cloudwatch/logGroup:LogGroup", properties: ["retentionInDays"], guard: "none",
        note: "Changes how long CloudWatch keeps control-plane logs.",
        source: "terraform-provider-aws cloudwatch log_group.go: retention_in_days not ForceNew",
    },
    {
        input: "cluster.supportType", change: "STANDARD -> EXTENDED", effect: E.InPlace, resource: CLUSTER, properties: ["upgradePolicy"], guard: "none",
        note: "Switches between automatic upgrade (STANDARD) and paid extended support (EXTENDED). Unset, it is EXTENDED for a version already in extended support; STANDARD with such a version is refused at preview (AWS cannot disable extended support once a cluster is in it).",
        source: `${TF_EKS}/cluster.go: upgrade_policy not ForceNew (UpdateClusterConfig); EKS disable-extended-support.html ("You cannot disable extended support once your cluster has entered it")`,
    },
    {
        input: "streamNodePool.instanceTypes", change: "another type (node group)", effect: E.NewFirst, resource: NODE_GROUP, child: "-stream", properties: ["instanceTypes"], guard: "none",
        note: "Replaces the node group (a new one first, then the old one drains): running pipelines restart on new nodes.",
        source: `${TF_EKS}/node_group.go: instance_types ForceNew`,
    },
    {
        input: "streamNodePool.capacityType", change: "ON_DEMAND -> SPOT (node group)", effect: E.NewFirst, resource: NODE_GROUP, child: "-stream", properties: ["capacityType"], guard: "none",
        note: "Replaces the node group (new one first).",
        source: `${TF_EKS}/node_group.go: capacity_type ForceNew`,
    },
    {
        input: "streamNodePool.amiType", change: "AL2023 -> Bottlerocket (node group)", effect: E.NewFirst, resource: NODE_GROUP, child: "-stream", properties: ["amiType"], guard: "none",
        note: "Replaces the node group (new one first); the launch template's data device follows the AMI.",
        source: `${TF_EKS}/node_group.go: ami_type ForceNew`,
    },
    {
        input: "streamNodePool.diskSize", change: "larger disks (node group)", effect: E.NodesRecycled, resource: TEMPLATE, child: "-stream-nodes", properties: ["blockDeviceMappings"], guard: "none",
        note: "A new launch-template version: EKS recycles every node of the group.",
        source: "EKS launch-templates.adoc: \"When you update your node group to a different version of your launch template, all nodes in the group are recycled\"",
    },
    {
        input: "streamNodePool.maxSize", change: "4 -> 8 (node group)", effect: E.InPlace, resource: NODE_GROUP, child: "-stream", properties: ["scalingConfig"], guard: "none",
        note: "Resizes the group's bounds (desiredSize is left to the autoscaler when `desiredSizeOwner` is `autoscaler`).",
        source: `${TF_EKS}/node_group.go: scaling_config not ForceNew (UpdateNodegroupConfig)`,
    },
    {
        input: "systemNodePool.instanceTypes", change: "another type", effect: E.NewFirst, resource: NODE_GROUP, child: "-system", properties: ["instanceTypes"], guard: "none",
        note: "Replaces the system node group (a new one first, then the old one drains): the operator, KEDA, Prometheus and the CSI controllers move to the new nodes; pipelines keep running.",
        source: `${TF_EKS}/node_group.go: instance_types ForceNew`,
    },
    {
        input: "systemNodePool.capacityType", change: "ON_DEMAND -> SPOT", effect: E.NewFirst, resource: NODE_GROUP, child: "-system", properties: ["capacityType"], guard: "none",
        note: "Replaces the system node group (new one first).",
        source: `${TF_EKS}/node_group.go: capacity_type ForceNew`,
    },
    {
        input: "systemNodePool.amiType", change: "AL2023 -> Bottlerocket", effect: E.NewFirst, resource: NODE_GROUP, child: "-system", properties: ["amiType"], guard: "none",
        note: "Replaces the system node group (new one first); the launch template's data device follows the AMI.",
        source: `${TF_EKS}/node_group.go: ami_type ForceNew`,
    },
    {
        input: "systemNodePool.diskSize", change: "larger disks", effect: E.NodesRecycled, resource: TEMPLATE, child: "-system-nodes", properties: ["blockDeviceMappings"], guard: "none",
        note: "A new launch-template version: EKS recycles every system node.",
        source: "EKS launch-templates.adoc: \"When you update your node group to a different version of your launch template, all nodes in the group are recycled\"",
    },
    {
        input: "systemNodePool.maxSize", change: "4 -> 6", effect: E.InPlace, resource: NODE_GROUP, child: "-system", properties: ["scalingConfig"], guard: "none",
        note: "Resizes the group's bounds in place.",
        source: `${TF_EKS}/node_group.go: scaling_config not ForceNew (UpdateNodegroupConfig)`,
    },
    {
        input: "streamNodePool.provisioner", change: "nodeGroup <-> karpenter", effect: E.NewFirst, resource: NODE_POOL, child: "-stream-nodepool", guard: "none",
        note: "`nodeGroup` to `karpenter`: installs Karpenter (its charts, IAM roles, interruption queue and rules, EC2NodeClass, NodePool) and deletes the stream node group and its launch template; pipelines restart on Karpenter nodes from their checkpoints. Back to `nodeGroup`: the node group comes first, then the NodePool goes (Karpenter drains and terminates its nodes) and Karpenter with it. EFS, its claims and checkpoints are untouched either way; the file-system policy gains or loses the Karpenter nodes' role.",
        source: `${KARPENTER_DOCS}/disruption.md (a deleted NodePool's nodes are drained and terminated); EKS delete-managed-node-group.adoc (the node group's nodes are drained)`,
    },
    {
        input: "streamNodePool.maxSize", change: "4 -> 8 (Karpenter)", effect: E.InPlace, resource: NODE_POOL, child: "-stream-nodepool", properties: ["spec.limits"], guard: "none",
        note: "Updates the NodePool's limits (`nodes`, and `cpu`/`memory` of that many of the largest instance type); running nodes stay.",
        source: `${KARPENTER_DOCS}/nodepools.md spec.limits; limits are not among the drifted fields (concepts/disruption.md, Drift)`,
    },
    {
        input: "streamNodePool.instanceTypes", change: "another type (Karpenter)", effect: E.NodesRecycled, resource: NODE_POOL, child: "-stream-nodepool", properties: ["spec.template.spec.requirements"], guard: "none",
        note: "Updates the NodePool's requirements in place; nodes whose type is no longer allowed drift, and Karpenter replaces them within the disruption budgets (10% at a time by default): their pipelines restart from checkpoints.",
        source: `${KARPENTER_DOCS}/disruption.md, Drift: NodePool spec.template.spec.requirements`,
    },
    {
        input: "streamNodePool.karpenter.nodePool.consolidationPolicy", change: "WhenEmpty -> WhenEmptyOrUnderutilized", effect: E.InPlace, resource: NODE_POOL, child: "-stream-nodepool", properties: ["spec.disruption.consolidationPolicy"], guard: "none",
        note: "Changes which nodes Karpenter may consolidate; no node is replaced for the change itself (`WhenEmptyOrUnderutilized` then evicts pipelines to pack pods tighter).",
        source: `${KARPENTER_DOCS}/disruption.md (Consolidation; disruption settings are not drifted fields)`,
    },
    {
        input: "tags", change: "add a tag", effect: E.NodesRecycled, resource: TEMPLATE, properties: ["tagSpecifications"], guard: "none",
        note: "Re-tags resources in place, and makes new launch-template versions: EKS recycles every node of both groups.",
        source: "EKS launch-templates.adoc (all nodes recycled on a new template version)",
    },
    {
        input: "nodeRoleArn", change: "own role", effect: E.NewFirst, resource: NODE_GROUP, properties: ["nodeRoleArn"], guard: "none",
        note: "Replaces both node groups (new ones first) and updates the file-system policy to the new role.",
        source: `${TF_EKS}/node_group.go: node_role_arn ForceNew`,
    },
    {
        input: "efs.performanceMode", change: "generalPurpose -> maxIO", effect: E.Refused, resource: FS, properties: ["performanceMode"], guard: "protect",
        note: "The retained file system is protected: the replacement this needs fails at preview, so checkpoints are never orphaned (with `retainOnDelete: false` it replaces the file system and its checkpoints).",
        source: `${TF_EFS}: performance_mode ForceNew`,
    },
    {
        input: "efs.kmsKeyArn", change: "set or change the key", effect: E.Refused, resource: FS, properties: ["kmsKeyId"], guard: "protect",
        note: "As performanceMode: the protected file system cannot be replaced.",
        source: `${TF_EFS}: kms_key_id ForceNew`,
    },
    {
        input: "efs.throughputMode", change: "elastic -> bursting", effect: E.InPlace, resource: FS, properties: ["throughputMode"], guard: "none",
        note: "Updates throughput (AWS allows one decrease of provisioned throughput or mode change per 24 hours).",
        source: `${TF_EFS}: throughput_mode not ForceNew (UpdateFileSystem)`,
    },
    {
        input: "efs.transitionToIa", change: "30 -> 7 days", effect: E.InPlace, resource: FS, properties: ["lifecyclePolicies"], guard: "none",
        note: "Updates the lifecycle policy.",
        source: `${TF_EFS}: lifecycle_policy not ForceNew`,
    },
    {
        input: "efs.backups", change: "true -> false", effect: E.InPlace, resource: "aws:efs/backupPolicy:BackupPolicy", properties: ["backupPolicy"], guard: "none",
        note: "Turns daily AWS Backup on or off.",
        source: "terraform-provider-aws internal/service/efs/backup_policy.go: backup_policy not ForceNew",
    },
    {
        input: "efs.basePath", change: "another path", effect: E.DeletedFirst, resource: "kubernetes:storage.k8s.io/v1:StorageClass", properties: ["parameters"], guard: "none",
        note: "Replaces the StorageClass, deleted first (its name is fixed and its parameters immutable); existing claims keep their volumes, claims created afterwards get directories under the new path and do not see checkpoints under the old one.",
        source: "Kubernetes API validation: StorageClass parameters are immutable (\"updates to parameters are forbidden\"); pulumi-kubernetes deletes a named object before re-creating it",
    },
    {
        input: "efs.uid", change: "1000 -> 2000", effect: E.DeletedFirst, resource: SC_T, properties: ["parameters"], guard: "none",
        note: "Replaces the StorageClass, deleted first (fixed name, immutable parameters); existing claims keep their access points. Access points made afterwards use the new uid, but a directory that exists keeps its owner (EFS applies an access point's creation info only to a directory it creates): a re-created claim then finds its directory owned by the old uid (700) and cannot write until it is chowned.",
        source: "Kubernetes API validation: StorageClass parameters are immutable; efs/latest/ug/efs-access-points.html (root directory creation info only when the directory does not exist)",
    },
    {
        input: "efs.gid", change: "1000 -> 2000", effect: E.DeletedFirst, resource: SC_T, properties: ["parameters"], guard: "none",
        note: "As `efs.uid`, for the group.",
        source: "Kubernetes API validation: StorageClass parameters are immutable; efs/latest/ug/efs-access-points.html",
    },
    {
        input: "efs.podIdentityAgentVersion", change: "pin a version", effect: E.InPlace, resource: ADDON, child: "-efs-pod-identity-agent", properties: ["addonVersion"], guard: "none",
        note: "Updates the agent in place (settings changed on the cluster are kept, `PRESERVE`); unset, it follows the cluster's version.",
        source: `${TF_EKS}/addon.go: addon_version not ForceNew (UpdateAddon)`,
    },
    {
        input: "efs.provisionedThroughputMibps", change: "100 -> 200", effect: E.InPlace, resource: FS, properties: ["provisionedThroughputInMibps"], guard: "none",
        note: "Updates provisioned throughput in place (AWS allows a decrease only once per 24 hours).",
        source: `${TF_EFS}: provisioned_throughput_in_mibps not ForceNew (UpdateFileSystem)`,
    },
    {
        input: "efs.csiDriverVersion", change: "pin a version", effect: E.InPlace, resource: ADDON, child: "-efs-csi-driver", properties: ["addonVersion"], guard: "none",
        note: "Updates the driver in place; unset, it follows the cluster's version (EKS's default for it).",
        source: `${TF_EKS}/addon.go: addon_version not ForceNew (UpdateAddon)`,
    },
    {
        input: "efs.retainOnDelete", change: "true -> false", effect: E.InPlace, resource: FS, properties: [], guard: "retainOnDelete",
        note: "Changes only what `destroy` does (and whether the file system is protected); nothing in AWS changes.",
        source: "Pulumi resource options retainOnDelete and protect (state only)",
    },
    {
        input: "existingCluster.resourceMetricsApi", change: "false -> true", effect: E.InPlace, resource: "volley:index:AwsEnvironment", properties: [], guard: "none",
        note: "Changes no resource in AWS or the cluster (the package installs no metrics-server on an existing cluster): it only says, in the `environment` output, whether the cluster serves the resource metrics API (`metrics.k8s.io`). `false` (the default) gives applications with `cpu` or `memory` triggers a preview warning; `true` drops the warning, so set it only where metrics-server (or another provider of the API) runs.",
        source: "EKS User Guide metrics-server.adoc (not deployed by default in EKS clusters); KEDA scalers cpu.md and memory.md (they read the Kubernetes Metrics Server)",
    },
    {
        input: "networkPolicies.enabled", change: "false -> true", effect: E.InPlace, resource: NETWORK_POLICY, guard: "none",
        note: "Creates the platform's NetworkPolicies (default-deny ingress in the operator, KEDA and monitoring namespaces with the allows they need, and `allow-grafana-users` with `grafanaFrom`); `true -> false` deletes them. No data is involved. On a cluster the package creates, enforcement comes with it: the vpc-cni add-on is updated in place (next row). On an existing cluster the package leaves the add-ons alone and warns at preview: the policies take effect only where the cluster's network plugin enforces them.",
        source: `${NETPOL_CONCEPTS}; EKS User Guide cni-network-policy-configure (enableNetworkPolicy in the vpc-cni add-on's configuration)`,
    },
    {
        input: "networkPolicies.enabled", change: "false -> true", effect: E.InPlace, resource: ADDON, child: "-vpc-cni", properties: ["configurationValues"], guard: "none",
        note: "A cluster the package creates: updates the vpc-cni add-on in place with the configuration value `enableNetworkPolicy` `\"true\"`, so the VPC CNI (v1.14 or later; an older pin in `cluster.addonVersions.vpcCni` is refused at preview) runs its network policy agent and enforces the NetworkPolicies. Nothing is replaced and no node is recycled. `true -> false` shows no add-on diff and leaves enforcement on (configuration_values is optional and computed, so an unset value keeps the cluster's): pods that no NetworkPolicy selects stay open, and `aws eks update-addon` with `enableNetworkPolicy` `\"false\"` turns it off. With `networkPolicies` off (the default) the add-on has no configuration values, as before.",
        source: `EKS User Guide cni-network-policy-configure (network policy in the Amazon EKS add-on: configuration value enableNetworkPolicy, VPC CNI 1.14 or later); ${TF_EKS}/addon.go: configuration_values Optional and Computed, not ForceNew (UpdateAddon)`,
    },
    {
        input: "networkPolicies.grafanaFrom", change: "add a namespace", effect: E.InPlace, resource: NETWORK_POLICY, child: "-netpol-monitoring-allow-grafana-users", properties: ["spec.ingress"], guard: "none",
        note: "Updates the `allow-grafana-users` policy in place; the first namespace creates it and an empty list deletes it. Nothing else changes.",
        source: NETPOL_UPDATE,
    },
];
