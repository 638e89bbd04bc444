// Whether a cloud environment's NetworkPolicies are enforced: AWS turns on the
// VPC CNI's network policy support on the cluster it creates (an in-place
// add-on update) and warns on an existing cluster; GCP and Azure never change
// the cluster's network settings (create-time) and warn instead.
import * as assert from "assert";
import { vpcCniConfigurationValues } from "../../provider/aws/addons";
import { EXISTING_EKS_NETWORK_POLICY_WARNING, awsEnvironmentWarnings, validateAwsEnvironment } from "../../provider/aws/validate";
import { gcpEnvironmentWarnings, gkeNetworkPolicyWarning } from "../../provider/gcp/validate";
import { aksNetworkPolicyWarning, azureEnvironmentWarnings } from "../../provider/azure/validate";
import { awsEnvironmentGraph } from "./environmentGraphs";
import { EXISTING as AWS_EXISTING, GOOD_ENV as AWS_ENV } from "./awsValidate.test";

const ADDON = "aws:eks/addon:Addon";
const ON = { networkPolicies: { enabled: true } };

describe("AWS: NetworkPolicies are enforced on the cluster the package creates", () => {
    it("vpc-cni configuration values: enableNetworkPolicy with NetworkPolicies on, nothing otherwise", () => {
        assert.strictEqual(vpcCniConfigurationValues(true), '{"enableNetworkPolicy":"true"}');
        assert.deepStrictEqual(JSON.parse(vpcCniConfigurationValues(true)!), { enableNetworkPolicy: "true" });
        assert.strictEqual(vpcCniConfigurationValues(false), undefined);
        assert.strictEqual(vpcCniConfigurationValues(undefined), undefined);
    });

    it("a vpc-cni pinned below v1.14 is refused with NetworkPolicies on, naming the property", () => {
        const pinned = (v: string, extra: object = ON) => validateAwsEnvironment({ ...AWS_ENV, ...extra, cluster: { addonVersions: { vpcCni: v } } });
        const issues = pinned("v1.13.4-eksbuild.1");
        assert.deepStrictEqual(issues.map((i) => i.propertyPath), ["cluster.addonVersions.vpcCni"]);
        assert.match(issues[0].reason, /v1\.14\.0 or later/);
        assert.deepStrictEqual(pinned("v1.14.0-eksbuild.3"), []);
        assert.deepStrictEqual(pinned("v1.20.4-eksbuild.1"), []);
        assert.deepStrictEqual(pinned("v1.13.4-eksbuild.1", {}), [], "without NetworkPolicies any valid pin goes");
    });

    it("an existing cluster: a preview warning, only with NetworkPolicies on; a new cluster gets none", () => {
        assert.ok(awsEnvironmentWarnings({ ...AWS_EXISTING, ...ON }).includes(EXISTING_EKS_NETWORK_POLICY_WARNING));
        assert.match(EXISTING_EKS_NETWORK_POLICY_WARNING, /^networkPolicies\.enabled: .*leaves the existing cluster's add-ons alone.*take effect only where the cluster's network plugin enforces them/);
        assert.ok(!awsEnvironmentWarnings(AWS_EXISTING).includes(EXISTING_EKS_NETWORK_POLICY_WARNING));
        assert.ok(!awsEnvironmentWarnings({ ...AWS_ENV, ...ON }).includes(EXISTING_EKS_NETWORK_POLICY_WARNING));
    });

    describe("graphs", function () {
        // Graph runs under mocks take seconds each on a loaded machine.
        this.timeout(180000);
        it("the vpc-cni add-on carries enableNetworkPolicy only with NetworkPolicies on; kube-proxy and CoreDNS never change", async () => {
            const off = (await awsEnvironmentGraph(AWS_ENV)).g;
            const on = (await awsEnvironmentGraph({ ...AWS_ENV, ...ON })).g;
            // Off (the default): exactly the add-on of earlier releases, no configurationValues key at all.
            assert.ok(!("configurationValues" in off.one(ADDON, "dev-vpc-cni").inputs));
            assert.strictEqual(on.one(ADDON, "dev-vpc-cni").inputs.configurationValues, '{"enableNetworkPolicy":"true"}');
            const { configurationValues, ...rest } = on.one(ADDON, "dev-vpc-cni").inputs;
            assert.deepStrictEqual(rest, off.one(ADDON, "dev-vpc-cni").inputs, "nothing else of the add-on changes");
            for (const n of ["dev-kube-proxy", "dev-coredns"]) assert.deepStrictEqual(on.one(ADDON, n).inputs, off.one(ADDON, n).inputs, n);
        });

        it("an existing cluster: no add-on is created either way", async () => {
            const g = (await awsEnvironmentGraph({ ...AWS_EXISTING, ...ON })).g;
            assert.deepStrictEqual(g.byType(ADDON).filter((a) => ["vpc-cni", "kube-proxy", "coredns"].includes(a.inputs.addonName)), []);
        });
    });
});

describe("GCP and Azure: the package never changes the cluster's network settings, and says what is missing", () => {
    const CASES: [string, (a: any) => string | undefined, (a: any) => string[], RegExp, RegExp, RegExp][] = [
        ["GKE", gkeNetworkPolicyWarning, gcpEnvironmentWarnings,
            /has neither network policy enforcement nor GKE Dataplane V2.*not enforced/, /network policy enforcement or Dataplane V2.*existingCluster/,
            /existing GKE cluster.*GKE network policy enforcement, or GKE Dataplane V2/],
        ["AKS", aksNetworkPolicyWarning, azureEnvironmentWarnings,
            /leaves networkProfile\.networkPolicy unset \(none\).*not enforced/, /created with networkProfile\.networkPolicy \(azure, calico or cilium\).*existingCluster/,
            /existing AKS cluster.*networkProfile\.networkPolicy azure, calico or cilium/],
    ];
    for (const [cloud, warning, all, lacks, wayOut, existing] of CASES) {
        it(`${cloud}: a warning only with networkPolicies.enabled, naming what the cluster lacks and the way out`, () => {
            const w = warning(ON)!;
            assert.match(w, /^networkPolicies\.enabled: /);
            assert.match(w, lacks);
            assert.match(w, wayOut);
            assert.match(w, /does not change the cluster's network settings/);
            assert.ok(all(ON).includes(w), "the environment's warnings carry it (logged with pulumi.log.warn on the component)");
            assert.match(warning({ ...ON, existingCluster: { name: "prod" } })!, existing);
            for (const off of [{}, { networkPolicies: {} }, { networkPolicies: { enabled: false } }]) {
                assert.strictEqual(warning(off), undefined);
                assert.ok(!all(off).some((x) => x.startsWith("networkPolicies.")), JSON.stringify(off));
            }
        });
    }
});
