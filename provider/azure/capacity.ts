// The stream pool's capacity for EnvironmentRef.streamCapacity: how many nodes
// (the autoscaler's maximum or the fixed count), and what each VM size offers pods on AKS.
import { NodeShape, StreamCapacity } from "../core/types";
import { GIB, MIB, formatCpu, formatMemory } from "../core/quantity";

/**
 * VM sizes: memory per vCPU per series and the vCPU counts offered
 * (`Standard_<letter><vCPUs><suffix>`). Sizes not listed have no known shape,
 * and requests are not checked against them.
 * Sources (learn.microsoft.com/azure/virtual-machines/sizes/...):
 * general-purpose/dv5-series, dsv5-series, ddv5-series, ddsv5-series, dasv5-series, dadsv5-series;
 * memory-optimized/esv5-series, edsv5-series, easv5-series, eadsv5-series;
 * compute-optimized/fsv2-series; general-purpose/bv1-series.
 */
const D_V5 = [2, 4, 8, 16, 32, 48, 64, 96];
const AZURE_SERIES: { prefix: string; suffixes: string[]; gibPerVcpu: number; vcpus: number[] }[] = [
    { prefix: "D", suffixes: ["_v5", "s_v5", "d_v5", "ds_v5", "as_v5", "ads_v5"], gibPerVcpu: 4, vcpus: D_V5 },
    // E96 sizes have 672 GiB, not 8 per vCPU: left out.
    { prefix: "E", suffixes: ["s_v5", "ds_v5", "as_v5", "ads_v5"], gibPerVcpu: 8, vcpus: [2, 4, 8, 16, 20, 32, 48, 64] },
    { prefix: "F", suffixes: ["s_v2"], gibPerVcpu: 2, vcpus: [2, 4, 8, 16, 32, 48, 64, 72] },
];
const AZURE_BURSTABLE: Record<string, { vcpus: number; memoryGib: number }> = {
    Standard_B2s: { vcpus: 2, memoryGib: 4 }, Standard_B2ms: { vcpus: 2, memoryGib: 8 },
    Standard_B4ms: { vcpus: 4, memoryGib: 16 }, Standard_B8ms: { vcpus: 8, memoryGib: 32 },
};

/** vCPUs and memory (GiB) of a VM size, or undefined when the table does not know it. */
export function azureVmShape(vmSize: string): { vcpus: number; memoryGib: number } | undefined {
    if (AZURE_BURSTABLE[vmSize]) return AZURE_BURSTABLE[vmSize];
    const m = /^Standard_([A-Z])(\d+)([a-z]*_v\d)$/.exec(vmSize);
    if (!m) return undefined;
    const vcpus = Number(m[2]);
    const row = AZURE_SERIES.find((r) => r.prefix === m[1] && r.suffixes.includes(m[3]) && r.vcpus.includes(vcpus));
    return row ? { vcpus, memoryGib: vcpus * row.gibPerVcpu } : undefined;
}

/**
 * AKS's reservations (https://learn.microsoft.com/azure/aks/node-resource-reservations):
 * kube-reserved CPU by core count (below); for 1.29 and later, memory of the
 * lesser of 20 MB × max pods + 50 MB and 25% of the VM's memory, plus the
 * `memory.available<100Mi` eviction threshold. Core counts between the table's
 * rows take the lower row, MB is read as 10^6 bytes: the reservation is the
 * smallest reading, and allocatable an upper bound.
 */
const AKS_CPU_RESERVED: [number, number][] = [[1, 60], [2, 100], [4, 140], [8, 180], [16, 260], [32, 420], [64, 740]];
export function aksReservedCpuMillicores(vcpus: number): number {
    return AKS_CPU_RESERVED.filter(([cores]) => cores <= vcpus).pop()?.[1] ?? AKS_CPU_RESERVED[0][1];
}
export function aksReservedMemoryBytes(memoryBytes: number, maxPods: number): number {
    return Math.min(20e6 * maxPods + 50e6, 0.25 * memoryBytes);
}
const AKS_EVICTION_BYTES = 100 * MIB;
/**
 * Max pods per node when the pool sets none: 250 with Azure CNI overlay (the
 * clusters this package creates); an existing cluster's plugin is not known,
 * so the fewest of AKS's defaults, 30 (Azure CNI), which gives the smallest
 * reservation (https://learn.microsoft.com/azure/aks/quotas-skus-regions).
 */
export const AKS_DEFAULT_MAX_PODS = { overlay: 250, fewest: 30 };

/** What one node of a VM size offers pods on AKS: capacity less AKS's documented reservations; undefined when not known. */
export function aksNodeShape(vmSize: string, maxPods: number): NodeShape | undefined {
    const s = azureVmShape(vmSize);
    if (!s) return undefined;
    const memory = s.memoryGib * GIB;
    return {
        name: vmSize,
        cpu: formatCpu(s.vcpus),
        memory: formatMemory(memory),
        allocatableCpu: formatCpu(s.vcpus - aksReservedCpuMillicores(s.vcpus) / 1000),
        allocatableMemory: formatMemory(memory - aksReservedMemoryBytes(memory, maxPods) - AKS_EVICTION_BYTES),
    };
}

/** The stream pool's capacity: a fixed `count`, or the autoscaler's `maxCount`, and its VM size's shape. */
export function aksPoolCapacity(s: { vmSize: string; count?: number; maxCount: number; maxPods: number }): StreamCapacity {
    const out: StreamCapacity = s.count !== undefined
        ? { maxNodes: s.count, setBy: "streamNodePool.count (fixed; no autoscaler) and vmSize" }
        : { maxNodes: s.maxCount, setBy: "streamNodePool.autoscaling.maxCount and vmSize" };
    const shape = aksNodeShape(s.vmSize, s.maxPods);
    if (shape) out.nodeShapes = [shape];
    return out;
}
