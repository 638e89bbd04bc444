// "What a change does" on AWS: for each input a user can change after the
// first `up`, what the change does to what exists, how the package guards it,
// and the source that says so. Data: the README table is rendered from it and
// a unit test walks every row against the resources the package creates.

/** What a change to an input does. */
export type ChangeEffectKind =
    /** An update of the existing resources; nothing is replaced. */
    | "in place"
    /** An update whose rollout replaces nodes one batch at a time (a new launch-template version or node group). */
    | "rolls nodes"
    /** A replacement of the named resource (and whatever depends on it). */
    | "replaces"
    /** `pulumi preview` fails before anything changes. */
    | "refused at preview";

/** How the package makes the effect what the table says. */
export type ChangeGuard =
    /** Nothing needed: the provider updates in place. */
    | "none"
    /** `protect: true`: a replacement or deletion is an error at preview. */
    | "protect"
    /** `replaceOnChanges`: the provider would silently skip the change; the preview shows the replacement. */
    | "replaceOnChanges"
    /** `retainOnDelete`: the resource stays in AWS when it leaves the program. */
    | "retainOnDelete";

export interface ChangeEffect {
    /** Input path on AwsEnvironment (the same settings on AwsNodePool / EfsCheckpointStore behave the same). */
    input: string;
    effect: ChangeEffectKind;
    /** What happens, for the README. */
    what: string;
    /** The child (`<type token>::<name suffix>` after the component name) the change reaches. */
    resource: string;
    guard: ChangeGuard;
    /** A change to try: the inputs before and after (merged over a minimal environment). */
    sample: { before: any; after: any };
    /** Provider docs, Terraform schema (`ForceNew`), AWS or Kubernetes docs. */
    source: string;
}

const TF_EKS = "terraform-provider-aws internal/service/eks";
const TF_EFS = "terraform-provider-aws internal/service/efs/file_system.go";

