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
