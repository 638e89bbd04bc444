import * as pulumi from "@pulumi/pulumi";
import { NetworkPolicySettings, Platform } from "../kubernetes/platform";
import * as k8s from "@pulumi/kubernetes";
import { ClusterRefs, existingCluster, newCluster } from "./cluster";
import { VpcRefs, controlPlaneFirewall, newVpc, nfsLockFirewall } from "./network";
import { nodeServiceAccount } from "./nodeServiceAccount";
import { enableApis } from "./apis";
import {
    ENVIRONMENT_LABEL, GCP_DEFAULTS, GKE_POOL_LABEL, SYSTEM_POOL_LABELS,
    gcpLabelValue, gcpResourceNames, regionOf, requiredApis, stackSuffix,
} from "./render";
import { environmentFilestore } from "./environmentFilestore";
import { gcpEnvironmentWarnings } from "./validate";
import { ExistingGcpNetwork, ExistingGkeCluster, FilestoreSettings, GcpNetworkSettings, GkeClusterSettings } from "./settings";
import { GcpNodePool, GcpNodePoolSettings } from "./gcpNodePool";
import { gkePoolCapacity, poolZones } from "./capacity";
import { KedaSettings, PrometheusSettings, STREAM_POOL_LABELS, STREAM_POOL_TAINTS, tolerationsFor } from "../kubernetes/kubernetesEnvironment";
import { resolvedOf } from "../core/resolved";
import { EnvironmentRef, Placement } from "../core/types";
import { VolleyOperatorSettings } from "../kubernetes/volleyOperator";
import type { KafkaSettings } from "../kubernetes/kafka/settings";
import { GKE_KAFKA } from "./kafka";

// GKE runs metrics-server in kube-system on every cluster (cloud.google.com/kubernetes-engine/docs/how-to/horizontal-pod-autoscaling).
const RESOURCE_METRICS_API = true;

interface PoolDefaults {
    machineType: string;
    minNodes: number;
    maxNodes: number;
    taints: { key: string; value?: string; effect: string }[];
    labels: (user: Record<string, string>) => Record<string, string>;
}

