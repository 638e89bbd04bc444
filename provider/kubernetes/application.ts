import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { applicationProvider } from "./provider";
import { renderVolleyApplication } from "./render/application";
import { applicationWarnings } from "./validate/application";
import { recordStreamDemand } from "./streamDemand";
import { CRD_GROUP, CRD_KIND, CRD_VERSION } from "./render/volley";
import { known } from "../core/validate";
import { dependenciesOf, resolvedOf } from "../core/resolved";
import { SharedCheckpointVolume } from "./sharedCheckpointVolume";
import { APP_DIRECTORY_DEFAULTS, appDirectory, renderDirectoryJob } from "./render/checkpoints";
import { EnvironmentRef } from "../core/types";
import type { KafkaTopicSpec } from "./kafka/application";
import { applicationKafkaObjects } from "./kafka/applicationObjects";
import {
    AutoscalingSpec, ClusterSpec, EnvVar, HealthSpec, ImagePullPolicy, IsolationSpec, KafkaSpec,
    LocalObjectReference, ObservabilitySpec, ResourceRequirements, VolumeSpec,
} from "./volleySpec";

export interface ApplicationArgs {
    /** The environment to deploy into: the `environment` output of KubernetesEnvironment, AwsEnvironment or GcpEnvironment. */
    environment: pulumi.Input<EnvironmentRef>;
    /** Name of the VolleyApplication (a DNS label of at most 52 characters). Defaults to the component name. */
    name?: pulumi.Input<string>;
    /** Namespace of the VolleyApplication. Defaults to `default`. */
    namespace?: pulumi.Input<string>;
    /** Container image of the pipeline, e.g. `registry.example.com/my-app:v1.0`. Required. */
    image: pulumi.Input<string>;
    /** Image pull policy. Defaults to `IfNotPresent`. */
    imagePullPolicy?: pulumi.Input<ImagePullPolicy>;
    /** Secrets for pulling the image from a private registry. */
    imagePullSecrets?: pulumi.Input<pulumi.Input<LocalObjectReference>[]>;
    /** CPU and memory per worker pod: requests, limits or both (requests default to limits, as in Kubernetes). */
    resources: pulumi.Input<ResourceRequirements>;
    /** Worker pods; more than 1 needs `cluster`. Defaults to `1`. */
    replicas?: pulumi.Input<number>;
    /** Arguments of the pipeline binary. */
    args?: pulumi.Input<pulumi.Input<string>[]>;
    /** Environment variables; use `valueFrom.secretKeyRef` for secrets so they stay out of the Pulumi state. */
    env?: pulumi.Input<pulumi.Input<EnvVar>[]>;
    /** RocksDB state volume per pod (mounted at `/var/lib/volley/state` by default). */
    state?: pulumi.Input<VolumeSpec>;
    /** Local checkpoint volume per pod (mounted at `/var/lib/volley/checkpoints` by default). */
    checkpoints?: pulumi.Input<VolumeSpec>;
    /** Metrics, ServiceMonitor and tracing. */
    observability?: pulumi.Input<ObservabilitySpec>;
    /** Liveness and readiness probes. */
    health?: pulumi.Input<HealthSpec>;
    /** Node isolation; unset fields come from the environment's stream node pool. */
    isolation?: pulumi.Input<IsolationSpec>;
    /** Kafka connection; unset fields come from the environment's Kafka and the application's name. With a secured Kafka the client settings reach the pods as `KAFKA_*` env vars. */
    kafka?: pulumi.Input<KafkaSpec>;
    /** Topics the application owns, created as Strimzi KafkaTopics in the environment's Kafka (mode `strimzi`); the topic names must be known when the Application is constructed. */
    kafkaTopics?: pulumi.Input<pulumi.Input<KafkaTopicSpec>[]>;
    /** Keep each KafkaTopic (and so the topic and its data) when the Application is deleted or the topic leaves `kafkaTopics`. Plain. Defaults to `true`. */
    retainKafkaTopics?: boolean;
    /** KEDA autoscaling; needs KEDA in the environment and `cluster`. Kafka triggers take servers, group and topic from `kafka`, prometheus triggers the environment's Prometheus URL, where they omit them. */
    autoscaling?: pulumi.Input<AutoscalingSpec>;
    /** Distributed execution; the shared checkpoint claim is created on the environment's storage unless you name one. */
    cluster?: pulumi.Input<ClusterSpec>;
    /** Additional labels on every object the operator creates. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Additional annotations on every object the operator creates. */
    annotations?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Wait in `pulumi up` until `status.phase` is Running. Defaults to `true`. */
    awaitRunning?: pulumi.Input<boolean>;
    /** How long to wait for Running, in seconds. Defaults to `600`. */
    awaitTimeoutSeconds?: pulumi.Input<number>;
    /** Size of the shared checkpoint claim the Application creates. Defaults to the environment's default size. */
    checkpointClaimSize?: pulumi.Input<string>;
    /** Keep the shared checkpoint claim (and its data) when the Application is deleted. Plain. Defaults to `true`. */
    retainCheckpointClaim?: boolean;
}

