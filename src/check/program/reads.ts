/**
 * Answers the program's reads of existing resources (`Resource.get`, `new pulumi.StackReference`): at preview
 * the engine asks the provider (or the backend, for another stack's outputs) for the real state, which the
 * offline check does not have. A read with a canned state in the `--invoke-results` file (keyed by the resource
 * type, cases matched on `{ "name", "id" }`) gets it; any other read fails the run, naming the resource and the
 * program line, instead of handing the program an empty state that policies would then judge.
 */
import * as path from "node:path";
import { engineUrn } from "../recorder";
import { findInvokeResult, type InvokeResults } from "./invoke-results";
import type { ProblemLog } from "./problems";

interface ReadRequest {
    getType(): string;
    getName(): string;
    getId(): string;
    getParent(): string;
    getSourceposition?(): { getUri(): string; getLine(): number } | undefined;
}

export interface ReadModules {
    resourcePb: { ReadResourceResponse: new () => { setUrn(v: string): void; setProperties(v: unknown): void } };
    struct: { Struct: { fromJavaScript(v: Record<string, unknown>): unknown } };
}

type Callback = (err: Error | null, resp?: unknown) => void;

const GRPC_UNKNOWN = 2;

function location(req: ReadRequest, programDir: string): string | undefined {
    const pos = req.getSourceposition?.();
    if (!pos || !pos.getUri()) {
        return undefined;
    }
    const uri = pos.getUri();
    const file = uri.startsWith("file://") ? decodeURIComponent(new URL(uri).pathname) : uri;
    return file.split(path.sep).includes("node_modules")
        ? undefined
        : `${path.relative(programDir, file)}:${pos.getLine()}`;
}

export function installReads(
    monitor: Record<string, unknown>,
    mods: ReadModules,
    results: InvokeResults,
    problems: ProblemLog,
    names: { project: string; stack: string; programDir: string },
): void {
    const mockStore = monitor["resources"] as
        Map<string, { urn: string; id: string | null; state: unknown }> | undefined;
    monitor["readResource"] = (req: ReadRequest, callback: Callback) => {
        const type = req.getType();
        const name = req.getName();
        const id = req.getId();
        const state = findInvokeResult(results, type, { name, id });
        if (state) {
            const urn = engineUrn(names.stack, names.project, req.getParent(), type, name);
            mockStore?.set(urn, { urn, id, state });
            const resp = new mods.resourcePb.ReadResourceResponse();
            resp.setUrn(urn);
            resp.setProperties(mods.struct.Struct.fromJavaScript(state));
            callback(null, resp);
            return;
        }
        const site = location(req, names.programDir);
        const what =
            type === "pulumi:pulumi:StackReference"
                ? `another stack's outputs (StackReference "${name}")`
                : `the existing resource ${type} "${name}" (id ${id})`;
        const message =
            `the program reads ${what}, which needs ${type === "pulumi:pulumi:StackReference" ? "the backend" : "the provider and Auth0"} and cannot run offline` +
            (results[type] ? "; no case in the invoke results file matches it" : "");
        problems.add({ kind: "invoke", message, ...(site ? { location: site } : {}) });
        callback(Object.assign(new Error(message), { code: GRPC_UNKNOWN, details: message }));
    };
}
