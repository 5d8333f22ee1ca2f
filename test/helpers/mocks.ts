import * as pulumi from "@pulumi/pulumi";
import { disconnect } from "@pulumi/pulumi/runtime/settings";
import { RuntimeConfig } from "./stack-config";

export const PROJECT = "auth0-mcp";

/** One resource as the program declared it: what a reviewer of `pulumi preview` would check. */
export interface RecordedResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** `type::name` of the parent, or undefined when parented to the stack. */
    parent: string | undefined;
    import: string | undefined;
    retainOnDelete: boolean | undefined;
    /** `type::name` of explicit dependencies. */
    dependsOn: string[];
}

export interface RunResult {
    /** Resources seen by a stack transformation, in declaration order (components included). */
    resources: RecordedResource[];
    /** Resource registrations that reached the (mock) engine, the stack itself excluded. */
    registrations: { type: string; name: string; custom: boolean }[];
    outputs: Record<string, unknown> | undefined;
    error: unknown;
}

const key = (r: pulumi.Resource, names: Map<pulumi.Resource, string>) => names.get(r) ?? "stack";

/** Resolves every Output nested in a value (mocks run with known values). */
export function resolveDeep<T>(value: T): Promise<unknown> {
    return new Promise((resolve) => {
        pulumi.output(value as pulumi.Input<Record<string, unknown>>).apply((v) => {
            resolve(v);
            return v;
        });
    });
}

/**
 * Runs `body` as a Pulumi program under mocks with `config`, recording every resource with its inputs, parent
 * and options. Config errors thrown by the body are returned, not raised, so tests can also count what was
 * registered before (it must be nothing).
 */
export async function runUnderMocks(
    config: RuntimeConfig,
    body: () => unknown | Promise<unknown>,
    secretKeys: string[] = [],
): Promise<RunResult> {
    const registrations: RunResult["registrations"] = [];
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                registrations.push({ type: args.type, name: args.name, custom: args.custom ?? false });
                const state: Record<string, unknown> = { ...args.inputs };
                if (args.type === "auth0:index/clientCimd:ClientCimd")
                    state.clientId = `cimd-client-id-for-${args.name}`;
                return { id: args.id || `${args.name}-id`, state };
            },
            call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
        },
        PROJECT,
        "test",
        false,
    );
    pulumi.runtime.setAllConfig(config, secretKeys);

    const resources: RecordedResource[] = [];
    const names = new Map<pulumi.Resource, string>();
    let error: unknown;
    let outputs: Record<string, unknown> | undefined;
    let returned: unknown;
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            pulumi.runtime.registerStackTransformation((args) => {
                names.set(args.resource, `${args.type}::${args.name}`);
                const dependsOn = args.opts.dependsOn;
                const deps = (Array.isArray(dependsOn) ? dependsOn : dependsOn ? [dependsOn] : []) as pulumi.Resource[];
                resources.push({
                    type: args.type,
                    name: args.name,
                    props: args.props,
                    parent: args.opts.parent ? key(args.opts.parent, names) : undefined,
                    import: (args.opts as pulumi.CustomResourceOptions).import as string | undefined,
                    retainOnDelete: args.opts.retainOnDelete,
                    dependsOn: deps.map((d) => key(d, names)),
                });
                return undefined;
            });
            try {
                returned = await body();
                return returned;
            } catch (e) {
                error = e;
                return undefined;
            }
        });
    } catch (e) {
        error ??= e;
    }
    // Components register their outputs asynchronously; let every RPC land before the next test resets the mocks.
    await disconnect();
    if (returned !== undefined) outputs = (await resolveDeep(returned)) as Record<string, unknown>;
    return {
        resources,
        registrations: registrations.filter((r) => r.type !== "pulumi:pulumi:Stack"),
        outputs,
        error,
    };
}

/** The props a resource was declared with, Outputs resolved; unset (undefined) args dropped. */
export async function resolvedProps(resource: RecordedResource): Promise<Record<string, unknown>> {
    const resolved = (await resolveDeep(resource.props)) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(resolved).filter(([, v]) => v !== undefined));
}
