// Construct-time knowledge of input values.
//
// A few decisions about which child resources exist depend on input values
// (for example whether the environment's checkpoint storage is static, which
// needs a PersistentVolume, or dynamic). The provider resolves every input
// before constructing a component (it validates them), and records the
// resolved values here keyed by the args object, so the component can read
// them synchronously while still wiring its children to the original Inputs,
// which carry the dependencies.
import * as pulumi from "@pulumi/pulumi";

const resolvedByArgs = new WeakMap<object, any>();

export function recordResolved(args: object, resolved: any): void {
    resolvedByArgs.set(args, resolved);
}

/**
 * Resolved args, or `args` itself when nothing was recorded (a program that
 * instantiates the component directly with plain values, as unit tests do).
 * Values that were not known are UNKNOWN (core/validate.ts).
 */
export function resolvedOf<T extends object>(args: T): any {
    return resolvedByArgs.get(args) ?? args;
}

const dependenciesByArgs = new WeakMap<object, Record<string, string[]>>();

/**
 * URNs each input depends on, as the engine sent them with the Construct
 * request (the provider server wraps each input in an Output over them).
 * `Output.resources()` is missing from the SDK's typings but is how it keeps
 * them; tests/unit/sharedProvider.test.ts fails if that changes.
 */
export async function inputDependencies(inputs: Record<string, unknown>): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(inputs)) {
        const resources: pulumi.Resource[] = pulumi.Output.isInstance(value) ? [...((value as any).resources?.() ?? [])] : [];
        out[key] = await Promise.all(resources.map((r) => (r.urn as any).promise() as Promise<string>));
    }
    return out;
}

export function recordDependencies(args: object, dependencies: Record<string, string[]>): void {
    dependenciesByArgs.set(args, dependencies);
}

/** The recorded dependencies of input `key`, or none (a component instantiated directly). */
export function dependenciesOf(args: object, key: string): string[] {
    return dependenciesByArgs.get(args)?.[key] ?? [];
}
