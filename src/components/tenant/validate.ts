import * as pulumi from "@pulumi/pulumi";
import { canonicalizeResourceUri, isCalendarDate, metadataUrlProblems, strategyIdentity } from "../../../policy/facts";
import { Problem, joinPath } from "../problems";
import {
    CimdClientArgs,
    PromotedConnectionArgs,
    RESOURCE_PARAMETER_PROFILES,
    ResolvedTenantMcpSettingsArgs,
    tenantAllowsThirdPartyClients,
} from "./args";

/** Auth0 metadata values are at most 255 characters. */
const METADATA_VALUE_MAX = 255;
const CONNECTION_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,126}[A-Za-z0-9])?$/;
const STRATEGY = /^[a-z0-9][a-z0-9-]*$/;
const CONNECTION_ID = /^con_[A-Za-z0-9]+$/;
/** Auth0 client descriptions are at most 140 characters. */
const CLIENT_DESCRIPTION_MAX = 140;

function metadataValueProblems(value: string, what: string, example: string): string[] {
    if (value.trim() === "") return [`is empty; record ${what}, e.g. ${example}`];
    if (value.length > METADATA_VALUE_MAX)
        return [`is ${value.length} characters; Auth0 metadata values hold at most ${METADATA_VALUE_MAX}`];
    return [];
}

export function reviewDateProblems(value: string): string[] {
    return isCalendarDate(value) ? [] : [`"${value}" is not a calendar date; expected YYYY-MM-DD, e.g. 2026-12-31`];
}

/** The CIMD metadata URL rules the policy pack applies too (policy/facts/cimd-url.ts), one sentence per refused URL. */
export { metadataUrlProblems as cimdMetadataUrlProblems } from "../../../policy/facts";

/**
 * An enterprise connection (oidc, samlp, …) trusts whatever provider its options name; the policy pack approves
 * it by those options, so a promoted one must set at least one of them. Options given as an Output are left to
 * the pack (which fails closed on unknowns).
 */
function connectionIdentityProblems(connection: PromotedConnectionArgs): string[] {
    const identity = strategyIdentity(connection.strategy);
    if (identity === undefined || identity.anyOf.length === 0) return [];
    const options = connection.options;
    if (options !== undefined && (typeof options !== "object" || options === null || pulumi.Output.isInstance(options)))
        return [];
    const given = (options ?? {}) as Record<string, unknown>;
    if (identity.anyOf.some((field) => given[field] !== undefined)) return [];
    return [
        `${/^[aeio]/.test(connection.strategy) ? "an" : "a"} ${connection.strategy} connection is a different identity provider per ${identity.anyOf.join(" / ")}, and the ` +
            `approved-identity-providers policy matches it by that value: set options.${identity.anyOf[0]} ` +
            `(e.g. https://login.example.com/) as the provider publishes it`,
    ];
}

function connectionProblems(connection: PromotedConnectionArgs): Problem[] {
    const problems: Problem[] = [];
    const add = (path: string, messages: string[]) => messages.forEach((message) => problems.push({ path, message }));
    if (!CONNECTION_NAME.test(connection.name)) {
        add("name", [
            `"${connection.name}" is not a valid Auth0 connection name; use letters, digits and inner hyphens, e.g. google-oauth2`,
        ]);
    }
    if (!STRATEGY.test(connection.strategy)) {
        add("strategy", [
            `"${connection.strategy}" is not an Auth0 strategy; expected e.g. google-oauth2, oidc, samlp, waad`,
        ]);
    }
    add("owner", metadataValueProblems(connection.owner, "the owning team", "iam-team@example.com"));
    add("approvalRef", metadataValueProblems(connection.approvalRef, "the approving ticket", "SEC-1234"));
    if (connection.reviewBy !== undefined) add("reviewBy", reviewDateProblems(connection.reviewBy));
    if (connection.importId !== undefined && !CONNECTION_ID.test(connection.importId)) {
        add("importId", [
            `"${connection.importId}" is not an Auth0 connection id; expected con_ followed by letters and digits (Dashboard > Authentication > the connection's settings)`,
        ]);
    }
    if (connection.displayName !== undefined && connection.displayName.trim() === "")
        add("displayName", ["is empty; omit it or give a name users recognise"]);
    add("options", connectionIdentityProblems(connection));
    return problems;
}

