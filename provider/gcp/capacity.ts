// The stream node pool's capacity for EnvironmentRef.streamCapacity: how many
// nodes the cluster autoscaler may reach, and what each machine type offers pods on GKE.
import { NodeShape, StreamCapacity } from "../core/types";
import { GIB, MIB, formatCpu, formatMemory } from "../core/quantity";

/**
 * Compute Engine predefined machine types `<series>-<kind>-<vCPUs>`: memory per
 * vCPU and the vCPU counts offered, per series and kind. Types not listed have
 * no known shape, and requests are not checked against them. Compute Engine
 * writes GB for 2^30 bytes (GiB).
 * Sources: https://cloud.google.com/compute/docs/general-purpose-machines
 * (E2, N1, N2, N2D, N4, C3, T2D) and /compute-optimized-machines (C2, C2D).
 */
const N2_SIZES = [2, 4, 8, 16, 32, 48, 64, 80, 96, 128];
const GCE_MACHINES: { series: string; kind: string; gibPerVcpu: number; vcpus: number[] }[] = [
    { series: "e2", kind: "standard", gibPerVcpu: 4, vcpus: [2, 4, 8, 16, 32] },
    { series: "e2", kind: "highmem", gibPerVcpu: 8, vcpus: [2, 4, 8, 16] },
    { series: "e2", kind: "highcpu", gibPerVcpu: 1, vcpus: [2, 4, 8, 16, 32] },
    { series: "n1", kind: "standard", gibPerVcpu: 3.75, vcpus: [1, 2, 4, 8, 16, 32, 64, 96] },
    { series: "n1", kind: "highmem", gibPerVcpu: 6.5, vcpus: [2, 4, 8, 16, 32, 64, 96] },
    { series: "n1", kind: "highcpu", gibPerVcpu: 0.9, vcpus: [2, 4, 8, 16, 32, 64, 96] },
    { series: "n2", kind: "standard", gibPerVcpu: 4, vcpus: N2_SIZES },
    { series: "n2", kind: "highmem", gibPerVcpu: 8, vcpus: N2_SIZES },
    { series: "n2", kind: "highcpu", gibPerVcpu: 1, vcpus: [2, 4, 8, 16, 32, 48, 64, 80, 96] },
    { series: "n2d", kind: "standard", gibPerVcpu: 4, vcpus: [...N2_SIZES, 224] },
    { series: "n2d", kind: "highmem", gibPerVcpu: 8, vcpus: [2, 4, 8, 16, 32, 48, 64, 80, 96] },
    { series: "n2d", kind: "highcpu", gibPerVcpu: 1, vcpus: [...N2_SIZES, 224] },
    { series: "n4", kind: "standard", gibPerVcpu: 4, vcpus: [2, 4, 8, 16, 32, 48, 64, 80] },
    { series: "c3", kind: "standard", gibPerVcpu: 4, vcpus: [4, 8, 22, 44, 88, 176] },
    { series: "t2d", kind: "standard", gibPerVcpu: 4, vcpus: [1, 2, 4, 8, 16, 32, 48, 60] },
    { series: "c2", kind: "standard", gibPerVcpu: 4, vcpus: [4, 8, 16, 30, 60] },
    { series: "c2d", kind: "standard", gibPerVcpu: 4, vcpus: [2, 4, 8, 16, 32, 56, 112] },
];

/** vCPUs and memory (GiB) of a machine type, or undefined when the table does not know it. */
export function gceMachineShape(machineType: string): { vcpus: number; memoryGib: number } | undefined {
    const m = /^([a-z0-9]+)-([a-z]+)-(\d+)$/.exec(machineType);
    if (!m) return undefined;
    const vcpus = Number(m[3]);
    const row = GCE_MACHINES.find((r) => r.series === m[1] && r.kind === m[2] && r.vcpus.includes(vcpus));
    return row ? { vcpus, memoryGib: vcpus * row.gibPerVcpu } : undefined;
}

/**
 * GKE's node reservations (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes#memory_and_cpu_reservations):
 * CPU, 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% of
 * the rest; memory, 255 MiB below 1 GiB, else 25% of the first 4 GiB, 20% of
 * the next 4, 10% of the next 8, 6% of the next 112 and 2% of the rest; plus
 * 100 MiB kept free for eviction.
 */
export function gkeReservedCpuMillicores(vcpus: number): number {
    const ranges: [number, number, number][] = [[0, 1, 0.06], [1, 2, 0.01], [2, 4, 0.005], [4, Infinity, 0.0025]];
    return Math.round(ranges.reduce((sum, [a, b, rate]) => sum + Math.max(0, Math.min(vcpus, b) - a) * rate, 0) * 1000);
}
export function gkeReservedMemoryBytes(memoryBytes: number): number {
    const gib = memoryBytes / GIB;
    if (gib < 1) return 255 * MIB;
    const tiers: [number, number, number][] = [[0, 4, 0.25], [4, 8, 0.2], [8, 16, 0.1], [16, 128, 0.06], [128, Infinity, 0.02]];
    return tiers.reduce((sum, [a, b, rate]) => sum + Math.max(0, Math.min(gib, b) - a) * rate, 0) * GIB;
}
const GKE_EVICTION_BYTES = 100 * MIB;

/** What one node of a machine type offers pods on GKE: capacity less GKE's documented reservations; undefined when not known. */
export function gkeNodeShape(machineType: string): NodeShape | undefined {
    const s = gceMachineShape(machineType);
    if (!s) return undefined;
    const memory = s.memoryGib * GIB;
    return {
        name: machineType,
        cpu: formatCpu(s.vcpus),
        memory: formatMemory(memory),
        allocatableCpu: formatCpu(s.vcpus - gkeReservedCpuMillicores(s.vcpus) / 1000),
        allocatableMemory: formatMemory(memory - gkeReservedMemoryBytes(memory) - GKE_EVICTION_BYTES),
    };
}

/**
 * Zones a pool's per-zone limits multiply by: its `nodeLocations`, one for a
 * zonal cluster, GKE's default three for a new regional cluster
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters);
 * undefined for a regional cluster this package did not create.
 */
export function poolZones(nodeLocations: string[] | undefined, location: string, newCluster: boolean): number | undefined {
    if (nodeLocations?.length) return nodeLocations.length;
    if (/-[a-z]$/.test(location)) return 1;
    return newCluster ? 3 : undefined;
}

/** The stream pool's capacity: the autoscaler's maximum (per zone × zones, or total) and its machine type's shape. */
export function gkePoolCapacity(s: { machineType: string; maxNodes: number; total: boolean; zones: number | undefined }): StreamCapacity {
    const out: StreamCapacity = { setBy: "streamNodePool.autoscaling.maxNodes and machineType" };
    if (s.total) out.maxNodes = s.maxNodes;
    else if (s.zones !== undefined) {
        out.maxNodes = s.maxNodes * s.zones;
        out.setBy = `streamNodePool.autoscaling.maxNodes (per zone, ${s.zones} zone${s.zones === 1 ? "" : "s"}) and machineType`;
    }
    const shape = gkeNodeShape(s.machineType);
    if (shape) out.nodeShapes = [shape];
    return out;
}
