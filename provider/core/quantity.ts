// Kubernetes quantities as numbers, for comparing requests with node sizes.
// The grammar is apimachinery's resource.Quantity (k8s.io/apimachinery/pkg/api/resource):
// a decimal number, then a binary (Ki..Ei), decimal (n, u, m, k, M..E) or
// exponent (e3) suffix.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** A quantity in base units (cores for CPU, bytes for memory), or undefined when it is not one. */
export function parseQuantity(q: unknown): number | undefined {
    if (typeof q === "number") return Number.isFinite(q) ? q : undefined;
    if (typeof q !== "string") return undefined;
    const m = QUANTITY.exec(q.trim());
    if (!m) return undefined;
    const n = Number(m[1]);
    const suffix = m[2] ?? "";
    if (suffix in BINARY) return n * BINARY[suffix];
    if (suffix in DECIMAL) return n * DECIMAL[suffix];
    return n * 10 ** Number(suffix.slice(1));
}

/** CPU in cores as Kubernetes writes it: whole cores (`8`) or millicores (`7910m`). */
export function formatCpu(cores: number): string {
    const milli = Math.floor(cores * 1000 + 1e-6);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Memory in bytes as Kubernetes writes it: `32Gi` when whole, else whole mebibytes (`31775Mi`, rounded down). */
export function formatMemory(bytes: number): string {
    if (bytes % BINARY.Gi === 0) return `${bytes / BINARY.Gi}Gi`;
    if (bytes % BINARY.Mi === 0 || bytes >= BINARY.Mi) return `${Math.floor(bytes / BINARY.Mi)}Mi`;
    return `${Math.floor(bytes)}`;
}

export const GIB = BINARY.Gi;
export const MIB = BINARY.Mi;
