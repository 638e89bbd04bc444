// Deterministic physical names: what Pulumi's auto-naming does with a random
// suffix, done with a digest of the stack, so the name is known before the
// resource exists (and the same in every preview) yet unique per stack.
import { createHash } from "crypto";

/** `length` hex digits of SHA-256 over the parts joined by "/". */
export function stableSuffix(parts: string[], length = 7): string {
    return createHash("sha256").update(parts.join("/")).digest("hex").slice(0, length);
}

/** `<base>-<suffix>`, the base cut so the whole name has at most `max` characters. */
export function stableName(base: string, parts: string[], max: number): string {
    const suffix = stableSuffix(parts);
    return `${base.slice(0, max - suffix.length - 1).replace(/-+$/, "")}-${suffix}`;
}
