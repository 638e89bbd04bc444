// Construct-time knowledge of input values.
//
// A few decisions about which child resources exist depend on input values
// (for example whether the environment's checkpoint storage is static, which
// needs a PersistentVolume, or dynamic). The provider resolves every input
// before constructing a component (it validates them), and records the
// resolved values here keyed by the args object, so the component can read
// them synchronously while still wiring its children to the original Inputs,
// which carry the dependencies.
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
