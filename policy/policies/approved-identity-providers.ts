import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import {
    APPROVED_CONNECTIONS_KEY,
    IDENTITY_FIELDS,
    comparableIdentity,
    pinnedConnections,
    strategyIdentity,
    validateApprovedConnections,
    type IdentityField,
    type PinnedConnection,
    type StrategyIdentity,
} from "../facts/connection-identity";
import { describeUnknown, isOn, readInput, type FieldRead } from "../lib/fields";
import { type McpResourcePolicy, onAuth0Type } from "../lib/policy-kit";
import { quote } from "../lib/props";
import { AUTH0_TYPES } from "../facts/resource-types";

const APPROVED_IDPS_POLICY_NAME = "approved-identity-providers";

/** An approvedConnections entry: a legacy connection name, or a connection pinned to its provider. */
type ApprovedConnectionEntry =
    string | ({ name: string; strategy: string } & Partial<Record<IdentityField, string | boolean>>);

interface ApprovedIdentityProvidersConfig {
    /** Fixed-provider strategies (google-oauth2, github, …) that may be promoted. */
    approvedStrategies?: string[];
    approvedConnections?: ApprovedConnectionEntry[];
    /** Every promoted connection must match a pinned approvedConnections entry; strategy approval is not enough. */
    requirePinnedConnections?: boolean;
}

type Props = Record<string, unknown>;
type Unknown = Extract<FieldRead, { state: "unknown" }>;

const CONNECTION_NAME_PATTERN = "^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$";

const pinSchemaProperties: Record<string, PolicyConfigJSONSchema> = Object.fromEntries(
    IDENTITY_FIELDS.map((field) => [
        field,
        field === "waadCommonEndpoint"
            ? { type: "boolean", description: "Pinned waadCommonEndpoint (true admits every Microsoft Entra tenant)." }
            : { type: "string", minLength: 1, description: `Pinned options.${field} of the connection.` },
    ]),
);

function article(word: string): string {
    return /^[aeio]/.test(word) ? "an" : "a";
}

function unknownProblem(path: string, read: Unknown, fix: string): string {
    return `${describeUnknown(path, read)}, so the rule cannot tell which provider is promoted and blocks; ${fix}`;
}

/** The approvedConnections entry this connection would need, as JSON to paste into the policy config. */
function suggestedPin(props: Props, name: string, strategy: string, identity: StrategyIdentity | undefined): string {
    const entry: Record<string, unknown> = { name, strategy };
    for (const field of identity?.fields ?? []) {
        const read = readInput(props, `options.${field}`);
        if (read.state === "set") entry[field] = read.value;
    }
    return JSON.stringify(entry);
}

/** Differences between the connection's identity options and a pinned entry of the same name and strategy. */
function pinMismatches(props: Props, pin: PinnedConnection, identity: StrategyIdentity): string[] {
    const problems: string[] = [];
    for (const field of identity.fields) {
        const path = `options.${field}`;
        const read = readInput(props, path);
        if (read.state === "unknown") {
            problems.push(
                unknownProblem(path, read, `set ${path} to a literal value that matches ${APPROVED_CONNECTIONS_KEY}`),
            );
            continue;
        }
        const actual = read.state === "set" ? read.value : undefined;
        const pinned = pin.pins[field];
        if (comparableIdentity(field, actual) === comparableIdentity(field, pinned)) continue;
        if (pinned === undefined) {
            problems.push(
                `${path} is ${quote(actual)} but the approval in ${APPROVED_CONNECTIONS_KEY} does not pin it (pin it too, or remove it)`,
            );
        } else if (actual === undefined) {
            problems.push(`${path} is not set but the approval in ${APPROVED_CONNECTIONS_KEY} pins ${quote(pinned)}`);
        } else {
            problems.push(
                `${path} is ${quote(actual)} but the approval in ${APPROVED_CONNECTIONS_KEY} pins ${quote(pinned)}`,
            );
        }
    }
    for (const field of identity.unpinnable) {
        const path = `options.${field}`;
        const read = readInput(props, path);
        if (read.state !== "unset") {
            problems.push(
                `${path} is set: inline metadata overrides the pinned endpoints and signing certificate and cannot be pinned; ` +
                    `use ${identity.fields.join(" or ")} instead`,
            );
        }
    }
    return problems;
}

