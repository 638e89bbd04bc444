// Helm release names derived from an environment's name (issue 21 item 5):
// every environment refuses at preview a name whose releases Helm would
// refuse once the cluster exists.
import * as assert from "assert";
import * as path from "path";
import { HELM_RELEASE_NAME, helmReleaseNameIssue } from "../../provider/core/names";
import { COMPONENTS } from "../../provider/registry";
import { platformReleaseSuffixes } from "../../provider/kubernetes/validate/platform";
import { KubernetesEnvironment } from "../../provider/kubernetes/kubernetesEnvironment";
import { chartsDir } from "./charts";
import { capture } from "./graph";
import { OPERATOR } from "./validate.test";

// Helm's own table (helm/helm pkg/chartutil/validate_name_test.go, TestValidateReleaseName).
const HELM_CASES: [string, boolean][] = [
    ["foo", true], ["foo.bar1234baz.seventyone", true], ["FOO", false], ["123baz", true], ["foo.BAR.baz", false],
    ["one-two", true], ["-two", false], ["one_two", false], ["a..b", false], ["%^&#$%*@^*@&#^", false],
    ["example:com", false], ["example%%com", false], ["a1111111111111111111111111111111111111111111111111111111111z", false],
];

describe("Helm release names (core)", () => {
    for (const [name, ok] of HELM_CASES) {
        it(`${JSON.stringify(name)} is ${ok ? "a valid" : "an invalid"} release name, as in Helm's table`, () => {
            assert.strictEqual(helmReleaseNameIssue(name) === undefined, ok, helmReleaseNameIssue(name));
        });
    }
    it("allows 53 characters and not 54 (Helm's maxReleaseNameLen)", () => {
        assert.strictEqual(helmReleaseNameIssue("a".repeat(53)), undefined);
        assert.match(helmReleaseNameIssue("a".repeat(54))!, /at most 53/);
    });
});

describe("the platform's releases are the table the validators use", () => {
    it("KubernetesEnvironment with KEDA, Prometheus and Strimzi registers exactly `<name><suffix>` charts", async () => {
        const args = { operator: OPERATOR, kafka: { mode: "strimzi", strimzi: { chartPath: path.join(chartsDir(), "strimzi-kafka-operator-1.2.0") } } };
        const g = await capture(() => new KubernetesEnvironment("dev", args as any));
        // helm.v4.Chart uses its resource name as the Helm release name (pulumi-kubernetes helm/v4/chart.go).
        const charts = g.byType("kubernetes:helm.sh/v4:Chart").map((c) => c.name).sort();
        assert.deepStrictEqual(charts, platformReleaseSuffixes(args).map((s) => `dev${s}`).sort());
        assert.strictEqual(charts.length, 3);
    });
    it("without KEDA and Prometheus and with no Strimzi, nothing is a release", () => {
        assert.deepStrictEqual(platformReleaseSuffixes({ keda: { enabled: false }, prometheus: { mode: "none" } }), []);
    });
});

describe("environment names and Helm's rule, at preview", () => {
    const GOOD: Record<string, any> = {
        "volley:index:KubernetesEnvironment": { operator: OPERATOR },
        "volley:index:GcpEnvironment": { operator: OPERATOR, project: "my-project", location: "us-central1-a" },
        "volley:index:AzureEnvironment": { operator: OPERATOR },
    };
    // The longest release a default environment installs is `<name>-prometheus-chart`.
    const MAX = HELM_RELEASE_NAME.max - "-prometheus-chart".length;
    const table: [name: string, extra: any, ok: boolean, reason?: RegExp][] = [
        ["dev", {}, true],
        ["Dev", {}, false, /lower-case letters.*got "Dev"; choose a lower-case name such as "dev"/],
        ["team_a", {}, false, /Helm release name/],
        ["-dev", {}, false, /starting and ending with a letter or digit/],
        ["e".repeat(MAX), {}, true],
        ["e".repeat(MAX + 1), {}, false, new RegExp(`at most ${MAX} characters: it names the Helm releases .*-prometheus-chart`)],
        // Without Prometheus the longest release is `<name>-keda-chart`.
        ["e".repeat(MAX + 1), { prometheus: { mode: "none" } }, true],
        ["e".repeat(HELM_RELEASE_NAME.max - "-keda-chart".length + 1), { prometheus: { mode: "none" } }, false, /-keda-chart/],
        // No Helm release at all: the name is not Helm's business.
        ["Dev", { prometheus: { mode: "none" }, keda: { enabled: false } }, true],
    ];
    for (const token of Object.keys(GOOD)) {
        for (const [name, extra, ok, reason] of table) {
            it(`${token.split(":")[2]} named ${JSON.stringify(name.length > 12 ? `${name.length} characters` : name)}${Object.keys(extra).length ? ` with ${JSON.stringify(extra)}` : ""} is ${ok ? "accepted" : "refused"}`, () => {
                const issues = COMPONENTS[token].validate({ ...GOOD[token], ...extra }, name).filter((i) => i.propertyPath === "name");
                if (ok) assert.deepStrictEqual(issues, []);
                else {
                    assert.strictEqual(issues.length, 1, JSON.stringify(issues));
                    assert.match(issues[0].reason, reason!);
                    assert.match(issues[0].reason, new RegExp(`^the ${token.split(":")[2]} resource name`));
                }
            });
        }
    }
});
