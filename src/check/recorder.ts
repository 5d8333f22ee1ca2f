/**
 * Runs inside the program child process. Takes over the mock resource monitor's registration calls so that every
 * resource is recorded exactly as the engine would receive it at preview (after the provider's Check), and answered
 * the way the engine answers a preview of a create: the provider's planned outputs, the ID unknown (provider/).
 */
import * as path from "node:path";
import { ProviderEmulator } from "./provider/emulator";
import type { PriorState } from "./provider/prior-state";
import { withoutResourceReferences } from "./provider/references";
import type { RecordedResource, WireProperties } from "./types";

/** The slice of `@pulumi/pulumi` (resolved from the program's directory) the recorder uses. */
export interface PulumiModules {
    runtime: {
        setMocks(
            mocks: unknown,
            project: string,
            stack: string,
            preview: boolean,
            organization?: string,
        ): Promise<void>;
        getMonitor(): unknown;
        setAllConfig(c: Record<string, string>, secretKeys?: string[]): void;
        runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
        waitForRPCs?: () => Promise<void>;
    };
    resourcePb: { RegisterResourceResponse: new () => ResponseLike };
    struct: { Struct: { fromJavaScript(v: Record<string, unknown>): unknown } };
}

interface ResponseLike {
    setUrn(v: string): void;
    setId(v: string): void;
    setObject(v: unknown): void;
}

/** The subset of a RegisterResourceRequest (generated protobuf message) the recorder reads. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): { toJavaScript(): WireProperties } | undefined;
    getProtect(): boolean;
    getDependenciesList(): string[];
    getProvider(): string;
    getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
    getDeletebeforereplace(): boolean;
    getDeletebeforereplacedefined(): boolean;
    getVersion(): string;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    /** Alias URNs; SDKs before alias specs send them as `aliases` (getAliasesList). */
    getAliasurnsList?(): string[];
    getAliasesList?(): string[];
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
    /** Absent from SDKs older than source positions (e.g. 3.0). */
    getSourceposition?(): { getUri(): string; getLine(): number } | undefined;
    /** The registration's call stack; absent from SDKs older than stack traces. */
    getStacktrace?():
        { getFramesList(): Array<{ getPc(): { getUri(): string; getLine(): number } | undefined }> } | undefined;
}

interface OutputsRequest {
    getUrn(): string;
    getOutputs(): { toJavaScript(): WireProperties } | undefined;
}

type Callback = (err: Error | null, resp?: unknown) => void;

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The URN the engine gives a resource: the parent's qualified type is prefixed, except for the root stack. */
export function engineUrn(stack: string, project: string, parentUrn: string, type: string, name: string): string {
    let qualified = type;
    if (parentUrn) {
        const parentQualified = parentUrn.split("::")[2] ?? "";
        const parentType = parentQualified.split("$").pop();
        if (parentType !== ROOT_STACK_TYPE) {
            qualified = `${parentQualified}$${type}`;
        }
    }
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** Pulumi custom timeouts are strings like "5m"; the analyzer wants seconds. */
function seconds(s: string | undefined): number {
    if (!s) {
        return 0;
    }
    const re = /(\d+(?:\.\d+)?)(h|m|s|ms|us|ns)/g;
    const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 };
    let total = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
        total += Number(m[1]) * (unit[m[2]] ?? 0);
    }
    return total;
}

/** Told of each resource as it is recorded, and of each later change to a recorded resource's outputs. */
export interface RecordingListener {
    recorded(resource: RecordedResource): void;
    outputsChanged(index: number): void;
}

/**
 * Replaces the mock monitor's registration methods. Returns the live list of recorded resources.
 * @param priorState resources the stack already has (`--state`): previewed as updates instead of creates.
 */
