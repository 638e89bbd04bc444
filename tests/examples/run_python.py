"""Runs a Python example under the Pulumi SDK's mocks, so a wrong argument
name or type in an example fails here, not in a user's first `pulumi up`."""
import json
import os
import runpy
import sys

import pulumi


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return [args.name + "-id", dict(args.inputs)]

    def call(self, args):
        return {}


example = os.path.abspath(sys.argv[1])
project = os.path.basename(os.path.dirname(example))
config = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
pulumi.runtime.set_all_config({f"{project}:{k}": v for k, v in config.items()})
pulumi.runtime.set_mocks(Mocks(), project=project, stack="test", preview=True)


@pulumi.runtime.test
def run():
    runpy.run_path(example, run_name="__main__")


run()
print(f"ok {example}")