/**
 * One Volley application: a `VolleyApplication` custom resource wired to its
 * environment (shared checkpoint claim, stream-pool isolation, ServiceMonitor
 * and KEDA only where the environment has them).
 */
export class Application extends pulumi.ComponentResource {
    /** Name of the VolleyApplication. */
    public readonly name!: pulumi.Output<string>;
    /** Namespace of the VolleyApplication. */
    public readonly namespace!: pulumi.Output<string>;
    /** The shared checkpoint claim mounted by every pod, empty when not distributed. */
    public readonly claimName!: pulumi.Output<string>;
    /** `status.phase` reported by the operator when the update finished (Pending, Running, Degraded, Failed), or `Unknown`. */
    public readonly phase!: pulumi.Output<string>;

    constructor(name: string, args: ApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:Application", name, {}, opts);
        if (opts?.urn) return;
        const env = pulumi.output(args.environment);
        const r = resolvedOf(args);
        // The environment's construct-time value; undefined while unknown (a preview of a new cluster).
        const envValue: EnvironmentRef | undefined = known(r.environment) && !pulumi.Output.isInstance(r.environment) ? r.environment : undefined;
        // Deployable but not going to work as meant here (e.g. a cpu trigger without metrics.k8s.io).
        for (const w of applicationWarnings(r, r.environment)) pulumi.log.warn(w, this);
        // Each application fits its stream pool (validation); all of this program's together may not.
        if (envValue) {
            const app = `${known(r.namespace) ? r.namespace : "default"}/${known(r.name) ? r.name : name}`;
            const w = recordStreamDemand(app, r, envValue);
            if (w) pulumi.log.warn(w, this);
        }
        const provider = applicationProvider(this, name, envValue, dependenciesOf(args, "environment"), env.kubeconfig, opts);
        const appName = pulumi.output(args.name ?? name);
        const namespace = pulumi.output(args.namespace ?? "default");

        // Everything but the kubeconfig: what the claim and the CR are made of
        // must not turn secret, or their diffs would be hidden in previews.
        const publicEnv = pulumi.unsecret(env.apply(({ kubeconfig, ...rest }) => rest));

        // The claim exists when the app is distributed and names no claim of its own.
        const claimNeeded = r.cluster !== undefined && r.cluster !== null &&
            !(r.cluster?.sharedCheckpoints?.claimName);
        let claim: SharedCheckpointVolume | undefined;
        let directory: k8s.batch.v1.Job | undefined;
        if (claimNeeded) {
            // Static (PV + claim) or dynamic (claim only) must be known now; an
            // environment not known yet (a preview of a new cluster) counts as dynamic.
            const backend = envValue?.checkpoints;
            const dynamic = !backend || backend.kind === "StorageClass";
            const b = publicEnv.apply((e) => e.checkpoints);
            if (backend?.kind === "Nfs") {
                // The app's own directory on the export, created once with the workers' ownership; the
                // volume below mounts only it. Pods wait for the Job (through the CR), the PV and claim do not.
                // The Job runs in the environment's directory namespace, not the app's (which can then be restricted).
                if (!backend.directoryNamespace) {
                    pulumi.log.warn("the environment names no checkpoints.directoryNamespace (made by a release before #22, or written by hand): " +
                        "the Job that creates this application's checkpoint directory runs in the application's namespace, which must then admit " +
                        "a root container with an inline NFS volume (Pod Security baseline); update the environment to move it out", this);
                }
                const job = pulumi.all([publicEnv, appName, namespace]).apply(([e, n, ns]) => renderDirectoryJob({
                    app: n, namespace: ns, jobNamespace: e.checkpoints!.directoryNamespace, server: e.checkpoints!.nfsServer!, exportPath: e.checkpoints!.nfsPath!,
                    uid: e.checkpoints!.uid ?? APP_DIRECTORY_DEFAULTS.uid, gid: e.checkpoints!.gid ?? APP_DIRECTORY_DEFAULTS.gid,
                    image: e.checkpoints!.directoryImage ?? APP_DIRECTORY_DEFAULTS.image, placement: e.systemPlacement,
                }));
                directory = new k8s.batch.v1.Job(`${name}-ckpt-dir`, { metadata: job.apply((j) => j.metadata), spec: job.apply((j) => j.spec) },
                    { parent: this, provider });
            }
            claim = new SharedCheckpointVolume(`${name}-ckpt`, {
                claimName: pulumi.interpolate`${appName}-shared-ckpt`,
                namespace,
                storageClassName: dynamic ? b.apply((x) => x?.storageClassName ?? "") : undefined,
                nfs: backend?.kind === "Nfs"
                    ? pulumi.all([b, appName, namespace]).apply(([x, n, ns]) => ({ server: x!.nfsServer!, path: appDirectory(x!.nfsPath!, ns, n) }))
                    : undefined,
                csi: backend?.kind === "Csi"
                    ? b.apply((x) => ({ driver: x!.csiDriver!, volumeHandle: x!.volumeHandle!, volumeAttributes: x!.volumeAttributes }))
                    : undefined,
                mountOptions: b.apply((x) => x?.mountOptions ?? []),
                size: pulumi.all([args.checkpointClaimSize, b]).apply(([s, x]) => s ?? x?.defaultSize ?? "50Gi"),
                retainOnDelete: args.retainCheckpointClaim ?? true,
            }, { parent: this, providers: { kubernetes: provider } });
        }

        // Its topics and Kafka user exist before its pods start.
        const kafkaObjects = applicationKafkaObjects(name, args, r, envValue, publicEnv, appName, { parent: this, provider });

        const { environment, ...specArgs } = args;
        const manifest = pulumi.all([specArgs, publicEnv, appName, namespace, claim ? claim.claimName : ""])
            .apply(([a, e, n, ns, claimName]) => renderVolleyApplication(a, e, {
                name: n,
                namespace: ns,
                claimName: claimName || undefined,
                awaitRunning: a.awaitRunning ?? true,
                awaitTimeoutSeconds: a.awaitTimeoutSeconds ?? 600,
            }));
        const cr = new k8s.apiextensions.CustomResource(`${name}-vapp`, {
            apiVersion: `${CRD_GROUP}/${CRD_VERSION}`,
            kind: CRD_KIND,
            metadata: manifest.apply((m) => m.metadata),
            spec: manifest.apply((m) => m.spec),
            // Declared so the live object's status comes back as an output.
            status: undefined,
        }, { parent: this, provider, dependsOn: [...(claim ? [claim] : []), ...(directory ? [directory] : []), ...kafkaObjects] });

        this.name = cr.metadata.name;
        this.namespace = cr.metadata.namespace;
        this.claimName = claim
            ? claim.claimName
            : pulumi.output(args.cluster).apply((c) => ((c?.sharedCheckpoints as any)?.claimName ?? "") as string);
        this.phase = pulumi.output((cr as any).status).apply((s: any) => (s?.phase ?? "Unknown") as string);
        this.registerOutputs({ name: this.name, namespace: this.namespace, claimName: this.claimName, phase: this.phase });
    }
}
