// One Kubernetes provider per component, built from a kubeconfig string.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

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

function providerFromOpts(opts: pulumi.ComponentResourceOptions | undefined): k8s.Provider | undefined {
    const ps = opts?.providers;
    if (!ps) return undefined;
    const p = Array.isArray(ps) ? ps.find((x) => (x as any).getPackage?.() === "kubernetes") : (ps as Record<string, pulumi.ProviderResource>)["kubernetes"];
    return p as k8s.Provider | undefined;
}
