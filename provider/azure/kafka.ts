// Kafka on AKS (issue 24): the dedicated Kafka AgentPool and the block
// StorageClass of broker claims. The pool carries the Kafka label and taint,
// so brokers never take stream nodes and pipelines never take broker nodes.
import * as pulumi from "@pulumi/pulumi";
import { KAFKA_POOL_LABELS, KAFKA_POOL_TAINTS } from "../kubernetes/kafka/settings";
import { AzureNodePool } from "./azureNodePool";
import { AzureNodePoolSettings } from "./settings";
import { field, present } from "./util";

export const AKS_KAFKA = {
    /**
     * AKS's built-in StorageClass on the Azure Disk CSI driver (StandardSSD_LRS,
     * WaitForFirstConsumer, encrypted at rest), present in every cluster
     * (learn.microsoft.com/azure/aks/azure-disk-csi, "built-in storage classes").
     */
    storageClassName: "managed-csi",
    // 4 vCPU / 16 GiB, the size of the system pool (mspnp/aks-baseline); three nodes for three brokers, one per node.
    vmSize: "Standard_D4ds_v5",
    count: 3,
};

/**
 * The Kafka AgentPool (mode User), after `after`: AKS answers 409 to
 * concurrent writes on one cluster, so it follows the stream pool.
 */
export function aksKafkaPool(parent: pulumi.ComponentResource, name: string, settings: pulumi.Input<AzureNodePoolSettings> | undefined, resolved: any,
    cluster: { name: pulumi.Input<string>; resourceGroupName: pulumi.Input<string>; version?: pulumi.Input<string> },
    subnetId: pulumi.Input<string> | undefined, tags: pulumi.Input<Record<string, string>>, after: pulumi.Resource[]): AzureNodePool {
    const s = pulumi.output(settings ?? {}) as pulumi.Output<any>;
    const rs = resolved ?? {};
    return new AzureNodePool(`${name}-kafka`, {
        clusterName: cluster.name, resourceGroupName: cluster.resourceGroupName, vnetSubnetId: subnetId, tags,
        poolName: present(rs.poolName) ? field(s, "poolName") : undefined,
        vmSize: field(s, "vmSize", AKS_KAFKA.vmSize),
        // A fixed count unless autoscaling is asked for: brokers are not scaled by pending pods.
        count: present(rs.autoscaling) ? rs.count : (rs.count ?? AKS_KAFKA.count),
        autoscaling: present(rs.autoscaling) ? field(s, "autoscaling", {}) : undefined,
        osDiskSizeGb: field(s, "osDiskSizeGb"), osDiskType: field(s, "osDiskType"), zones: field(s, "zones"), spot: field(s, "spot", false),
        maxPods: field(s, "maxPods"),
        nodeLabels: s.apply((x) => ({ ...(x.nodeLabels ?? {}), ...KAFKA_POOL_LABELS })),
        taints: field(s, "taints", KAFKA_POOL_TAINTS),
    }, { parent, dependsOn: after }, { defaultPoolName: "kafka", orchestratorVersion: cluster.version });
}
