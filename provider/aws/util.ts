// Small helpers for inputs that may arrive as plain values or as Outputs
// (a remote Construct wraps a whole nested object in one Output).
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** The input, or `fallback` when it is absent (also inside an Output). */
export function or<T>(v: pulumi.Input<T | undefined> | undefined, fallback: T): pulumi.Output<T> {
    return pulumi.output(v).apply((x) => (x === undefined || x === null ? fallback : x)) as pulumi.Output<T>;
}

export type Tags = pulumi.Input<{ [key: string]: pulumi.Input<string> }> | undefined;

/** Tags plus a `Name` tag. */
export function named(tags: Tags, name: string): pulumi.Output<Record<string, string>> {
    return pulumi.output(tags ?? {}).apply((t): Record<string, string> => ({ ...(t as Record<string, string>), Name: name }));
}

/** One field of an input object that may be an Output. */
export function pick<T = any>(o: pulumi.Input<any> | undefined, key: string): pulumi.Output<T> {
    return pulumi.output(o).apply((x: any) => x?.[key]) as pulumi.Output<T>;
}

const partitions = new WeakMap<pulumi.Resource, pulumi.Output<string>>();

/** The partition of the account (`aws`, `aws-cn`, `aws-us-gov`), for the ARNs of AWS managed policies; looked up once per component. */
export function partitionOf(parent: pulumi.Resource): pulumi.Output<string> {
    let p = partitions.get(parent);
    if (!p) {
        p = aws.getPartitionOutput({}, { parent }).partition;
        partitions.set(parent, p);
    }
    return p;
}
