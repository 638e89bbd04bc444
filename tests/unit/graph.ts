// Records every resource a program registers under Pulumi's mocks, with what
// the engine would see: type, name, parent, dependencies, inputs, options.
import * as pulumi from "@pulumi/pulumi";

export interface Registered {
    type: string;
    name: string;
    urn: string;
    parent: string;
    /** URNs of resources this one depends on, explicit and through its inputs. */
    dependencies: string[];
    inputs: any;
    provider: string;
    retainOnDelete: boolean;
    custom: boolean;
    /** Properties whose changes the engine ignores. */
    ignoreChanges: string[];
    /** URN of the resource whose deletion deletes this one (its own delete is skipped), or empty. */
    deletedWith: string;
    /** Whether a replacement deletes this resource before creating the new one. */
    deleteBeforeReplace: boolean;
    /** The `transforms` resource option, callable: the engine would run them on this resource's children. */
    transforms: pulumi.ResourceTransform[];
    /** With `previous`: the inputs the engine would send to the provider (ignored changes keep their old value). */
    effectiveInputs?: any;
}

export class Graph {
    readonly resources: Registered[] = [];

    byType(type: string): Registered[] {
        return this.resources.filter((r) => r.type === type);
    }

    one(type: string, name?: string): Registered {
        const hits = this.byType(type).filter((r) => name === undefined || r.name === name);
        if (hits.length !== 1) {
            throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, got ${hits.length}: ${hits.map((h) => h.name).join(", ")}`);
        }
        return hits[0];
    }

    /** `type::name` of every registered resource, sorted, for exact-children assertions. */
    names(): string[] {
        return this.resources.map((r) => `${r.type}::${r.name}`).sort();
    }

    /** Whether `from` depends (directly) on `to`. */
    dependsOn(from: Registered, to: Registered): boolean {
        return from.dependencies.includes(to.urn);
    }
}

export interface CaptureOptions {
    /** Run as a preview (unknown outputs stay unknown). Defaults to false. */
    preview?: boolean;
    /** Extra outputs a resource gets besides its inputs (e.g. a cluster's endpoint or ARN). */
    outputs?: (args: pulumi.runtime.MockResourceArgs) => Record<string, any> | undefined;
    /** ID of a custom resource (e.g. an Azure resource ID); defaults to `<name>-id`. */
    id?: (args: pulumi.runtime.MockResourceArgs) => string | undefined;
    /** Results of invokes (data sources); defaults to echoing the inputs. */
    call?: (args: pulumi.runtime.MockCallArgs) => Record<string, any>;
    /**
     * The inputs an earlier deployment left in the state, by `type::name` (e.g.
     * from a preview the real engine recorded). A resource found here is an
     * update: as the engine does with `ignoreChanges`, every ignored property
     * keeps its old value, in what the provider gets and in the outputs the
     * program sees.
     */
    previous?: Record<string, any>;
}

/** The keys of a Pulumi property path: `a.b[0].c` is a, b, 0, c (ignoreChanges uses this syntax). */
function keysOf(p: string): (string | number)[] {
    return p.split(".").flatMap((part) => {
        const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
        if (!m || !m[2]) return [part];
        return [...(m[1] ? [m[1]] : []), ...[...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]))];
    });
}

function getPath(o: any, p: string): any {
    return keysOf(p).reduce((x: any, k) => (x === undefined || x === null ? undefined : x[k]), o);
}

function setPath(o: any, p: string, v: any): any {
    const keys = keysOf(p);
    const copy = (x: any, k: string | number) => (Array.isArray(x) ? [...x] : x && typeof x === "object" ? { ...x } : typeof k === "number" ? [] : {});
    const out = copy(o, keys[0]);
    let at = out;
    keys.slice(0, -1).forEach((k, i) => { at[k] = copy(at[k], keys[i + 1]); at = at[k]; });
    at[keys[keys.length - 1]] = v;
    return out;
}

/** `o` without the property at `p` (called only where `o` has it, so every parent exists). */
function deletePath(o: any, p: string): any {
    const keys = keysOf(p);
    const out = setPath(o, p, undefined);
    const holder = keys.slice(0, -1).reduce((x: any, k) => x[k], out);
    if (!Array.isArray(holder)) delete holder[keys[keys.length - 1]];
    return out;
}

/**
 * `inputs` with every ignored property set back to its value in `old`, or
 * removed where `old` lacks it: Pulumi's `ignoreChanges` (pkg/resource/deploy/
 * step_generator.go processIgnoreChanges: hasOld -> Set, !hasOld && hasNew -> Delete).
 */
export function withIgnoredChanges(inputs: any, old: any, ignoreChanges: string[]): any {
    return ignoreChanges.reduce((acc, p) => {
        if (getPath(old, p) !== undefined) return setPath(acc, p, getPath(old, p));
        return getPath(acc, p) === undefined ? acc : deletePath(acc, p);
    }, inputs);
}

/** Runs `program` under mocks and returns what it registered. */
export async function capture(program: () => unknown, opts: CaptureOptions = {}): Promise<Graph> {
    const graph = new Graph();
    // ignoreChanges of each registration (by type::name), and what the engine would send for it.
    const ignored = new Map<string, string[]>();
    const effective = new Map<string, any>();
    await pulumi.runtime.setMocks({
        newResource: (args) => {
            const key = `${args.type}::${args.name}`;
            const old = opts.previous?.[key];
            const inputs = old ? withIgnoredChanges(args.inputs, old, ignored.get(key) ?? []) : args.inputs;
            effective.set(key, inputs);
            // An ignored property the old state lacked stays unset in the state, as the provider reports it
            // (null: the SDK's mocks would otherwise fill a missing output from the program's input).
            const unset = old ? (ignored.get(key) ?? []).filter((p) => getPath(old, p) === undefined && getPath(args.inputs, p) !== undefined) : [];
            const state = unset.reduce((acc, p) => setPath(acc, p, null), { ...inputs });
            return {
                id: args.custom ? (opts.id?.(args) ?? `${args.name}-id`) : undefined,
                state: { ...state, ...(opts.outputs?.(args) ?? {}) },
            };
        },
        // Pulumi's mocks take the invoke's outputs directly.
        call: (args) => (opts.call ? opts.call(args) : args.inputs),
    }, "project", "stack", opts.preview ?? false);
    // Pulumi's mocks refuse the `transforms` option (the engine calls them back
    // over a callback server, which mocks lack). Accept them and record each
    // with the resource it was given to, so tests can call them as the engine would.
    const transforms = new Map<string, pulumi.ResourceTransform>();
    const store = require("@pulumi/pulumi/runtime/state").getStore();
    store.supportsTransforms = true;
    store.callbacks = {
        awaitStackRegistrations: async () => undefined,
        registerTransform: async (t: pulumi.ResourceTransform) => {
            const { Callback } = require("@pulumi/pulumi/proto/callback_pb");
            const c = new Callback();
            c.setTarget("mock");
            c.setToken(`transform-${transforms.size}`);
            transforms.set(c.getToken(), t);
            return c;
        },
    };
    const monitor: any = (pulumi.runtime as any).getMonitor();
    // The mock monitor hands an invoke's result back wrapped in `{ outputs }`;
    // unwrap it so data sources (getCluster, getProject, ...) return what they should.
    const call = monitor.mocks.call.bind(monitor.mocks);
    monitor.mocks.call = async (a: any) => {
        const r = await call(a);
        return r && Object.keys(r).length === 1 && "outputs" in r ? r.outputs : r;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: any) => {
        const key = `${req.getType()}::${req.getName()}`;
        ignored.set(key, req.getIgnorechangesList?.() ?? []);
        register(req, (err: any, resp: any) => {
            if (!err) {
                const propertyDeps: string[] = [];
                req.getPropertydependenciesMap().forEach((v: any) => propertyDeps.push(...v.getUrnsList()));
                graph.resources.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn: resp.getUrn(),
                    parent: req.getParent(),
                    dependencies: [...new Set([...req.getDependenciesList(), ...propertyDeps])],
                    inputs: pulumi.runtime.deserializeProperties(req.getObject()),
                    provider: req.getProvider(),
                    retainOnDelete: req.getRetainondelete?.() ?? false,
                    custom: req.getCustom(),
                    ignoreChanges: req.getIgnorechangesList?.() ?? [],
                    deletedWith: req.getDeletedwith?.() ?? "",
                    deleteBeforeReplace: req.getDeletebeforereplace?.() ?? false,
                    transforms: (req.getTransformsList?.() ?? []).map((c: any) => transforms.get(c.getToken())!),
                    effectiveInputs: opts.previous ? effective.get(key) : undefined,
                });
            }
            callback(err, resp);
        });
    };
    program();
    // Let every registration and apply settle.
    for (let i = 0; i < 20; i++) {
        await (pulumi.runtime as any).waitForRPCs?.();
        await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 50));
    return graph;
}

/** The value of an Output, for assertions. */
export function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => { resolve(v); return v; }));
}
