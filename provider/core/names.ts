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

/**
 * Helm's release-name rule (helm pkg/chartutil/validate_name.go,
 * ValidateReleaseName): lower-case DNS labels joined by ".", at most 53
 * characters. helm.v4.Chart uses its resource name as the release name, and
 * the charts render only once the cluster exists, so a bad name fails late.
 */
export const HELM_RELEASE_NAME = {
    max: 53,
    pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    says: "lower-case letters, digits, \"-\" and \".\", starting and ending with a letter or digit (Helm release name)",
} as const;

/** Why `release` is not a valid Helm release name, or undefined. */
export function helmReleaseNameIssue(release: string): string | undefined {
    if (release.length > HELM_RELEASE_NAME.max) return `has ${release.length} characters; Helm allows at most ${HELM_RELEASE_NAME.max}`;
    if (!HELM_RELEASE_NAME.pattern.test(release)) return `must have only ${HELM_RELEASE_NAME.says}`;
    return undefined;
}

/**
 * The problems of a component name that prefixes Helm releases
 * (`<name><suffix>` for each suffix), phrased for the "name" property: at
 * most one length and one character problem, each with the way out.
 */
export function componentReleaseNameIssues(component: string, name: string, suffixes: string[]): string[] {
    if (suffixes.length === 0) return [];
    const releases = suffixes.map((s) => `${name}${s}`);
    const longest = Math.max(...suffixes.map((s) => s.length));
    const issues: string[] = [];
    if (name.length + longest > HELM_RELEASE_NAME.max) {
        issues.push(`the ${component} resource name must have at most ${HELM_RELEASE_NAME.max - longest} characters: it names the Helm releases ${releases.join(", ")}, and Helm allows at most ${HELM_RELEASE_NAME.max}; got ${name.length} (${JSON.stringify(name)}); choose a shorter name`);
    }
    // Checked on the release with the shortest suffix, so a length problem is not reported twice.
    const shortest = suffixes.reduce((a, b) => (b.length < a.length ? b : a));
    if (!HELM_RELEASE_NAME.pattern.test(`${name}${shortest}`)) {
        issues.push(`the ${component} resource name names its Helm releases (${releases.join(", ")}) and must have only ${HELM_RELEASE_NAME.says}; got ${JSON.stringify(name)}; choose a lower-case name such as ${JSON.stringify(suggestReleasePrefix(name))}`);
    }
    return issues;
}

/** A lower-case DNS spelling of `name`, for the message only. */
function suggestReleasePrefix(name: string): string {
    return name.toLowerCase().replace(/[^a-z0-9.-]+/g, "-").replace(/^[^a-z0-9]+/, "").replace(/[^a-z0-9]+$/, "") || "dev";
}