export const AWS_CHANGE_EFFECTS: ChangeEffect[] = [
    {
        input: "cluster.version", effect: "in place", resource: "aws:eks/cluster:Cluster::-cluster", guard: "none",
        what: "Upgrades the control plane (one minor version per `up`), then the node groups follow, node by node.",
        sample: { before: { cluster: { version: "1.35" } }, after: { cluster: { version: "1.36" } } },
        source: "EKS update-cluster.adoc (\"you can update only one minor version at a time\"); cluster.go: version is not ForceNew",
    },
    {
        input: "cluster.name", effect: "replaces", resource: "aws:eks/cluster:Cluster::-cluster", guard: "none",
        what: "Replaces the cluster, deleted first (a fixed name): every Kubernetes object is re-created; checkpoints stay on EFS and claims find them again.",
        sample: { before: {}, after: { cluster: { name: "pinned-cluster" } } },
        source: `${TF_EKS}/cluster.go: name ForceNew; pulumi-terraform-bridge nameRequiresDeleteBeforeReplace`,
    },
    {
        input: "cluster.secretsKmsKeyArn", effect: "replaces", resource: "aws:eks/cluster:Cluster::-cluster", guard: "replaceOnChanges",
        what: "Shown at preview as a replacement of the cluster (EKS cannot change a secrets key; the provider would skip it silently). The package's own key is retained, never scheduled for deletion.",
        sample: { before: {}, after: { cluster: { secretsKmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555" } } },
        source: `${TF_EKS}/cluster.go: AssociateEncryptionConfig only when no encryption was set; kms/latest/cryptographic-details/key-deletion.html`,
    },
    {
        input: "cluster.deployerRoleArn", effect: "in place", resource: "aws:eks/accessEntry:AccessEntry::-deployer", guard: "none",
        what: "Adds or removes the deployer's access entry; the cluster is untouched.",
        sample: { before: {}, after: { cluster: { deployerRoleArn: "arn:aws:iam::123456789012:role/ci" } } },
        source: `${TF_EKS}/cluster.go: bootstrap_cluster_creator_admin_permissions ForceNew (kept constant); EKS access-entries.adoc`,
    },
    {
        input: "cluster.publicAccessCidrs", effect: "in place", resource: "aws:eks/cluster:Cluster::-cluster", guard: "none",
        what: "Updates the endpoint's allowed networks (UpdateClusterConfig).",
        sample: { before: { cluster: { publicAccessCidrs: ["203.0.113.0/24"] } }, after: { cluster: { publicAccessCidrs: ["198.51.100.0/24"] } } },
        source: `${TF_EKS}/cluster.go: vpc_config.public_access_cidrs not ForceNew (UpdateClusterConfig)`,
    },
    {
        input: "cluster.logTypes", effect: "in place", resource: "aws:eks/cluster:Cluster::-cluster", guard: "none",
        what: "Turns control-plane log types on or off.",
        sample: { before: {}, after: { cluster: { logTypes: ["api"] } } },
        source: `${TF_EKS}/cluster.go: enabled_cluster_log_types not ForceNew`,
    },
    {
        input: "cluster.logRetentionDays", effect: "in place", resource: "aws:cloudwatch/logGroup:LogGroup::-cluster-logs", guard: "none",
        what: "Changes how long CloudWatch keeps control-plane logs.",
        sample: { before: {}, after: { cluster: { logRetentionDays: 7 } } },
        source: "terraform-provider-aws cloudwatch log_group.go: retention_in_days not ForceNew",
    },
    {
        input: "cluster.supportType", effect: "in place", resource: "aws:eks/cluster:Cluster::-cluster", guard: "none",
        what: "Switches between automatic upgrade (STANDARD) and paid extended support (EXTENDED).",
        sample: { before: {}, after: { cluster: { supportType: "EXTENDED" } } },
        source: `${TF_EKS}/cluster.go: upgrade_policy not ForceNew (UpdateClusterConfig); EKS kubernetes-versions.adoc`,
    },
    {
        input: "streamNodePool.instanceTypes", effect: "replaces", resource: "aws:eks/nodeGroup:NodeGroup::-stream", guard: "none",
        what: "Node group: Replaces the node group (a new one first, then the old one drains): running pipelines restart on new nodes.",
        sample: { before: { streamNodePool: { provisioner: "nodeGroup" } }, after: { streamNodePool: { provisioner: "nodeGroup", instanceTypes: ["m6i.4xlarge"] } } },
        source: `${TF_EKS}/node_group.go: instance_types ForceNew`,
    },
    {
        input: "streamNodePool.capacityType", effect: "replaces", resource: "aws:eks/nodeGroup:NodeGroup::-stream", guard: "none",
        what: "Node group: Replaces the node group (new one first).",
        sample: { before: { streamNodePool: { provisioner: "nodeGroup" } }, after: { streamNodePool: { provisioner: "nodeGroup", capacityType: "SPOT" } } },
        source: `${TF_EKS}/node_group.go: capacity_type ForceNew`,
    },
    {
        input: "streamNodePool.amiType", effect: "replaces", resource: "aws:eks/nodeGroup:NodeGroup::-stream", guard: "none",
        what: "Node group: Replaces the node group (new one first); the launch template's data device follows the AMI.",
        sample: { before: { streamNodePool: { provisioner: "nodeGroup" } }, after: { streamNodePool: { provisioner: "nodeGroup", amiType: "BOTTLEROCKET_x86_64" } } },
        source: `${TF_EKS}/node_group.go: ami_type ForceNew`,
    },
    {
        input: "streamNodePool.diskSize", effect: "rolls nodes", resource: "aws:ec2/launchTemplate:LaunchTemplate::-stream-nodes", guard: "none",
        what: "Node group: A new launch-template version: EKS recycles every node of the group.",
        sample: { before: { streamNodePool: { provisioner: "nodeGroup" } }, after: { streamNodePool: { provisioner: "nodeGroup", diskSize: 100 } } },
        source: "EKS launch-templates.adoc: \"When you update your node group to a different version of your launch template, all nodes in the group are recycled\"",
    },
    {
        input: "streamNodePool.maxSize", effect: "in place", resource: "aws:eks/nodeGroup:NodeGroup::-stream", guard: "none",
        what: "Node group: Resizes the group's bounds (desiredSize is left to the autoscaler when `desiredSizeOwner` is `autoscaler`).",
        sample: { before: { streamNodePool: { provisioner: "nodeGroup" } }, after: { streamNodePool: { provisioner: "nodeGroup", maxSize: 8 } } },
        source: `${TF_EKS}/node_group.go: scaling_config not ForceNew (UpdateNodegroupConfig)`,
    },
    {
        input: "streamNodePool.provisioner", effect: "replaces", resource: "kubernetes:karpenter.sh/v1:NodePool::-stream-nodepool", guard: "none",
        what: "`nodeGroup` to `karpenter`: installs Karpenter (its charts, IAM roles, interruption queue and rules, EC2NodeClass, NodePool) and deletes the stream node group and its launch template; pipelines restart on Karpenter nodes from their checkpoints. Back to `nodeGroup`: the node group comes first, then the NodePool goes (Karpenter drains and terminates its nodes) and Karpenter with it. EFS, its claims and checkpoints are untouched either way; the file-system policy gains or loses the Karpenter nodes' role.",
        sample: { before: { streamNodePool: { provisioner: "nodeGroup" } }, after: { streamNodePool: { provisioner: "karpenter" } } },
        source: "Karpenter v1.14 docs concepts/disruption.md (a deleted NodePool's nodes are drained and terminated); EKS delete-managed-node-group.adoc (the node group's nodes are drained)",
    },
    {
        input: "streamNodePool.maxSize", effect: "in place", resource: "kubernetes:karpenter.sh/v1:NodePool::-stream-nodepool", guard: "none",
        what: "Karpenter: updates the NodePool's limits (`nodes`, and `cpu`/`memory` of that many of the largest instance type); running nodes stay.",
        sample: { before: { streamNodePool: { provisioner: "karpenter" } }, after: { streamNodePool: { provisioner: "karpenter", maxSize: 8 } } },
        source: "Karpenter v1.14 docs concepts/nodepools.md spec.limits; limits are not among the drifted fields (concepts/disruption.md, Drift)",
    },
    {
        input: "streamNodePool.instanceTypes", effect: "rolls nodes", resource: "kubernetes:karpenter.sh/v1:NodePool::-stream-nodepool", guard: "none",
        what: "Karpenter: updates the NodePool's requirements in place; nodes whose type is no longer allowed drift, and Karpenter replaces them within the disruption budgets (10% at a time by default): their pipelines restart from checkpoints.",
        sample: { before: { streamNodePool: { provisioner: "karpenter" } }, after: { streamNodePool: { provisioner: "karpenter", instanceTypes: ["m7i.2xlarge"] } } },
        source: "Karpenter v1.14 docs concepts/disruption.md, Drift: NodePool spec.template.spec.requirements",
    },
    {
        input: "streamNodePool.karpenter.nodePool.consolidationPolicy", effect: "in place", resource: "kubernetes:karpenter.sh/v1:NodePool::-stream-nodepool", guard: "none",
        what: "Karpenter: changes which nodes it may consolidate; no node is replaced for the change itself (`WhenEmptyOrUnderutilized` then evicts pipelines to pack pods tighter).",
        sample: { before: { streamNodePool: { provisioner: "karpenter" } }, after: { streamNodePool: { provisioner: "karpenter", karpenter: { nodePool: { consolidationPolicy: "WhenEmptyOrUnderutilized" } } } } },
        source: "Karpenter v1.14 docs concepts/disruption.md (Consolidation; disruption settings are not drifted fields)",
    },
    {
        input: "tags", effect: "rolls nodes", resource: "aws:ec2/launchTemplate:LaunchTemplate::-stream-nodes", guard: "none",
        what: "Re-tags resources in place, and makes new launch-template versions: EKS recycles every node of both groups.",
        sample: { before: {}, after: { tags: { "cost-centre": "42" } } },
        source: "EKS launch-templates.adoc (all nodes recycled on a new template version)",
    },
    {
        input: "nodeRoleArn", effect: "replaces", resource: "aws:eks/nodeGroup:NodeGroup::-stream", guard: "none",
        what: "Replaces both node groups (new ones first) and updates the file-system policy to the new role.",
        sample: { before: {}, after: { nodeRoleArn: "arn:aws:iam::123456789012:role/nodes" } },
        source: `${TF_EKS}/node_group.go: node_role_arn ForceNew`,
    },
    {
        input: "efs.performanceMode", effect: "refused at preview", resource: "aws:efs/fileSystem:FileSystem::-efs-fs", guard: "protect",
        what: "The retained file system is protected: the replacement this needs fails at preview, so checkpoints are never orphaned (with `retainOnDelete: false` it replaces the file system and its checkpoints).",
        sample: { before: { efs: { throughputMode: "bursting" } }, after: { efs: { throughputMode: "bursting", performanceMode: "maxIO" } } },
        source: `${TF_EFS}: performance_mode ForceNew`,
    },
    {
        input: "efs.kmsKeyArn", effect: "refused at preview", resource: "aws:efs/fileSystem:FileSystem::-efs-fs", guard: "protect",
        what: "As performanceMode: the protected file system cannot be replaced.",
        sample: { before: {}, after: { efs: { kmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555" } } },
        source: `${TF_EFS}: kms_key_id ForceNew`,
    },
    {
        input: "efs.throughputMode", effect: "in place", resource: "aws:efs/fileSystem:FileSystem::-efs-fs", guard: "none",
        what: "Updates throughput (AWS allows one decrease of provisioned throughput or mode change per 24 hours).",
        sample: { before: {}, after: { efs: { throughputMode: "bursting" } } },
        source: `${TF_EFS}: throughput_mode not ForceNew (UpdateFileSystem)`,
    },
    {
        input: "efs.transitionToIa", effect: "in place", resource: "aws:efs/fileSystem:FileSystem::-efs-fs", guard: "none",
        what: "Updates the lifecycle policy.",
        sample: { before: {}, after: { efs: { transitionToIa: "AFTER_7_DAYS" } } },
        source: "terraform-provider-aws internal/service/efs/file_system.go: lifecycle_policy not ForceNew",
    },
    {
        input: "efs.backups", effect: "in place", resource: "aws:efs/backupPolicy:BackupPolicy::-efs-backup", guard: "none",
        what: "Turns daily AWS Backup on or off.",
        sample: { before: {}, after: { efs: { backups: false } } },
        source: "terraform-provider-aws internal/service/efs/backup_policy.go: backup_policy not ForceNew",
    },
    {
        input: "efs.basePath", effect: "replaces", resource: "kubernetes:storage.k8s.io/v1:StorageClass::-efs-class", guard: "none",
        what: "Replaces the StorageClass (its parameters are immutable); existing claims keep their volumes, claims created afterwards get directories under the new path and do not see checkpoints under the old one.",
        sample: { before: {}, after: { efs: { basePath: "/checkpoints" } } },
        source: "Kubernetes API validation: StorageClass parameters are immutable (\"updates to parameters are forbidden\")",
    },
    {
        input: "efs.retainOnDelete", effect: "in place", resource: "aws:efs/fileSystem:FileSystem::-efs-fs", guard: "retainOnDelete",
        what: "Changes only what `destroy` does (and whether the file system is protected); nothing in AWS changes.",
        sample: { before: {}, after: { efs: { retainOnDelete: false } } },
        source: "Pulumi resource options retainOnDelete and protect (state only)",
    },
];

/** The README's table, rendered from the data. */
export function changeEffectsMarkdown(rows: ChangeEffect[] = AWS_CHANGE_EFFECTS): string {
    const lines = ["| input | effect | what happens | source |", "|---|---|---|---|"];
    for (const r of rows) lines.push(`| \`${r.input}\` | ${r.effect} | ${r.what} | ${r.source} |`);
    return lines.join("\n");
}
