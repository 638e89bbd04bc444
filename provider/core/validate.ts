// Validation primitives. Validators are pure: they take inputs with every
// Output resolved (unknown values replaced by UNKNOWN) and return a list of
// issues, each naming the property path and what is allowed.
import * as pulumi from "@pulumi/pulumi";

export interface Issue {
    propertyPath: string;
    reason: string;
}

/** Stands for a value that is not known yet (during preview). Checks skip it. */
export const UNKNOWN: unique symbol = Symbol.for("volley.unknown");

/** A value is checkable when it is neither absent nor unknown. */
export function known<T>(v: T | typeof UNKNOWN | undefined | null): v is T {
    return v !== undefined && v !== null && v !== UNKNOWN;
}

/** Joins a property path: path("a", 0, "b") = "a[0].b". */
export function path(...parts: (string | number)[]): string {
    return parts.reduce<string>(
        (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p),
        "",
    );
}

/** Resolves every Output inside `value`, deeply; unknown values become UNKNOWN. */
export async function resolveInputs(value: unknown): Promise<any> {
    if (pulumi.Output.isInstance(value)) {
        const o = value as any;
        if (!(await o.isKnown)) return UNKNOWN;
        return resolveInputs(await o.promise());
    }
    if (value instanceof Promise) return resolveInputs(await value);
    if (Array.isArray(value)) return Promise.all(value.map(resolveInputs));
    if (value && typeof value === "object" && !pulumi.Resource.isInstance(value)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = await resolveInputs(v);
        return out;
    }
    return value;
}

/** Throws one InputPropertiesError listing every issue, so preview shows them all at once. */
export function throwIfInvalid(component: string, issues: Issue[]): void {
    if (issues.length === 0) return;
    throw new pulumi.InputPropertiesError({
        message: `${component}: ${issues.length} invalid input${issues.length > 1 ? "s" : ""}: ` +
            issues.map((i) => `${i.propertyPath}: ${i.reason}`).join("; "),
        errors: issues,
    });
}

// Kubernetes quantity, e.g. 500m, 2, 4Gi, 1e3 (apimachinery's resource.Quantity grammar).
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const PROM_DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
// Prometheus' own duration (prometheus/common model.ParseDuration, the pattern of
// the Prometheus CRD's spec.retention): units largest first, each at most once, or "0".
const PROM_ORDERED_DURATION = /^(0|(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?)$/;

/** A checker accumulates issues; each method returns whether the value passed. */
export class Checker {
    readonly issues: Issue[] = [];

    fail(propertyPath: string, reason: string): false {
        this.issues.push({ propertyPath, reason });
        return false;
    }

    required(p: string, v: unknown, what: string): boolean {
        if (v === UNKNOWN) return true;
        if (v === undefined || v === null || v === "") return this.fail(p, `required: ${what}`);
        return true;
    }

    oneOf(p: string, v: unknown, allowed: readonly string[]): boolean {
        if (!known(v)) return true;
        return allowed.includes(v as string) || this.fail(p, `must be one of ${allowed.join(", ")}; got ${JSON.stringify(v)}`);
    }

    integer(p: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean {
        if (!known(v)) return true;
        if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
            const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
            return this.fail(p, `must be an integer ${range}; got ${JSON.stringify(v)}`);
        }
        return true;
    }

    port(p: string, v: unknown): boolean {
        return this.integer(p, v, 1, 65535);
    }

    quantity(p: string, v: unknown): boolean {
        if (!known(v)) return true;
        // Kubernetes quantities are int-or-string; Pulumi YAML config may hand over a number.
        if (typeof v === "number") return (Number.isFinite(v) && v >= 0) || this.fail(p, `must be a non-negative quantity; got ${v}`);
        return (typeof v === "string" && QUANTITY.test(v)) ||
            this.fail(p, `must be a Kubernetes quantity such as "500m", "2", "4Gi"; got ${JSON.stringify(v)}`);
    }

    absolutePath(p: string, v: unknown): boolean {
        if (!known(v)) return true;
        return (typeof v === "string" && v.startsWith("/")) || this.fail(p, `must be an absolute path starting with "/"; got ${JSON.stringify(v)}`);
    }

    duration(p: string, v: unknown): boolean {
        if (!known(v)) return true;
        return (typeof v === "string" && PROM_DURATION.test(v)) || this.fail(p, `must be a duration such as "15s" or "1m30s"; got ${JSON.stringify(v)}`);
    }

    /** A duration as Prometheus parses it (retention, e.g. "15d", "1w3d"): units largest first, each once. */
    prometheusDuration(p: string, v: unknown): boolean {
        if (!known(v)) return true;
        return (typeof v === "string" && v !== "" && PROM_ORDERED_DURATION.test(v)) ||
            this.fail(p, `must be a Prometheus duration, units largest first and each once (y, w, d, h, m, s, ms), such as "15d" or "1w3d"; got ${JSON.stringify(v)}`);
    }

    dnsLabel(p: string, v: unknown, maxLength = 63): boolean {
        if (!known(v)) return true;
        return (typeof v === "string" && v.length <= maxLength && DNS1123_LABEL.test(v)) ||
            this.fail(p, `must be a DNS-1123 label (lower-case letters, digits, "-", at most ${maxLength} characters); got ${JSON.stringify(v)}`);
    }

    dnsSubdomain(p: string, v: unknown): boolean {
        if (!known(v)) return true;
        return (typeof v === "string" && v.length <= 253 && DNS1123_SUBDOMAIN.test(v)) ||
            this.fail(p, `must be a DNS-1123 subdomain (lower-case letters, digits, "-", "."); got ${JSON.stringify(v)}`);
    }

    /** A label or annotation key: optional DNS subdomain prefix, "/", name of at most 63 characters. */
    qualifiedName(p: string, v: unknown): boolean {
        if (!known(v)) return true;
        const bad = () => this.fail(p, `must be a qualified name such as "volley.io/pool" (optional DNS prefix, "/", name of at most 63 letters, digits, "-", "_", "."); got ${JSON.stringify(v)}`);
        if (typeof v !== "string") return bad();
        const parts = v.split("/");
        if (parts.length > 2) return bad();
        const name = parts[parts.length - 1];
        if (parts.length === 2 && (parts[0].length > 253 || !DNS1123_SUBDOMAIN.test(parts[0]))) return bad();
        return (name.length <= 63 && LABEL_NAME.test(name)) || bad();
    }

    labelValue(p: string, v: unknown): boolean {
        if (!known(v)) return true;
        return (typeof v === "string" && (v === "" || (v.length <= 63 && LABEL_NAME.test(v)))) ||
            this.fail(p, `must be a label value (at most 63 letters, digits, "-", "_", "."); got ${JSON.stringify(v)}`);
    }

    labels(p: string, v: unknown): void {
        if (!known(v)) return;
        for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
            this.qualifiedName(path(p, k), k) && this.labelValue(path(p, k), val);
        }
    }

    annotationKeys(p: string, v: unknown): void {
        if (!known(v)) return;
        for (const k of Object.keys(v as Record<string, unknown>)) this.qualifiedName(path(p, k), k);
    }
}
