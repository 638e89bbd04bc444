"""The generated Python SDK under the Python SDK's mocks: each component
registers the right type token with the inputs the program gave, in the
schema's (camelCase) property names, with secrets kept secret."""
import pulumi
import pytest


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self):
        self.resources = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.resources.append(args)
        # Echo the inputs and give each component the outputs a real one has.
        outputs = dict(args.inputs)
        if args.typ == "volley:index:KubernetesEnvironment":
            outputs["environment"] = {
                "name": args.name, "kubeconfig": "", "operatorNamespace": "volley-system",
                "crdName": "volleyapplications.volley.io",
                "streamPlacement": {"nodeSelector": {"volley.io/pool": "stream-processing"}, "tolerations": []},
                "systemPlacement": {"nodeSelector": {}, "tolerations": []},
                "kedaEnabled": True, "prometheusEnabled": True,
            }
        if args.typ == "volley:index:Application":
            outputs.update({"claimName": args.inputs.get("name", args.name) + "-shared-ckpt", "phase": "Running"})
        return [args.name + "-id", outputs]

    def call(self, args):
        return {}

    def of_type(self, token):
        return [r for r in self.resources if r.typ == token]


mocks = RecordingMocks()
pulumi.runtime.set_mocks(mocks, preview=False)

import pulumi_volley as volley  # noqa: E402  (after set_mocks, as the SDK docs require)


def resolved(output):
    """Future with the value of an Output."""
    fut = pulumi.Output.from_input(output).future()
    return fut


@pulumi.runtime.test
def test_environment_and_application():
    env = volley.KubernetesEnvironment(
        "dev",
        operator=volley.VolleyOperatorSettingsArgs(image="registry.example.com/volley-k8s-operator:0.1.0"),
        kubeconfig="apiVersion: v1\nkind: Config\n",
        checkpoints=volley.CheckpointStorageArgs(storage_class_name="efs-rwx", size="20Gi"),
        keda=volley.KedaSettingsArgs(enabled=True),
        prometheus=volley.PrometheusSettingsArgs(mode=volley.PrometheusMode.CRDS),
        stream_nodes=volley.StreamNodesArgs(
            labels={"volley.io/pool": "stream-processing"},
            taints=[volley.TaintArgs(key="volley.io/dedicated", value="true", effect=volley.TaintEffect.NO_SCHEDULE)],
        ),
    )
    app = volley.Application(
        "agg",
        environment=env.environment,
        image="registry.example.com/agg:v1",
        resources=volley.ResourceRequirementsArgs(requests={"cpu": "2", "memory": "4Gi"}),
        replicas=3,
        cluster=volley.ClusterSpecArgs(max_key_groups=128),
        autoscaling=volley.AutoscalingSpecArgs(
            enabled=True, min_replicas=1, max_replicas=6,
            triggers=[volley.AutoscalingTriggerArgs(type="kafka", metadata={"topic": "in", "lagThreshold": "1000"})],
        ),
    )

    def check(values):
        claim, phase = values
        [e] = mocks.of_type("volley:index:KubernetesEnvironment")
        assert e.inputs["checkpoints"] == {"storageClassName": "efs-rwx", "size": "20Gi"}
        assert e.inputs["prometheus"] == {"mode": "crds"}
        assert e.inputs["streamNodes"]["taints"] == [{"key": "volley.io/dedicated", "value": "true", "effect": "NoSchedule"}]
        # The schema marks kubeconfig secret, so the SDK sends it as a secret.
        assert e.inputs["kubeconfig"]["value"] == "apiVersion: v1\nkind: Config\n"
        assert pulumi.runtime.rpc.is_rpc_secret(e.inputs["kubeconfig"])
        [a] = mocks.of_type("volley:index:Application")
        assert a.inputs["image"] == "registry.example.com/agg:v1"
        assert a.inputs["replicas"] == 3
        assert a.inputs["cluster"] == {"maxKeyGroups": 128}
        assert a.inputs["autoscaling"]["triggers"][0]["metadata"] == {"topic": "in", "lagThreshold": "1000"}
        assert a.inputs["environment"]["operatorNamespace"] == "volley-system"
        # Schema defaults are applied by the SDK.
        assert a.inputs["awaitRunning"] is True
        assert claim == "agg-shared-ckpt"
        assert phase == "Running"

    return pulumi.Output.all(app.claim_name, app.phase).apply(check)


@pulumi.runtime.test
def test_kubeconfig_output_is_secret():
    env = volley.KubernetesEnvironment("sec", operator={"image": "registry.example.com/volley-k8s-operator:0.1.0"}, kubeconfig="apiVersion: v1")

    async def check():
        assert await env.kubeconfig.is_secret(), "kubeconfig must be a secret output"

    return pulumi.Output.from_input(check())


@pulumi.runtime.test
def test_observability_inputs():
    stack = volley.PrometheusStack(
        "mon",
        observability=volley.VolleyObservabilityArgs(
            dashboard=False,
            alerts=volley.VolleyAlertsArgs(
                labels={"team": "streams"},
                checkpoint_interval="30s",
                backpressure=volley.AlertTuningArgs(threshold=0.9, for_duration="15m", severity="critical"),
            ),
        ),
    )

    def check(_):
        [p] = mocks.of_type("volley:index:PrometheusStack")
        obs = p.inputs["observability"]
        assert obs["dashboard"] is False
        assert obs["alerts"]["labels"] == {"team": "streams"}
        assert obs["alerts"]["checkpointInterval"] == "30s"
        # `for` is a Python keyword: the input is `for_duration`, sent as `forDuration`.
        assert {k: obs["alerts"]["backpressure"][k] for k in ("threshold", "forDuration", "severity")} == \
            {"threshold": 0.9, "forDuration": "15m", "severity": "critical"}

    return stack.urn.apply(check)


def test_every_component_and_input_is_documented():
    import inspect
    import json
    import pathlib
    schema = json.loads((pathlib.Path(__file__).parents[3] / "schema.json").read_text())
    for token, res in schema["resources"].items():
        name = token.split(":")[-1]
        source = inspect.getsource(inspect.getmodule(getattr(volley, name)))
        first_line = res["description"].splitlines()[0]
        assert first_line in source, f"{name}: description missing from the Python SDK"
        for prop, spec in res["inputProperties"].items():
            assert spec.get("description"), f"{name}.{prop} has no description"
    assert volley.TaintEffect.NO_SCHEDULE == "NoSchedule"
