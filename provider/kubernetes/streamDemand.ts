// The applications of each environment constructed in this plugin process
// (one `pulumi preview` or `up` of one program), so the last of them can warn
// when together they ask more of the stream pool than it holds. Applications
// of other programs or stacks on the same environment are not seen here.
import { StreamDemand, streamDemand, streamPoolWarning } from "./validate/capacity";
import { known } from "../core/validate";

const byEnvironment = new Map<string, Map<string, StreamDemand>>();

/** One environment, however it reached the application: its provider's URN, else its name and operator namespace. */
function environmentKey(env: any): string {
    return known(env.kubernetesProviderUrn) ? env.kubernetesProviderUrn : `${env.name}|${env.operatorNamespace}|${env.crdName}`;
}

/** Records this application's demand; returns the warning when the environment's applications together exceed the pool. */
export function recordStreamDemand(app: string, resolvedArgs: any, env: any): string | undefined {
    const demand = streamDemand(app, resolvedArgs, env);
    if (!demand) return undefined;
    const key = environmentKey(env);
    const apps = byEnvironment.get(key) ?? new Map<string, StreamDemand>();
    byEnvironment.set(key, apps);
    apps.set(app, demand);
    return streamPoolWarning(env, [...apps.values()].sort((x, y) => x.app.localeCompare(y.app)));
}

/** Forgets every recorded application (tests). */
export function resetStreamDemand(): void {
    byEnvironment.clear();
}