function approvalProblems(
    props: Props,
    name: string,
    strategy: string,
    config: ApprovedIdentityProvidersConfig,
): string[] {
    const identity = strategyIdentity(strategy);
    const pins = pinnedConnections(config.approvedConnections).filter((pin) => pin.name === name);
    const pin = (): string =>
        `pin it: add ${suggestedPin(props, name, strategy, identity)} to ${APPROVED_CONNECTIONS_KEY} in the ` +
        `${APPROVED_IDPS_POLICY_NAME} policy config`;

    if (config.approvedStrategies === undefined && config.approvedConnections === undefined) {
        return [
            `no identity providers are approved for promotion: the policy fails closed. Add "approvedStrategies" ` +
                `(e.g. ["google-oauth2"]) or pinned "${APPROVED_CONNECTIONS_KEY}" to the ${APPROVED_IDPS_POLICY_NAME} policy ` +
                `config, or set isDomainConnection to false`,
        ];
    }

    const match = pins[0];
    if (match !== undefined) {
        if (match.strategy !== strategy) {
            return [
                `${APPROVED_CONNECTIONS_KEY} approves "${name}" as strategy ${quote(match.strategy)}, not ${quote(strategy)}`,
            ];
        }
        return identity === undefined ? [] : pinMismatches(props, match, identity);
    }

    if (config.requirePinnedConnections) {
        return [`requirePinnedConnections is on and no ${APPROVED_CONNECTIONS_KEY} entry approves "${name}"; ${pin()}`];
    }
    const strategies = (config.approvedStrategies ?? []).map((s) => s.trim().toLowerCase());
    if (identity !== undefined) {
        const approvedByStrategy = strategies.includes(strategy)
            ? `strategy "${strategy}" is in approvedStrategies, but approving the strategy does not approve this connection: `
            : "";
        const why =
            identity.fields.length > 0
                ? `${article(strategy)} ${strategy} connection is a different identity provider per ${identity.anyOf.map((f) => `options.${f}`).join(" / ")}`
                : `${article(strategy)} ${strategy} connection's provider is not fixed by its strategy`;
        return [`${approvedByStrategy}${why}, so it must be approved by name and pinned; ${pin()}`];
    }
    return listApprovalProblems(name, strategy, strategies, config);
}

/** A connection whose strategy fixes its provider, not pinned: its strategy and name must be on the lists. */
function listApprovalProblems(
    name: string,
    strategy: string,
    strategies: string[],
    config: ApprovedIdentityProvidersConfig,
): string[] {
    const problems: string[] = [];
    if (!strategies.includes(strategy)) {
        problems.push(
            `strategy ${quote(strategy)} is not in approvedStrategies [${(config.approvedStrategies ?? []).join(", ")}]. ` +
                `Set isDomainConnection to false, or get the strategy approved in the ${APPROVED_IDPS_POLICY_NAME} policy config`,
        );
    }
    const names = (config.approvedConnections ?? []).map((entry) => (typeof entry === "string" ? entry : entry.name));
    if (config.approvedConnections !== undefined && !names.includes(name)) {
        problems.push(
            `connection name ${quote(name)} is not in ${APPROVED_CONNECTIONS_KEY} [${names.join(", ")}]. Set ` +
                `isDomainConnection to false, or add the exact connection name to ${APPROVED_CONNECTIONS_KEY} in the ` +
                `${APPROVED_IDPS_POLICY_NAME} policy config`,
        );
    }
    return problems;
}

/** The connection's name or strategy as a plain string, or why it cannot be judged. */
function readName(props: Props, path: "name" | "strategy"): { value: string } | { problem: string } {
    const read = readInput(props, path);
    if (read.state === "unknown") return { problem: unknownProblem(path, read, `set ${path} to a literal value`) };
    if (read.state === "unset" || typeof read.value !== "string" || read.value.trim() === "") {
        return { problem: `${path} is not set, so the connection cannot be matched to an approval` };
    }
    return { value: path === "strategy" ? read.value.trim().toLowerCase() : read.value };
}

