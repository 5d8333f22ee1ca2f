/**
 * Runs the pack's policies the way @pulumi/policy's analyzer server does (server.js), without gRPC: props are
 * wrapped in the SDK's unknown-checking proxy, `getConfig` returns the config the CLI would send (schema
 * defaults applied, unless `rawConfig`), an UnknownValueError becomes the server's advisory "can't run … during
 * preview" diagnostic, and `notApplicable` is recorded.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
    UnknownValueError,
    unknownCheckingProxy,
    type EnforcementLevel,
    type PolicyProviderResource,
    type PolicyResource,
    type PolicyResourceOptions,
    type ResourceValidationArgs,
    type StackValidationArgs,
} from "@pulumi/policy";
import { applyConfigDefaults } from "../../src/check/policy-config-validation";
import {
    isStackPolicy,
    type McpPolicy,
    type McpResourcePolicy,
    type McpStackPolicy,
} from "../../policy/lib/policy-kit";
import { POLICY_PACK_NAME } from "../../policy/registry";
import { plannedOutputs } from "./planned";

export const PACK_DIR = join(__dirname, "..", "..", "policy");
export const PACK_VERSION: string = JSON.parse(readFileSync(join(PACK_DIR, "package.json"), "utf8")).version;

/** The wire sentinels @pulumi/policy's deserializer leaves in place of unknown values at preview. */
export const UNKNOWN = {
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    boolean: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
} as const;

export interface FakeResource {
    type: string;
    name: string;
    /** Inputs as the program sets them (after the provider's Check). */
    props: Record<string, unknown>;
    urn?: string;
    /** URN of the explicit provider (tenant) the resource uses; none: the default provider. */
    provider?: string;
    /** Property name → URNs of the resources its value was taken from. */
    propertyDependencies?: Record<string, string[]>;
}

export interface Violation {
    policyName: string;
    /** What the rule passed to reportViolation. */
    message: string;
    /** What the CLI prints: the description, a newline, then the message (server.js makeReportViolationFun). */
    fullMessage: string;
    urn?: string;
    enforcementLevel: EnforcementLevel;
}

export interface Outcome {
    violations: Violation[];
    notApplicable?: string;
    /** Set when the rule read an unknown value: the server's advisory diagnostic text. */
    previewAdvisory?: string;
}

export interface RunOptions {
    config?: Record<string, unknown>;
    /**
     * What a stack policy sees as each resource's outputs. "planned" (default): what a real `pulumi preview` of a new
     * stack sends, the inputs plus unknown for every computed property the program left unset (derived from the
     * installed @pulumi/auth0). "inputs": the props as given (an existing resource whose outputs equal its inputs).
     */
    outputs?: "planned" | "inputs";
    /** Pass `config` to the rule as-is (no schema defaults), like `args.getConfig()` with nothing configured. */
    rawConfig?: boolean;
}

class NotApplicable extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "not applicable");
    }
}

export function urnOf(resource: FakeResource): string {
    return resource.urn ?? `urn:pulumi:test::auth0-mcp::${resource.type}::${resource.name}`;
}

/** The exact text @pulumi/policy 1.21 server.js reports for a policy that read an unknown value. */
export function previewAdvisoryText(policyName: string, errorMessage: string): string {
    return `can't run policy '${policyName}' from policy pack '${POLICY_PACK_NAME}@v${PACK_VERSION}' during preview: ${errorMessage}`;
}

function configFor(policy: McpPolicy, options: RunOptions): Record<string, unknown> {
    const config = options.config ?? {};
    return options.rawConfig ? config : applyConfigDefaults(policy.configSchema, config);
}

async function collect(
    policy: McpPolicy,
    run: (
        report: (message: string, urn?: string) => void,
        notApplicable: (reason?: string) => never,
    ) => Promise<void> | void,
    defaultUrn?: string,
): Promise<Outcome> {
    const outcome: Outcome = { violations: [] };
    const report = (message: string, urn?: string) => {
        outcome.violations.push({
            policyName: policy.name,
            message,
            fullMessage: `${policy.description}\n${message}`,
            urn: defaultUrn ?? urn,
            enforcementLevel: policy.enforcementLevel,
        });
    };
    try {
        await run(report, (reason?: string) => {
            throw new NotApplicable(reason);
        });
    } catch (error) {
        if (error instanceof UnknownValueError)
            outcome.previewAdvisory = previewAdvisoryText(policy.name, (error as Error).message);
        else if (error instanceof NotApplicable) outcome.notApplicable = error.reason ?? "";
        else throw error;
    }
    return outcome;
}

/** The resource's explicit auth0 provider as the pack's server presents it (FakeResource.provider is its URN). */
function providerOf(resource: FakeResource): { provider?: PolicyProviderResource } {
    return resource.provider
        ? {
              provider: {
                  type: "pulumi:providers:auth0",
                  name: resource.provider.split("::").pop() ?? "",
                  urn: resource.provider,
                  props: {},
              },
          }
        : {};
}