export interface GcpEnvironmentArgs {
    /** GCP project ID that holds every resource. */
    project: pulumi.Input<string>;
    /** Zone (zonal cluster, e.g. `us-central1-a`) or region (regional cluster over three zones) of the cluster; the network lives in its region. */
    location: pulumi.Input<string>;
    /** Address ranges of the new VPC network (when neither `existingNetwork` nor `existingCluster` is set). While the Filestore instance is retained on delete, `pulumi destroy` keeps the network too (the instance stays peered with it). */
    network?: pulumi.Input<GcpNetworkSettings>;
    /** Use an existing network and subnetwork instead of creating them. Plain: it decides which resources exist. */
    existingNetwork?: ExistingGcpNetwork;
    /** Settings of the new GKE cluster. Plain: `privateNodes` decides which resources exist. */
    cluster?: GkeClusterSettings;
    /** Use an existing GKE cluster instead of creating one (and its network). Plain: it decides which resources exist. */
    existingCluster?: ExistingGkeCluster;
    /** The system pool for the operator, KEDA and Prometheus (label `volley.io/pool=system`, no taint). */
    systemNodePool?: pulumi.Input<GcpNodePoolSettings>;
    /** The dedicated stream-processing pool (label `volley.io/pool=stream-processing`, taint `volley.io/dedicated=true:NoSchedule`). */
    streamNodePool?: pulumi.Input<GcpNodePoolSettings>;
    /** Filestore instance for shared checkpoints. Plain: `enabled`, `existingInstance`, `retainOnDelete` and `grantKeyAccess` decide which resources exist. */
    checkpoints?: FilestoreSettings;
    /** Volley operator settings. Required: at least `image`, the operator image you built (no public image exists). */
    operator: VolleyOperatorSettings;
    /** KEDA for autoscaling. */
    keda?: KedaSettings;
    /** prometheus-operator for ServiceMonitors. */
    prometheus?: PrometheusSettings;
    /** NetworkPolicies for the platform namespaces (default-deny ingress with the allows they need, as on KubernetesEnvironment). GKE enforces them only with network policy enforcement or Dataplane V2, create-time settings the package's cluster does not turn on: a preview warning says so; use an `existingCluster` created with either. Defaults to none. */
    networkPolicies?: NetworkPolicySettings;
    /** Kafka for applications: Strimzi and a KRaft cluster on `kafkaNodePool` (broker claims on `standard-rwo`), or an external cluster. Defaults to none. */
    kafka?: KafkaSettings;
    /** The dedicated Kafka pool with `kafka.mode` `strimzi` (label `volley.io/pool=kafka`, taint `volley.io/kafka=true:NoSchedule`; e2-standard-4, 1 to 3 nodes per zone). */
    kafkaNodePool?: pulumi.Input<GcpNodePoolSettings>;
    /** GCP labels on every labellable resource (cluster, node VMs, Filestore), besides `volley-io-environment=<name>`. */
    labels?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    /** Let the Kubernetes provider drop objects from the state when the cluster is unreachable, for a `pulumi destroy` after the cluster is gone. Off unless set (or `PULUMI_K8S_DELETE_UNREACHABLE=true` for one run): on, a brief outage (control-plane upgrade, authorized networks) forgets objects. */
    deleteUnreachable?: pulumi.Input<boolean>;
    /** Make the kubeconfig's gke-gcloud-auth-plugin use application-default credentials (`--use_application_default_credentials`: GOOGLE_APPLICATION_CREDENTIALS, workload identity federation) instead of gcloud's login, for CI. Defaults to `false`. */
    kubeconfigUseApplicationDefaultCredentials?: pulumi.Input<boolean>;
    /** Suffix of the GCP names the environment derives (network, subnetwork, router, NAT, firewall, node tag, service account, cluster and Filestore unless named): lower-case letters and digits, at most 8; `""` for the names of versions before 0.1. Pin it to the `nameSuffix` output in production: renaming the stack or project otherwise changes every name and re-creates network, cluster and Filestore instance, leaving the old instance retained but forgotten. Plain: names are derived at construct time. Defaults to 6 hex characters of a hash of the Pulumi project, stack and component name. */
    nameSuffix?: string;
    /** Enable the compute, container, file (with Filestore), iam and cloudresourcemanager APIs in `project`; they stay enabled on destroy. Set `false` where the organisation enables APIs itself. Plain: it decides which resources exist. Defaults to `true`. */
    enableApis?: boolean;
}

/**
 * Volley on GKE in one program: VPC network with Cloud NAT (or an existing
 * one), a GKE cluster with Workload Identity (or an existing one), system and stream node pools with a least-privilege
 * service account, a Filestore instance for shared checkpoints, KEDA,
 * prometheus-operator and the Volley operator on the system pool.
 */
