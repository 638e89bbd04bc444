// The stream pool's label and taint, shared by every environment and by the
// Karpenter NodePool: pipeline pods select the label and tolerate the taint.
import { Toleration } from "../core/types";

export const STREAM_POOL_LABELS = { "volley.io/pool": "stream-processing" };
export const STREAM_POOL_TAINTS: { key: string; value: string; effect: "NoSchedule" }[] = [
    { key: "volley.io/dedicated", value: "true", effect: "NoSchedule" },
];

/** Tolerations that let pods onto nodes with these taints. */
export function tolerationsFor(taints: { key: string; value?: string; effect: string }[]): Toleration[] {
    return taints.map((t) => (t.value ? { key: t.key, operator: "Equal", value: t.value, effect: t.effect } : { key: t.key, operator: "Exists", effect: t.effect }));
}
