// The Kubernetes provider a component's children deploy through.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { EnvironmentRef } from "../core/types";

/**
 * The Kubernetes provider a component's children use: the one its parent
 * environment passed down in `providers`, or a new one from `kubeconfig`
 * (the ambient kubeconfig when that is empty or absent).
 */
export function kubernetesProvider(
    parent: pulumi.ComponentResource,
    name: string,
    kubeconfig: pulumi.Input<string> | undefined,
    opts: pulumi.ComponentResourceOptions | undefined,
): k8s.Provider {
    const given = providerFromOpts(opts);
    if (given) return given;
    return new k8s.Provider(`${name}-k8s`, {
        // An empty kubeconfig means "ambient"; pass undefined so the provider reads KUBECONFIG.
        kubeconfig: pulumi.output(kubeconfig).apply((k) => (k ? k : undefined)) as pulumi.Output<string>,
    }, { parent });
}

/**
 * An Application's provider: the one given in `providers`; else its
 * environment's, when that environment is in this stack; else its own from
 * the environment's kubeconfig (an environment from another stack or written
 * by hand). Sharing matters at scale: the engine runs one provider process per
 * provider resource, each configured and discovering the API on its own.
 *
 * `env` is the construct-time value of the environment input (undefined in a
 * preview before its cluster exists) and `envDependencies` the URNs that
 * input depends on: then the environment is found among them, and its
 * provider is its child `<name>-k8s` (every environment names it so).
 */
export function applicationProvider(
    parent: pulumi.ComponentResource,
    name: string,
    env: EnvironmentRef | undefined,
    envDependencies: string[],
    kubeconfig: pulumi.Input<string | undefined>,
    opts: pulumi.ComponentResourceOptions | undefined,
): k8s.Provider {
    const given = providerFromOpts(opts);
    if (given) return given;
    const urn = env ? env.kubernetesProviderUrn : environmentProviderUrn(envDependencies);
    if (urn && inThisStack(urn)) return providerReference(urn);
    return kubernetesProvider(parent, name, kubeconfig as pulumi.Input<string>, undefined);
}

/** A reference to the provider `urn`: registers nothing, reads its ID from the engine. */
function providerReference(urn: string): k8s.Provider {
    return new k8s.Provider(urn.split("::").pop()!, undefined as any, { urn });
}

const ENVIRONMENT_TYPE = /^volley:index:\w+Environment$/;

/** URN of the Kubernetes provider `<env>-k8s` of the one environment component among `urns`, if any. */
export function environmentProviderUrn(urns: string[]): string | undefined {
    const envs = urns.filter((u) => ENVIRONMENT_TYPE.test(ownType(u)));
    if (envs.length !== 1) return undefined;
    const [stack, project, qualifiedType, ...name] = envs[0].split("::");
    return `${stack}::${project}::${qualifiedType}$pulumi:providers:kubernetes::${name.join("::")}-k8s`;
}

function ownType(urn: string): string {
    const qualifiedType = urn.split("::")[2] ?? "";
    return qualifiedType.split("$").pop()!;
}

function inThisStack(urn: string): boolean {
    return urn.startsWith(`urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::`);
}

export function providerFromOpts(opts: pulumi.ComponentResourceOptions | undefined): k8s.Provider | undefined {
    const ps = opts?.providers;
    if (!ps) return undefined;
    const p = Array.isArray(ps) ? ps.find((x) => (x as any).getPackage?.() === "kubernetes") : (ps as Record<string, pulumi.ProviderResource>)["kubernetes"];
    return p as k8s.Provider | undefined;
}