function cimdClientProblems(client: CimdClientArgs): Problem[] {
    const problems: Problem[] = [];
    const add = (path: string, messages: string[]) => messages.forEach((message) => problems.push({ path, message }));
    add("metadataUrl", metadataUrlProblems(client.metadataUrl));
    add("owner", metadataValueProblems(client.owner, "the owning team", "platform-team@example.com"));
    add("approvalRef", metadataValueProblems(client.approvalRef, "the approving ticket", "SEC-1234"));
    add("reviewBy", reviewDateProblems(client.reviewBy));
    if (client.description !== undefined && client.description.length > CLIENT_DESCRIPTION_MAX) {
        add("description", [
            `is ${client.description.length} characters; Auth0 client descriptions hold at most ${CLIENT_DESCRIPTION_MAX}`,
        ]);
    }
    if (
        client.metadataVersion !== undefined &&
        (!Number.isInteger(client.metadataVersion) || client.metadataVersion < 1)
    ) {
        add("metadataVersion", [`${client.metadataVersion} must be a whole number of at least 1`]);
    }
    return problems;
}

/**
 * What {@link tenantSettingsProblems} judges: resolved args whose profile may still be any string (stack config
 * holds strings, so that a misspelt profile gets this refusal rather than a type error).
 */
type TenantSettingsToCheck = Omit<ResolvedTenantMcpSettingsArgs, "resourceParameterProfile"> & {
    resourceParameterProfile: string;
};

interface TenantChecks {
    /** Judge the `mcpApis` list itself (repeats, thirdPartyClientsAllowed); the loader judges its APIs elsewhere. Default true. */
    mcpApiList?: boolean;
    /** Judge `defaultAudience` against `mcpApis`; off when the APIs could not be read. Default true. */
    defaultAudience?: boolean;
}

function profileProblems(args: TenantSettingsToCheck): Problem[] {
    if ((RESOURCE_PARAMETER_PROFILES as readonly string[]).includes(args.resourceParameterProfile)) return [];
    const lower = String(args.resourceParameterProfile).trim().toLowerCase();
    const hint = (RESOURCE_PARAMETER_PROFILES as readonly string[]).includes(lower)
        ? `write "${lower}"`
        : `use "compatibility" or "audience"`;
    return [
        {
            path: "resourceParameterProfile",
            message: `"${args.resourceParameterProfile}" is not a resource parameter profile; ${hint}`,
        },
    ];
}

/** `identifiers`: those of the tenant's MCP APIs. */
function defaultAudienceProblems(args: TenantSettingsToCheck, identifiers: string[]): Problem[] {
    if (args.defaultAudience === undefined || identifiers.includes(args.defaultAudience)) return [];
    const declaredList = identifiers.length > 0 ? identifiers.map((i) => `"${i}"`).join(", ") : "none";
    const canonical = canonicalizeResourceUri(args.defaultAudience, { allowLocalhostHttp: true }).canonical;
    const near = canonical !== undefined && identifiers.includes(canonical) ? `; did you mean "${canonical}"?` : "";
    return [
        {
            path: "defaultAudience",
            message: `"${args.defaultAudience}" names no MCP API declared in this program (declared: ${declaredList})${near}`,
        },
    ];
}

/** The "audience" profile reaches the default audience only: every other MCP API would get opaque tokens. */
function unreachableApiProblems(args: TenantSettingsToCheck, identifiers: string[]): Problem[] {
    if (args.resourceParameterProfile !== "audience" || identifiers.length === 0) return [];
    const reachable = args.defaultAudience;
    const unreachable = identifiers.filter((i) => i !== reachable);
    if (unreachable.length === 0) return [];
    return [
        {
            path: "resourceParameterProfile",
            message:
                `"audience" makes Auth0 ignore the RFC 8707 resource parameter MCP clients send, so ${unreachable.map((i) => `"${i}"`).join(", ")} ` +
                `would only get opaque tokens; use "compatibility"${reachable ? "" : " or set defaultAudience (single-API tenants only)"}`,
        },
    ];
}