export const approvedIdentityProviders: McpResourcePolicy = {
    name: APPROVED_IDPS_POLICY_NAME,
    description:
        "Only approved identity providers may be promoted to domain level for third-party MCP clients: fixed-provider strategies by strategy, enterprise connections one by one, pinned to their issuer.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: [
        "1. Decide whether this identity provider should be offered to every third-party (DCR/CIMD) client in the tenant: promotion is a tenant-wide trust decision.",
        "2. If it should not, set isDomainConnection to false (or remove it).",
        "3. For a social strategy whose provider is fixed (google-oauth2, github, …), have the platform team add the strategy to approvedStrategies in this policy's config.",
        "4. For an enterprise or generic strategy (oidc, samlp, okta, waad, adfs, pingfederate, oauth2, …), add a pinned entry to approvedConnections: {name, strategy} plus the options that identify the provider exactly as the connection sets them (issuer / discoveryUrl, signInEndpoint / metadataUrl, domain / tenantDomain, …). The violation message shows the entry to add.",
        "5. With requirePinnedConnections (production), every promoted connection, social ones included, needs a pinned approvedConnections entry.",
    ].join("\n"),
    configSchema: {
        properties: {
            approvedStrategies: {
                type: "array",
                description:
                    "Fixed-provider strategies that may be promoted by strategy alone, e.g. google-oauth2, github. Enterprise strategies (oidc, samlp, …) are approved per connection in approvedConnections. No value means none.",
                items: { type: "string", pattern: "^[a-z0-9][a-z0-9-]*$" },
                minItems: 1,
                uniqueItems: true,
            },
            approvedConnections: {
                type: "array",
                description:
                    "Approved connections: exact names (only with approvedStrategies, for fixed-provider strategies) or pinned entries {name, strategy, issuer?, discoveryUrl?, signInEndpoint?, metadataUrl?, domain?, tenantDomain?, …} matching the connection's options.",
                // One item is a name (string) or a pinned entry (object); each keyword applies only to its own type.
                items: {
                    type: ["string", "object"],
                    pattern: CONNECTION_NAME_PATTERN,
                    required: ["name", "strategy"],
                    additionalProperties: false,
                    properties: {
                        name: {
                            type: "string",
                            pattern: CONNECTION_NAME_PATTERN,
                            description: "The connection's exact name.",
                        },
                        strategy: {
                            type: "string",
                            pattern: "^[a-z0-9][a-z0-9-]*$",
                            description: "The connection's strategy.",
                        },
                        ...pinSchemaProperties,
                    },
                },
                minItems: 1,
            },
            requirePinnedConnections: {
                type: "boolean",
                description:
                    "Require every promoted connection, social ones included, to match a pinned approvedConnections entry. No value means false.",
            },
        },
    },
    validateResource: onAuth0Type(AUTH0_TYPES.connection, (args, reportViolation) => {
        const promoted = readInput(args.props, "isDomainConnection");
        if (promoted.state === "unset" || (promoted.state === "set" && !isOn(promoted.value))) return;
        const config = args.getConfig<ApprovedIdentityProvidersConfig>();
        const name = readName(args.props, "name");
        const strategy = readName(args.props, "strategy");

        const problems = validateApprovedConnections(config.approvedConnections).map(
            (p) => `policy config ${APPROVED_IDPS_POLICY_NAME}.${p.key}: ${p.message}`,
        );
        if ("problem" in name || "problem" in strategy) {
            problems.push(
                ...["problem" in name ? [name.problem] : [], "problem" in strategy ? [strategy.problem] : []].flat(),
            );
        } else {
            problems.push(
                ...approvalProblems(args.props, name.value, strategy.value, {
                    ...config,
                    requirePinnedConnections: isOn(config.requirePinnedConnections),
                }),
            );
        }
        if (problems.length === 0) return;

        const shownName = "value" in name ? quote(name.value) : "unknown";
        const shownStrategy = "value" in strategy ? quote(strategy.value) : "unknown";
        const promotion =
            promoted.state === "unknown"
                ? `may be promoted (${describeUnknown("isDomainConnection", promoted)}; set it to a literal true or false)`
                : `sets isDomainConnection: ${quote(promoted.value)}`;
        reportViolation(
            `Connection "${args.name}" (name ${shownName}, strategy ${shownStrategy}) ${promotion}, which is not approved: ${problems.join("; ")}.`,
        );
    }),
};
