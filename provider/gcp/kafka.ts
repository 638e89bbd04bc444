// Kafka on GKE (issue 24): the dedicated Kafka pool's defaults and the block
// StorageClass of broker claims. The pool carries the Kafka label and taint,
// so brokers never take stream nodes and pipelines never take broker nodes.
import { KAFKA_POOL_LABELS, KAFKA_POOL_TAINTS } from "../kubernetes/kafka/settings";

export const GKE_KAFKA = {
    /**
     * GKE's own StorageClass on the Compute Engine persistent disk CSI driver
     * (pd-balanced, WaitForFirstConsumer, encrypted at rest by Google), which
     * GKE creates in every cluster (cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/gce-pd-csi-driver).
     */
    storageClassName: "standard-rwo",
    machineType: "e2-standard-4",
    // Per zone, as GKE's autoscaling counts: a regional cluster keeps one broker node in each of its zones,
    // a zonal one grows to three as the brokers (one per node) ask for them.
    minNodes: 1,
    maxNodes: 3,
    labels: KAFKA_POOL_LABELS,
    taints: KAFKA_POOL_TAINTS,
};