/** Repeated identifiers, and APIs built with another thirdPartyClientsAllowed than the tenant's. */
function mcpApiListProblems(args: TenantSettingsToCheck): Problem[] {
    const problems: Problem[] = [];
    const thirdParty = tenantAllowsThirdPartyClients(args);
    const seenApis = new Set<string>();
    args.mcpApis.forEach((api, i) => {
        const path = joinPath("mcpApis", i);
        if (seenApis.has(api.identifier))
            problems.push({
                path,
                message: `"${api.identifier}" is declared twice; identifiers are unique per tenant`,
            });
        seenApis.add(api.identifier);
        if (api.thirdPartyClientsAllowed !== thirdParty) {
            problems.push({
                path,
                message:
                    `McpApi "${api.identifier}" was built with thirdPartyClientsAllowed=${api.thirdPartyClientsAllowed} but this tenant ` +
                    `${thirdParty ? "lets third-party clients in (DCR or CIMD)" : "lets no third-party clients in"}; ` +
                    `build it with thirdPartyClientsAllowed: tenantAllowsThirdPartyClients(settings)`,
            });
        }
    });
    return problems;
}

function cimdSupportProblems(args: TenantSettingsToCheck): Problem[] {
    if (args.cimdClients.length === 0 || args.clientIdMetadataDocumentSupported) return [];
    return [
        {
            path: "cimdClients",
            message:
                "CIMD clients are listed but clientIdMetadataDocumentSupported is false; enable it or remove the clients",
        },
    ];
}

function promotedConnectionListProblems(args: TenantSettingsToCheck): Problem[] {
    const problems: Problem[] = [];
    const connectionNames = new Set<string>();
    args.promotedConnections.forEach((connection, i) => {
        const at = joinPath("promotedConnections", i);
        connectionProblems(connection).forEach((p) =>
            problems.push({ path: joinPath(at, p.path), message: p.message }),
        );
        if (connectionNames.has(connection.name))
            problems.push({ path: joinPath(at, "name"), message: `"${connection.name}" is listed twice` });
        connectionNames.add(connection.name);
    });
    return problems;
}

function cimdClientListProblems(args: TenantSettingsToCheck): Problem[] {
    const problems: Problem[] = [];
    const metadataUrls = new Set<string>();
    args.cimdClients.forEach((client, i) => {
        const at = joinPath("cimdClients", i);
        cimdClientProblems(client).forEach((p) => problems.push({ path: joinPath(at, p.path), message: p.message }));
        if (metadataUrls.has(client.metadataUrl))
            problems.push({ path: joinPath(at, "metadataUrl"), message: `"${client.metadataUrl}" is listed twice` });
        metadataUrls.add(client.metadataUrl);
    });
    return problems;
}

/**
 * Every rule the tenant settings must satisfy, paths relative to the args. Includes the cross-checks against
 * the tenant's MCP APIs: default audience, reachability with the chosen resource-parameter profile, and the
 * third-party setting each McpApi was built with.
 */
export function tenantSettingsProblems(args: TenantSettingsToCheck, checks: TenantChecks = {}): Problem[] {
    const identifiers = args.mcpApis.map((api) => api.identifier);
    return [
        ...profileProblems(args),
        ...((checks.defaultAudience ?? true) ? defaultAudienceProblems(args, identifiers) : []),
        ...unreachableApiProblems(args, identifiers),
        ...((checks.mcpApiList ?? true) ? mcpApiListProblems(args) : []),
        ...cimdSupportProblems(args),
        ...promotedConnectionListProblems(args),
        ...cimdClientListProblems(args),
    ];
}
