# Runs a Pulumi Python program for the volley language host (our stand-in for
# upstream's pulumi-language-python-exec, which ships only with the CLI).
# Usage: python -c <this> --monitor A --engine A --project P --stack S
#        --parallel N --dry_run true|false [--pwd D] [--organization O]
#        [--root_directory D] PROGRAM [ARGS...]
import argparse
import asyncio
import logging
import os
import runpy
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor

try:
    import pulumi
    import pulumi.runtime
except ImportError:
    print(traceback.format_exc(), file=sys.stderr)
    print("The Pulumi SDK is not installed. Run `pulumi install` (or pip install -r requirements.txt "
          "inside the project's virtualenv).", file=sys.stderr)
    sys.exit(1)

# Tells the language host the error was already shown to the user.
USER_ERROR_EXIT = 32

ap = argparse.ArgumentParser()
for flag in ("project", "root_directory", "stack", "parallel", "dry_run", "pwd",
             "monitor", "engine", "tracing", "organization"):
    ap.add_argument("--" + flag)
ap.add_argument("PROGRAM")
ap.add_argument("ARGS", nargs="*")
args = ap.parse_args()

pulumi.runtime.set_all_config(pulumi.runtime.get_config_env(),
                              pulumi.runtime.get_config_secret_keys_env())
parallel = int(args.parallel or 0)
settings = pulumi.runtime.Settings(
    project=args.project, stack=args.stack, monitor=args.monitor, engine=args.engine,
    parallel=parallel, dry_run=args.dry_run == "true",
    organization=args.organization, root_directory=args.root_directory)
pulumi.runtime.configure(settings)

sys.argv = [args.PROGRAM] + args.ARGS
if args.pwd:
    os.chdir(args.pwd)

loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
# Blocking SDK work runs in the default executor; size it by --parallel.
executor = ThreadPoolExecutor(max_workers=max(parallel, 1) * 4)
loop.set_default_executor(executor)
# Unobserved futures are expected when a program fails; keep asyncio quiet.
logging.getLogger("asyncio").setLevel(logging.CRITICAL)

def _monitor_gone(e: BaseException) -> bool:
    """The engine shut its resource monitor after an error it already reported
    (a failed validation, say): nothing new to tell the user."""
    while e is not None:
        if "resource monitor shut down" in str(e):
            return True
        e = e.__cause__ or e.__context__
    return False


exit_code = 1
try:
    loop.run_until_complete(pulumi.runtime.run_in_stack(
        lambda: runpy.run_path(args.PROGRAM, run_name="__main__")))
    exit_code = 0
except pulumi.RunError as e:
    pulumi.log.error(str(e))
except KeyboardInterrupt:
    # The host interrupts the program when the engine ends the run (after an
    # error the engine has already reported): a traceback would only repeat it.
    exit_code = USER_ERROR_EXIT
except Exception as e:  # report any failure of the user's program through the engine
    if _monitor_gone(e):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(USER_ERROR_EXIT)
    # Start the traceback at the first frame of the user's program, hiding
    # this script, runpy and the SDK's stack machinery.
    te = traceback.TracebackException.from_exception(e)
    prog = os.path.abspath(args.PROGRAM)
    if os.path.isdir(prog):
        prog = os.path.join(prog, "__main__.py")
    for i, f in enumerate(te.stack):
        if os.path.abspath(f.filename) == prog:
            te.stack = traceback.StackSummary.from_list(te.stack[i:])
            break
    pulumi.log.error("Program failed with an unhandled exception:\n" + "".join(te.format()))
    exit_code = USER_ERROR_EXIT
finally:
    try:
        executor.shutdown(wait=True)
    except KeyboardInterrupt:
        pass
    loop.close()
    sys.stdout.flush()
    sys.stderr.flush()
sys.exit(exit_code)
