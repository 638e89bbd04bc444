import * as pulumi from "@pulumi/pulumi";

/** The component's own `dependsOn` when given as resources: children do not inherit it, so they take it explicitly. */
export function plainDependsOn(opts: pulumi.ComponentResourceOptions | undefined): pulumi.Resource[] {
    const d = opts?.dependsOn;
    if (d === undefined || pulumi.Output.isInstance(d) || (d as any) instanceof Promise) return [];
    return (Array.isArray(d) ? d : [d]).filter((x): x is pulumi.Resource => pulumi.Resource.isInstance(x));
}

/** An Output of `o[key]` (or the default), whether `o` arrived as a plain object or as an Output. */
export const field = (o: unknown, key: string, dflt?: unknown): any => pulumi.output(o as any).apply((x: any) => x?.[key] ?? dflt);

export const present = (v: unknown): boolean => v !== undefined && v !== null;
