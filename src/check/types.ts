/** Shapes shared by the program runner, the pack host and the reporters. Plain data only: it crosses IPC. */

/** A Pulumi property map in wire form: secrets keep their signature objects, unknowns their sentinel strings. */
export type WireProperties = Record<string, unknown>;

/** Everything the resource monitor was told about one resource, as the engine would see it at preview. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** Parent URN; "" for the root stack. */
    parent: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Provider reference `<urn>::<id>`, "" when the engine would pick the default provider. */
    provider: string;
    /** Package version the SDK asked for (names the default provider). */
    version: string;
    /** Inputs after the provider's Check, resource references as IDs/URNs (what `Analyze` sees). */
    inputs: WireProperties;
    /** Outputs at preview (what `AnalyzeStack` sees): the planned state for custom resources, registered outputs for components. */
    outputs: WireProperties;
    options: {
        protect: boolean;
        ignoreChanges: string[];
        deleteBeforeReplace?: boolean;
        additionalSecretOutputs: string[];
        aliases: string[];
        customTimeouts: { create: number; update: number; delete: number };
    };
    /** Where the program declared it, when the SDK reported it (file path or URI, 1-based line). */
    source?: { uri: string; line: number };
    /** The program's frames of the registration's call stack (no node_modules), innermost first, when the SDK sent them. */
    callStack?: Array<{ uri: string; line: number }>;
    /**
     * How `outputs` of a custom resource were made: "derived" = the provider's planned state of a create from its
     * package's schema (computed properties unknown); "prior-state" = planned update over its outputs in the
     * `--state` file; "inputs-only" = no schema, outputs approximated by the inputs.
     */
    plannedOutputs?: "derived" | "prior-state" | "inputs-only";
    /** Why the planned outputs are approximate, when they are. */
    plannedOutputsNote?: string;
}

/** One stack configuration value as handed to the program and the pack. */
export interface ConfigEntry {
    /** Fully qualified `<namespace>:<key>`. */
    key: string;
    /** String form (structured values are JSON); for secrets an opaque placeholder, never the ciphertext. */
    value: string;
    secret: boolean;
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PolicyMeta {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: string;
    remediation: string;
    url: string;
    kind: "resource" | "stack" | "unknown";
}

export interface Violation {
    policy: string;
    policyPack: string;
    /** Effective level: "mandatory" (blocks) or "advisory". */
    enforcementLevel: "mandatory" | "advisory";
    severity: string;
    urn: string;
    message: string;
    /** True when the pack could not evaluate the rule because a value is unknown offline. */
    unknownValue: boolean;
}

/** A policy the configuration runs below the level the pack declares for it. */
export interface Waiver {
    policy: string;
    declaredLevel: EnforcementLevel;
    configuredLevel: EnforcementLevel;
    /** The policy config file that lowered it (relative to the report base in a CheckResult); null: the pack's own initial config. */
    file: string | null;
    /** The key of that file that set the level (`all` or the policy's name); `initialConfig` when file is null. */
    key: string;
}

/** A remediation the pack applied to a resource's inputs before Analyze (what `pulumi preview` shows as remediated). */
export interface Remediation {
    policy: string;
    urn: string;
    /** Top-level input properties it changed, added or removed. */
    changed: string[];
}

/**
 * Where the outputs AnalyzeStack saw come from: `planned-update` — `--state` given: resources the state holds
 * previewed as updates (prior outputs merged with the checked inputs), the others as creates; `planned-create` —
 * every resource previewed as a create (the
 * provider's planned state: checked inputs, unknown computed attributes); `live-state` — `auth0-mcp audit`: every
 * resource is an existing object of the live tenant (prior state, every value known).
 */
export type OutputsMode = "planned-update" | "planned-create" | "live-state";

export interface CheckResult {
    project: string;
    stack: string;
    /** Files the locations point at, relative to the report's base directory. */
    files: { stackFile: string; program: string };
    policyPack: { name: string; version: string; dir: string };
    policies: PolicyMeta[];
    resources: Array<{
        urn: string;
        type: string;
        name: string;
        source?: { uri: string; line: number };
        /**
         * The line of the user's program that declared it, relative to the repository root (for children of this
         * package's components: where the program constructed the component); absent when none is known.
         */
        location?: { file: string; line: number };
        /** How its outputs were planned (custom resources); with the reason when only approximated. */
        plannedOutputs?: RecordedResource["plannedOutputs"];
        plannedOutputsNote?: string;
    }>;
    violations: Violation[];
    summary: { mandatory: number; advisory: number };
    /**
     * The policy config in force: the file (relative to the report base) or null when none was found, and where
     * the default was looked for when no `--policy-config` was given.
     */
    policyConfig: { file: string | null; lookedFor: string | null };
    waivers: Waiver[];
    remediations: Remediation[];
    outputsMode: OutputsMode;
    /** The organization and stack tags sent to the pack (ConfigureStack). */
    organization: string;
    tags: Record<string, string>;
    /** Wall-clock milliseconds per phase (program and pack run side by side). Not part of any report format. */
    timings: { programMs: number; packReadyMs: number; analyzeMs: number; totalMs: number };
}