export class GcpEnvironment extends pulumi.ComponentResource {
    /** What applications need to know about this environment. */
    public readonly environment!: pulumi.Output<EnvironmentRef>;
    /** Kubeconfig of the cluster using gke-gcloud-auth-plugin, which must be on the PATH where Pulumi runs (secret). */
    public readonly kubeconfig!: pulumi.Output<string>;
    /** Name of the GKE cluster. */
    public readonly clusterName!: pulumi.Output<string>;
    /** VPC network of the cluster. */
    public readonly network!: pulumi.Output<string>;
    /** Subnetwork of the cluster. */
    public readonly subnetwork!: pulumi.Output<string>;
    /** Name of the system node pool. */
    public readonly systemNodePoolName!: pulumi.Output<string>;
    /** Name of the stream-processing node pool. */
    public readonly streamNodePoolName!: pulumi.Output<string>;
    /** Name of the Filestore instance, empty without one. */
    public readonly filestoreInstanceName!: pulumi.Output<string>;
    /** IP address of the Filestore instance, empty without one. */
    public readonly filestoreIp!: pulumi.Output<string>;
    /** Name of the Filestore share, empty without one. */
    public readonly filestoreShare!: pulumi.Output<string>;
    /** Namespace of the Volley operator. */
    public readonly operatorNamespace!: pulumi.Output<string>;
    /** Grafana's admin password, a secret: `prometheus.grafanaAdminPassword`, or the one generated at the first `up` and kept since; absent unless `prometheus.mode` is `stack`. */
    public readonly grafanaAdminPassword!: pulumi.Output<string | undefined>;
    /** The suffix of every derived name (the `nameSuffix` input, or the default from project, stack and name): pin it as `nameSuffix` to survive a stack or project rename. */
    public readonly nameSuffix!: pulumi.Output<string>;