export function installRecorder(
    monitor: Record<string, unknown>,
    mods: PulumiModules,
    names: { project: string; stack: string },
    programDir: string,
    priorState: PriorState = {},
    listener?: RecordingListener,
): RecordedResource[] {
    const recorded: RecordedResource[] = [];
    const byUrn = new Map<string, { resource: RecordedResource; index: number }>();
    const mockStore = monitor["resources"] as Map<string, { urn: string; id: string | null; state: unknown }>;
    const provider = new ProviderEmulator(programDir, priorState);
    const files = new ProgramFiles(programDir);

    monitor["newUrn"] = (parent: string, type: string, name: string) =>
        engineUrn(names.stack, names.project, parent, type, name);

    monitor["registerResource"] = (req: RegisterRequest, callback: Callback) => {
        try {
            const urn = engineUrn(names.stack, names.project, req.getParent(), req.getType(), req.getName());
            const registered = req.getObject()?.toJavaScript() ?? {};
            const emulated = emulateProvider(provider, req, urn, registered);
            const resource = recordedResource(req, urn, emulated, files);
            if (byUrn.has(urn)) {
                throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
            }
            byUrn.set(urn, { resource, index: recorded.length });
            recorded.push(resource);
            listener?.recorded(resource);
            // Preview of a create: no ID yet; the program sees the planned outputs (components: their inputs).
            const answer = req.getCustom() ? emulated.outputs : registered;
            mockStore.set(urn, { urn, id: null, state: answer });
            const resp = new mods.resourcePb.RegisterResourceResponse();
            resp.setUrn(urn);
            resp.setId("");
            resp.setObject(mods.struct.Struct.fromJavaScript(answer));
            callback(null, resp);
        } catch (e) {
            callback(e as Error);
        }
    };

    monitor["registerResourceOutputs"] = (req: OutputsRequest, callback: Callback) => {
        try {
            const entry = byUrn.get(req.getUrn());
            if (!entry) {
                throw new Error(`unknown resource ${req.getUrn()}`);
            }
            entry.resource.outputs = withoutResourceReferences(req.getOutputs()?.toJavaScript() ?? {});
            listener?.outputsChanged(entry.index);
            callback(null, {});
        } catch (e) {
            callback(e as Error);
        }
    };

    return recorded;
}

/**
 * What the provider's Check and Create(preview) make of a registration; a Check failure fails the registration,
 * as it fails `pulumi preview`.
 */
function emulateProvider(provider: ProviderEmulator, req: RegisterRequest, urn: string, registered: WireProperties) {
    const emulated = provider.register({
        urn,
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        inputs: registered,
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    });
    if (!emulated.ok) {
        throw new Error(emulated.message);
    }
    return emulated;
}

/** The resource as the analyzer will see it: the registration's fields and options with the emulated inputs and outputs. */
function recordedResource(
    req: RegisterRequest,
    urn: string,
    emulated: ReturnType<typeof emulateProvider>,
    files: ProgramFiles,
): RecordedResource {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((v, k) => {
        propertyDependencies[k] = v.getUrnsList();
    });
    const timeouts = req.getCustomtimeouts();
    return {
        urn,
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        parent: req.getParent(),
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        provider: req.getProvider(),
        version: req.getVersion(),
        inputs: emulated.inputs,
        outputs: emulated.outputs,
        options: {
            protect: req.getProtect(),
            ignoreChanges: req.getIgnorechangesList(),
            ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            aliases: req.getAliasurnsList?.() ?? req.getAliasesList?.() ?? [],
            customTimeouts: {
                create: seconds(timeouts?.getCreate()),
                update: seconds(timeouts?.getUpdate()),
                delete: seconds(timeouts?.getDelete()),
            },
        },
        ...sourceOf(req.getSourceposition?.(), files),
        ...callStackOf(req.getStacktrace?.(), files),
        ...(req.getCustom() ? { plannedOutputs: emulated.plannedOutputs } : {}),
        ...(emulated.note ? { plannedOutputsNote: emulated.note } : {}),
    };
}

/** The registration's call stack without node_modules frames, innermost first (report locations walk it). */
function callStackOf(
    trace: ReturnType<NonNullable<RegisterRequest["getStacktrace"]>>,
    files: ProgramFiles,
): Pick<RecordedResource, "callStack"> {
    const frames = (trace?.getFramesList() ?? []).flatMap((f) => sourceOf(f.getPc(), files).source ?? []);
    return frames.length > 0 ? { callStack: frames } : {};
}

/** The declaring file and line, unless it is inside node_modules (e.g. the SDK's own root stack). */
function sourceOf(
    pos: { getUri(): string; getLine(): number } | undefined,
    files: ProgramFiles,
): Pick<RecordedResource, "source"> {
    const file = pos ? files.fileOf(pos.getUri()) : undefined;
    return pos && file ? { source: { uri: file, line: pos.getLine() } } : {};
}

/**
 * Source-position URIs as files of the program, each URI resolved once: every registration's stack repeats the
 * same few dozen (the language host's, ts-node's, the SDK's and the program's own files).
 */
class ProgramFiles {
    private readonly files = new Map<string, string | undefined>();

    constructor(private readonly programDir: string) {}

    /** The absolute file a URI names, or undefined for none or one inside node_modules. */
    fileOf(uri: string): string | undefined {
        if (!uri) {
            return undefined;
        }
        if (this.files.has(uri)) {
            return this.files.get(uri);
        }
        const p = uri.startsWith("file://") ? decodeURIComponent(new URL(uri).pathname) : uri;
        const file = path.isAbsolute(p) ? p : path.resolve(this.programDir, p);
        const result = file.split(path.sep).includes("node_modules") ? undefined : file;
        this.files.set(uri, result);
        return result;
    }
}