/** A resource registered with no resource option set. */
function noResourceOptions(): PolicyResourceOptions {
    return {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
    };
}

export async function runResourcePolicy(
    policy: McpPolicy,
    resource: FakeResource,
    options: RunOptions = {},
): Promise<Outcome> {
    if (isStackPolicy(policy)) throw new Error(`${policy.name} is a stack policy`);
    const resourcePolicy = policy as McpResourcePolicy;
    const urn = urnOf(resource);
    const config = configFor(policy, options);
    return collect(
        policy,
        async (report, notApplicable) => {
            const props = unknownCheckingProxy(structuredClone(resource.props)) as Record<string, unknown>;
            const args: ResourceValidationArgs = {
                ...providerOf(resource),
                type: resource.type,
                name: resource.name,
                urn,
                props,
                opts: noResourceOptions(),
                stackTags: new Map(),
                isType: () => false,
                asType: () => undefined,
                getConfig: <T extends object>() => structuredClone(config) as T,
                notApplicable,
            };
            const validations = resourcePolicy.validateResource;
            for (const validate of Array.isArray(validations) ? validations : validations ? [validations] : []) {
                await validate(args, report);
            }
        },
        urn,
    );
}

export async function runStackPolicy(
    policy: McpPolicy,
    resources: FakeResource[],
    options: RunOptions = {},
): Promise<Outcome> {
    if (!isStackPolicy(policy)) throw new Error(`${policy.name} is a resource policy`);
    const stackPolicy = policy as McpStackPolicy;
    const config = configFor(policy, options);
    return collect(policy, async (report, notApplicable) => {
        const byUrn = new Map<string, PolicyResource>();
        const policyResources: PolicyResource[] = resources.map((resource) => {
            const outputs =
                options.outputs === "inputs" ? resource.props : plannedOutputs(resource.type, resource.props);
            const policyResource: PolicyResource = {
                type: resource.type,
                name: resource.name,
                urn: urnOf(resource),
                props: unknownCheckingProxy(structuredClone(outputs)) as Record<string, unknown>,
                opts: noResourceOptions(),
                ...providerOf(resource),
                dependencies: [],
                propertyDependencies: {},
                isType: () => false,
                asType: () => undefined,
            };
            byUrn.set(policyResource.urn, policyResource);
            return policyResource;
        });
        resources.forEach((resource, index) => {
            for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
                policyResources[index].propertyDependencies[key] = urns.map(
                    (urn) => byUrn.get(urn) ?? ({ urn, type: "", name: "", props: {} } as unknown as PolicyResource),
                );
            }
        });
        const args: StackValidationArgs = {
            resources: policyResources,
            stackTags: new Map(),
            getConfig: <T extends object>() => structuredClone(config) as T,
            notApplicable,
        };
        await stackPolicy.validateStack(args, report);
    });
}

/** Runs a policy over a whole stack: a stack policy once, a resource policy on every resource. */
export async function runPolicyOnStack(
    policy: McpPolicy,
    resources: FakeResource[],
    options: RunOptions = {},
): Promise<Violation[]> {
    const outcomes = isStackPolicy(policy)
        ? [await runStackPolicy(policy, resources, options)]
        : await Promise.all(resources.map((resource) => runResourcePolicy(policy, resource, options)));
    for (const outcome of outcomes) {
        if (outcome.previewAdvisory) throw new Error(`unexpected unknown value: ${outcome.previewAdvisory}`);
    }
    return outcomes.flatMap((outcome) => outcome.violations);
}

const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SEVERITIES = ["low", "medium", "high", "critical"];

/** Why a policy's metadata falls short of the pack's standard; empty when it is fine. */
export function metadataProblems(policy: McpPolicy): string[] {
    const problems: string[] = [];
    if (!KEBAB_CASE.test(policy.name)) problems.push(`name "${policy.name}" is not kebab-case`);
    const description = policy.description.trim();
    if (!/^[A-Z]/.test(description) || !description.endsWith(".")) {
        problems.push("description is not a sentence (capital letter, final period)");
    }
    if (description.split(/\.\s/).length > 1) problems.push("description is more than one sentence");
    if (!SEVERITIES.includes(policy.severity))
        problems.push(`severity "${policy.severity}" is not one of ${SEVERITIES.join(", ")}`);
    if (!["advisory", "mandatory"].includes(policy.enforcementLevel))
        problems.push("enforcementLevel is not advisory or mandatory");
    const steps = policy.remediationSteps.split("\n").filter((line) => line.trim() !== "");
    if (steps.length === 0) problems.push("remediationSteps is empty");
    steps.forEach((step, index) => {
        if (!step.startsWith(`${index + 1}. `))
            problems.push(`remediation step ${index + 1} is not numbered "${index + 1}. "`);
    });
    for (const [key, property] of Object.entries(policy.configSchema?.properties ?? {})) {
        if (typeof property !== "object" || !property.description)
            problems.push(`config key ${key} has no description`);
    }
    return problems;
}