    constructor(name: string, args: GcpEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("volley:index:GcpEnvironment", name, {}, opts);
        if (opts?.urn) return;
        // Decisions come from the resolved inputs; values stay wired to the Inputs (and their dependencies).
        const r = resolvedOf(args);
        const present = (v: unknown) => v !== undefined && v !== null;
        // An Output of `o[key]` (or the default), whether `o` arrived as a plain object or as an Output.
        const field = (o: unknown, key: string, dflt?: unknown): any => pulumi.output(o as any).apply((x: any) => x?.[key] ?? dflt);
        // GCP names are unique per project: the suffix keeps two stacks (or Pulumi projects) apart.
        const suffix: string = r.nameSuffix ?? stackSuffix(pulumi.getProject(), pulumi.getStack(), name);
        const names = gcpResourceNames(name, suffix);
        for (const w of gcpEnvironmentWarnings(r)) pulumi.log.warn(w, this);
        const location = pulumi.output(args.location);
        const labels = pulumi.output(args.labels ?? {}).apply((l) => ({ [ENVIRONMENT_LABEL]: gcpLabelValue(name), ...(l as Record<string, string>) }));
        const usesExistingCluster = present(r.existingCluster);
        const privateNodes = !usesExistingCluster && (r.cluster?.privateNodes ?? true);

        const filestoreEnabled = r.checkpoints?.enabled ?? true;
        const api = enableApis(this, name, args.project, r.enableApis ?? true, requiredApis(filestoreEnabled));

        // Identity first: it does not wait for the network or the cluster.
        const sa = nodeServiceAccount(this, name, names.serviceAccountId, args.project, { iam: api("iam"), projectIam: api("iam", "cloudresourcemanager") });

        let vpc: VpcRefs | undefined;
        let cluster: ClusterRefs;
        let firewall: pulumi.Resource | undefined;
        if (usesExistingCluster) {
            cluster = existingCluster(this, args.project, location, field(args.existingCluster, "name"), args.kubeconfigUseApplicationDefaultCredentials);
        } else {
            const e = args.existingNetwork;
            vpc = present(r.existingNetwork)
                ? <VpcRefs>{
                    network: field(e, "network"), networkName: field(e, "network"), subnetwork: field(e, "subnetwork"), subnetworkName: field(e, "subnetwork"),
                    podsRangeName: field(e, "podsRangeName", GCP_DEFAULTS.podsRangeName), servicesRangeName: field(e, "servicesRangeName", GCP_DEFAULTS.servicesRangeName),
                }
                : newVpc(this, name, names, args.project, location.apply(regionOf), pulumi.output(args.network ?? {}) as any, privateNodes,
                    filestoreEnabled && (r.checkpoints?.retainOnDelete ?? true), api("compute"),
                    present(r.network?.existingNetworkName) ? field(args.network, "existingNetworkName") : undefined);
            const settings = pulumi.output(args.cluster ?? {});
            if (privateNodes) {
                firewall = controlPlaneFirewall(this, name, names, args.project, vpc.network, field(settings, "masterCidr", GCP_DEFAULTS.masterCidr), api("compute"));
            }
            cluster = newCluster(this, name, {
                name: field(settings, "name", names.cluster), project: args.project, location: args.location,
                network: vpc.network, subnetwork: vpc.subnetwork, podsRangeName: vpc.podsRangeName, servicesRangeName: vpc.servicesRangeName,
                settings, privateNodes, labels, serviceAccount: sa.account.email, apis: api("container", "compute"),
                applicationDefaultCredentials: args.kubeconfigUseApplicationDefaultCredentials,
            });
        }

        // Node pools wait for the cluster and the role grants, not for Filestore.
        const pool = (role: string, settings: pulumi.Input<GcpNodePoolSettings> | undefined, resolved: any, d: PoolDefaults) => {
            const s = pulumi.output(settings ?? {}) as pulumi.Output<any>;
            return new GcpNodePool(`${name}-${role}`, {
                cluster: cluster.name, location: cluster.location, project: args.project, serviceAccount: sa.email, labels, networkTags: [names.nodeTag],
                poolName: present(resolved?.poolName) ? field(s, "poolName") : undefined,
                machineType: field(s, "machineType", d.machineType),
                spot: field(s, "spot", false),
                diskSizeGb: field(s, "diskSizeGb", GCP_DEFAULTS.diskSizeGb),
                diskType: field(s, "diskType", GCP_DEFAULTS.diskType),
                nodeLocations: field(s, "nodeLocations"),
                autoscaling: s.apply((x) => ({ minNodes: d.minNodes, maxNodes: d.maxNodes, ...(x.autoscaling ?? {}) })),
                nodeLabels: s.apply((x) => d.labels(x.nodeLabels ?? {})),
                taints: field(s, "taints", d.taints),
            }, { parent: this, dependsOn: api("container") }, { defaultPoolName: role, ownServiceAccount: true });
        };
        const existingSystemPool = usesExistingCluster && present(r.existingCluster.systemNodePoolName);
        const systemPool = existingSystemPool ? undefined : pool("system", args.systemNodePool, r.systemNodePool, {
            machineType: GCP_DEFAULTS.systemMachineType, minNodes: GCP_DEFAULTS.minNodes, maxNodes: GCP_DEFAULTS.systemMaxNodes, taints: [], labels: (l) => ({ ...SYSTEM_POOL_LABELS, ...l }),
        });
        const streamPool = pool("stream", args.streamNodePool, r.streamNodePool, {
            machineType: GCP_DEFAULTS.streamMachineType, minNodes: GCP_DEFAULTS.streamMinNodes, maxNodes: GCP_DEFAULTS.streamMaxNodes, taints: STREAM_POOL_TAINTS, labels: (l) => ({ ...l, ...STREAM_POOL_LABELS }),
        });

        // Kafka brokers get their own pool, tainted so nothing else lands there.
        if (r.kafka?.mode === "strimzi") {
            pool("kafka", args.kafkaNodePool, r.kafkaNodePool, {
                machineType: GKE_KAFKA.machineType, minNodes: GKE_KAFKA.minNodes, maxNodes: GKE_KAFKA.maxNodes, taints: GKE_KAFKA.taints, labels: (l) => ({ ...l, ...GKE_KAFKA.labels }),
            });
        }

        // Filestore: on the cluster's network, in parallel with the cluster; or an existing instance.
        const store = filestoreEnabled
            ? environmentFilestore(this, name, args, r, names.filestore, location, vpc ? vpc.networkName : cluster.network, labels, api("file"),
                vpc?.nodeCidr ? vpc.nodeCidr.apply((c) => [c]) : undefined)
            : undefined;
        // NFSv3 locks: Filestore calls the nodes back (NLM), which the new network's firewall must let in.
        // (A PRIVATE_SERVICE_ACCESS instance names an allocated range, not a CIDR: that network is the user's to open.)
        if (store?.reservedIpRange && vpc?.nodeCidr && r.checkpoints?.connectMode !== "PRIVATE_SERVICE_ACCESS") nfsLockFirewall(this, name, names, args.project, vpc.network, store.reservedIpRange, api("compute"));

        // Platform: one Kubernetes provider that waits for the system pool (and the webhook firewall), not the stream pool.
        this.kubeconfig = cluster.kubeconfig;
        // deleteUnreachable only when asked: unset, the provider also honours PULUMI_K8S_DELETE_UNREACHABLE.
        const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: cluster.kubeconfig, deleteUnreachable: args.deleteUnreachable }, {
            parent: this, dependsOn: [...(systemPool ? [systemPool] : []), ...(firewall ? [firewall] : [])],
        });
        const children = { parent: this, providers: { kubernetes: provider } };
        const system: pulumi.Output<Placement> = systemPool
            ? systemPool.placement
            : field(args.existingCluster, "systemNodePoolName").apply((n: string): Placement => ({ nodeSelector: { [GKE_POOL_LABEL]: n }, tolerations: [] }));
        const platform = new Platform(name, args, r, system, children, {
            controlPlaneMonitors: false, resourceMetricsApi: RESOURCE_METRICS_API, kubernetesVersion: cluster.masterVersion,
            kafkaStorageClassName: GKE_KAFKA.storageClassName,
            checkpointDirectories: store !== undefined,
        });

        const stream = pulumi.output(args.streamNodePool ?? {}).apply((s) => ({
            nodeSelector: STREAM_POOL_LABELS as Record<string, string>,
            tolerations: tolerationsFor((s.taints ?? STREAM_POOL_TAINTS) as any),
        }));
        // What the stream pool's autoscaler may reach, for the Applications' preview checks.
        const capacity = pulumi.all([pulumi.output(args.streamNodePool ?? {}), location]).apply(([x, loc]: [any, string]) => gkePoolCapacity({
            machineType: x.machineType ?? GCP_DEFAULTS.streamMachineType, maxNodes: x.autoscaling?.maxNodes ?? GCP_DEFAULTS.streamMaxNodes,
            total: x.autoscaling?.total ?? false, zones: poolZones(x.nodeLocations, loc, !usesExistingCluster),
        }));
        this.environment = platform.environmentRef(name, this.kubeconfig, store ? store.checkpoints : undefined, stream, system, capacity);
        this.clusterName = cluster.name;
        this.network = vpc ? vpc.network : cluster.network;
        this.subnetwork = vpc ? vpc.subnetwork : cluster.subnetwork;
        this.systemNodePoolName = systemPool ? systemPool.poolName : field(args.existingCluster, "systemNodePoolName");
        this.streamNodePoolName = streamPool.poolName;
        this.filestoreInstanceName = store ? store.instanceName : pulumi.output("");
        this.filestoreIp = store ? store.ip : pulumi.output("");
        this.filestoreShare = store ? store.share : pulumi.output("");
        this.operatorNamespace = platform.operator.namespace;
        this.grafanaAdminPassword = platform.prometheus ? platform.prometheus.grafanaAdminPassword : pulumi.output(undefined);
        this.nameSuffix = pulumi.output(suffix);
        this.registerOutputs({
            nameSuffix: this.nameSuffix,
            environment: this.environment, kubeconfig: this.kubeconfig, clusterName: this.clusterName, network: this.network,
            subnetwork: this.subnetwork, systemNodePoolName: this.systemNodePoolName, streamNodePoolName: this.streamNodePoolName,
            filestoreInstanceName: this.filestoreInstanceName, filestoreIp: this.filestoreIp, filestoreShare: this.filestoreShare,
            operatorNamespace: this.operatorNamespace, grafanaAdminPassword: this.grafanaAdminPassword,
        });
    }
}
