// The Google APIs an environment needs, enabled in its project. They stay
// enabled on destroy: other workloads of the project may use them.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { GCP_APIS, GcpApi } from "./render";

/** Resources that must exist before a resource calling `api`; empty when APIs are managed elsewhere. */
export type ApiDeps = (...apis: GcpApi[]) => pulumi.Resource[];

/** One `gcp.projects.Service` per API in `apis` (none when `enabled` is false). */
export function enableApis(
    parent: pulumi.Resource, name: string, project: pulumi.Input<string>, enabled: boolean, apis: readonly GcpApi[],
): ApiDeps {
    const services = new Map<GcpApi, pulumi.Resource>();
    if (enabled) {
        for (const api of apis) {
            services.set(api, new gcp.projects.Service(`${name}-api-${api}`, {
                project,
                service: GCP_APIS[api],
                disableOnDestroy: false,
                disableDependentServices: false,
            }, { parent }));
        }
    }
    return (...wanted) => wanted.flatMap((a) => (services.has(a) ? [services.get(a)!] : []));
}

/** The component's own `dependsOn` when given as resources (e.g. the Filestore API's Service): children do not inherit it. */
export function plainDependsOn(opts: pulumi.ComponentResourceOptions | undefined): pulumi.Resource[] {
    const d = opts?.dependsOn;
    if (d === undefined || pulumi.Output.isInstance(d) || (d as any) instanceof Promise) return [];
    return (Array.isArray(d) ? d : [d]).filter((x): x is pulumi.Resource => pulumi.Resource.isInstance(x));
}
