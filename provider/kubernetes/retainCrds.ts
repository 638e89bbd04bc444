import * as pulumi from "@pulumi/pulumi";

const CRD_TYPE = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";

/**
 * A chart's CustomResourceDefinitions are retained on delete: deleting a CRD
 * deletes every custom resource of its kind in the whole cluster, other
 * stacks' included, so turning an add-on off or destroying an environment
 * must leave them (README "What destroy leaves").
 */
export const retainCrdTransform: pulumi.ResourceTransform = (a) =>
    (a.type === CRD_TYPE ? { props: a.props, opts: pulumi.mergeOptions(a.opts, { retainOnDelete: true }) } : undefined);

/** The transforms for a chart: its CRDs are retained. */
export function retainCrds(): pulumi.ResourceTransform[] {
    return [retainCrdTransform];
}

/**
 * `properties: {}` in a CRD's schema says nothing (no property is declared),
 * and the API server does not store it (an empty map is omitted). Left in,
 * the chart's CRD differs from the live one in every preview, an update that
 * never settles (Strimzi 1.2.0's Kafka CRD, `status.clusterSecurity`): such
 * empty maps are dropped from `spec.versions[].schema`. Pure: returns a copy.
 */
export function withoutEmptySchemaProperties(v: any): any {
    if (Array.isArray(v)) return v.map(withoutEmptySchemaProperties);
    if (!isMap(v)) return v;
    const out: Record<string, any> = {};
    for (const [k, x] of Object.entries(v)) {
        if (k === "properties" && isMap(x) && Object.keys(x).length === 0) continue;
        out[k] = withoutEmptySchemaProperties(x);
    }
    return out;
}

// A map of a resource's properties, as the engine hands them to a transform:
// a plain object, whose prototype need not be Object's (deserialized maps are
// made without it); never an array, an Output or a Resource.
function isMap(v: any): v is Record<string, any> {
    if (!v || typeof v !== "object" || Array.isArray(v) || pulumi.Output.isInstance(v) || pulumi.Resource.isInstance(v)) return false;
    return Object.prototype.toString.call(v) === "[object Object]";
}

/** The CRD schema normalization above as a chart transform (CRDs only; other resources untouched). */
export const crdSchemaTransform: pulumi.ResourceTransform = (a) => {
    if (a.type !== CRD_TYPE || !Array.isArray(a.props?.spec?.versions)) return undefined;
    const versions = a.props.spec.versions.map((ver: any) => (ver?.schema ? { ...ver, schema: withoutEmptySchemaProperties(ver.schema) } : ver));
    return { props: { ...a.props, spec: { ...a.props.spec, versions } }, opts: a.opts };
};
