// The stream node group's capacity for EnvironmentRef.streamCapacity: how many
// nodes, and what each EC2 instance type offers pods on EKS.
import { NodeShape, StreamCapacity } from "../core/types";
import { GIB, MIB, formatCpu, formatMemory } from "../core/quantity";

/**
 * EC2 instance shapes: vCPUs by size, memory per vCPU by family, and max pods
 * by size (the ENI limit: ENIs × (IPv4 addresses per ENI − 1) + 2), for the
 * families a stream pool is likely to use. Types not listed have no known
 * shape, and their requests are not checked.
 * Sources: vCPU and memory, https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html
 * (general purpose: m, t), /co.html (compute optimized: c), /mo.html (memory
 * optimized: r); max pods, awslabs/amazon-eks-ami nodeadm/internal/kubelet/eni-max-pods.txt.
 */
const SIZES: Record<string, { vcpus: number; maxPods: number }> = {
    medium: { vcpus: 1, maxPods: 8 }, large: { vcpus: 2, maxPods: 29 }, xlarge: { vcpus: 4, maxPods: 58 },
    "2xlarge": { vcpus: 8, maxPods: 58 }, "4xlarge": { vcpus: 16, maxPods: 234 }, "8xlarge": { vcpus: 32, maxPods: 234 },
    "9xlarge": { vcpus: 36, maxPods: 234 }, "12xlarge": { vcpus: 48, maxPods: 234 }, "16xlarge": { vcpus: 64, maxPods: 737 },
    "18xlarge": { vcpus: 72, maxPods: 737 },
};
const STANDARD = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"];
const WITH_MEDIUM = ["medium", ...STANDARD];
const EC2_FAMILIES: { families: string[]; gibPerVcpu: number; sizes: string[] }[] = [
    { families: ["m5", "m6i", "m6a", "m7i"], gibPerVcpu: 4, sizes: STANDARD },
    { families: ["m7a", "m6g", "m7g"], gibPerVcpu: 4, sizes: WITH_MEDIUM },
    { families: ["c6i", "c6a", "c7i"], gibPerVcpu: 2, sizes: STANDARD },
    { families: ["c7a", "c6g", "c7g"], gibPerVcpu: 2, sizes: WITH_MEDIUM },
    { families: ["c5"], gibPerVcpu: 2, sizes: ["large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge"] },
    { families: ["r5", "r6i", "r6a", "r7i"], gibPerVcpu: 8, sizes: STANDARD },
    { families: ["r7a", "r6g", "r7g"], gibPerVcpu: 8, sizes: WITH_MEDIUM },
];
/** Burstable types, whose memory is not a fixed multiple of their vCPUs (same sources). */
const EC2_BURSTABLE: Record<string, { vcpus: number; memoryGib: number; maxPods: number }> = {
    "t3.medium": { vcpus: 2, memoryGib: 4, maxPods: 17 }, "t3.large": { vcpus: 2, memoryGib: 8, maxPods: 35 },
    "t3.xlarge": { vcpus: 4, memoryGib: 16, maxPods: 58 }, "t3.2xlarge": { vcpus: 8, memoryGib: 32, maxPods: 58 },
    "t4g.medium": { vcpus: 2, memoryGib: 4, maxPods: 17 }, "t4g.large": { vcpus: 2, memoryGib: 8, maxPods: 35 },
    "t4g.xlarge": { vcpus: 4, memoryGib: 16, maxPods: 58 }, "t4g.2xlarge": { vcpus: 8, memoryGib: 32, maxPods: 58 },
};

/** vCPUs, memory (GiB) and ENI max pods of an instance type, or undefined when the table does not know it. */
export function ec2InstanceShape(instanceType: string): { vcpus: number; memoryGib: number; maxPods: number } | undefined {
    if (EC2_BURSTABLE[instanceType]) return EC2_BURSTABLE[instanceType];
    const [family, size] = instanceType.split(".");
    const row = EC2_FAMILIES.find((f) => f.families.includes(family) && f.sizes.includes(size));
    if (!row) return undefined;
    const s = SIZES[size];
    return { vcpus: s.vcpus, memoryGib: s.vcpus * row.gibPerVcpu, maxPods: s.maxPods };
}

/**
 * kube-reserved CPU of EKS AL2023 and Bottlerocket nodes, in millicores: 6% of
 * the first core, 1% of the second, 0.5% of the next two, 0.25% of the rest
 * (awslabs/amazon-eks-ami nodeadm/internal/kubelet/config.go getCPUMillicoresToReserve;
 * Bottlerocket computes the same).
 */
export function eksReservedCpuMillicores(vcpus: number): number {
    const total = vcpus * 1000;
    const ranges: [number, number, number][] = [[0, 1000, 600], [1000, 2000, 100], [2000, 4000, 50], [4000, Infinity, 25]];
    return ranges.reduce((sum, [start, end, basisPoints]) =>
        sum + (total <= start ? 0 : Math.floor((Math.min(total, end) - start) * basisPoints / 10000)), 0);
}

/** kube-reserved memory of EKS AL2023 and Bottlerocket nodes, in MiB: 11 MiB per pod the node may run plus 255 MiB (same source, getMemoryMebibytesToReserve). */
export function eksReservedMemoryMib(maxPods: number): number {
    return 11 * maxPods + 255;
}

/** The kubelet's hard eviction threshold on EKS AL2023 nodes, `memory.available<100Mi` (same source, evictionHard), which allocatable memory excludes too. */
const EKS_EVICTION_MIB = 100;

/**
 * What one node of an instance type offers pods on EKS (AL2023 or Bottlerocket,
 * every amiType the package allows): its capacity as AWS documents it, less
 * kube-reserved and the eviction threshold. Max pods come from the ENI limit,
 * the fewest EKS configures, so the reservation is the smallest and the
 * figure an upper bound. Undefined for an instance type the table does not know.
 */
export function ec2NodeShape(instanceType: string): NodeShape | undefined {
    const s = ec2InstanceShape(instanceType);
    if (!s) return undefined;
    const memory = s.memoryGib * GIB;
    return {
        name: instanceType,
        cpu: formatCpu(s.vcpus),
        memory: formatMemory(memory),
        allocatableCpu: formatCpu(s.vcpus - eksReservedCpuMillicores(s.vcpus) / 1000),
        allocatableMemory: formatMemory(memory - (eksReservedMemoryMib(s.maxPods) + EKS_EVICTION_MIB) * MIB),
    };
}

/** Shapes of these instance types, or undefined when any is not known (a pod might fit that one). */
export function ec2NodeShapes(instanceTypes: string[]): NodeShape[] | undefined {
    const shapes = instanceTypes.map(ec2NodeShape);
    return shapes.length && shapes.every((s) => s) ? shapes as NodeShape[] : undefined;
}

/**
 * The stream managed node group's capacity: its nodes are `desiredSize` while
 * Pulumi owns the size (no autoscaler changes it), up to `maxSize` when an
 * autoscaler does (`desiredSizeOwner: "autoscaler"`).
 */
export function nodeGroupCapacity(s: { instanceTypes: string[]; desiredSize: number; maxSize: number; desiredSizeOwner: string }): StreamCapacity {
    const autoscaled = s.desiredSizeOwner === "autoscaler";
    const out: StreamCapacity = {
        maxNodes: autoscaled ? s.maxSize : s.desiredSize,
        setBy: `streamNodePool.${autoscaled ? "maxSize" : "desiredSize (desiredSizeOwner pulumi: nothing adds nodes)"} and instanceTypes`,
    };
    const shapes = ec2NodeShapes(s.instanceTypes);
    if (shapes) out.nodeShapes = shapes;
    return out;
}
