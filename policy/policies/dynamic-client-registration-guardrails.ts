import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { EXTERNAL_APIS_SCHEMA, type ExternalApi } from "../lib/external-apis";
import { describeUnknown, isOn, knownString, normalized, readOutput } from "../lib/fields";
import { MCP_API_SELECTION_SCHEMA, type McpApiSelection } from "../lib/mcp-apis";
import { withDefaults, type McpStackPolicy } from "../lib/policy-kit";
import { quote } from "../lib/props";
import { AUTH0_TYPES, THIRD_PARTY_CLIENTS } from "../facts/resource-types";
import { mcpApisInStack, resourcesOfType } from "../lib/stack";
import { sameTenant, tenantOf } from "../lib/tenancy";

const DCR_GUARDRAILS_POLICY_NAME = "dynamic-client-registration-guardrails";

interface DcrGuardrailsConfig extends McpApiSelection {
    externalApis: ExternalApi[];
    /** Split layouts: the project/stack that declares the tenant's default third-party grants (checked there). */
    defaultGrantsManagedIn?: string;
}

/** The Auth0 Management API: a default grant to it would let any self-registered client manage the tenant. */
const MANAGEMENT_API = /^https:\/\/[^/]+\/api\/v2\/?$/i;

function stringsOf(value: unknown): string[] {
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** Scopes each MCP API of the tenant declares, by identifier; `undefined` for an API whose scopes are unknown. */
function declaredScopes(resources: PolicyResource[], tenant: PolicyResource): Map<string, Set<string> | undefined> {
    const scopes = new Map<string, Set<string> | undefined>();
    const add = (identifier: string, names: string[] | undefined) => {
        const known = scopes.get(identifier);
        if (names === undefined || (scopes.has(identifier) && known === undefined)) {
            scopes.set(identifier, undefined);
            return;
        }
        scopes.set(identifier, new Set([...(known ?? []), ...names]));
    };
    for (const set of resourcesOfType(resources, AUTH0_TYPES.resourceServerScopes).filter((r) =>
        sameTenant(r, tenant),
    )) {
        const identifier = knownString(readOutput(set, "resourceServerIdentifier"));
        const list = readOutput(set, "scopes");
        if (identifier === undefined) continue;
        const names =
            list.state === "set" && Array.isArray(list.value)
                ? list.value
                      .map((scope) => (scope as { name?: unknown })?.name)
                      .filter((n): n is string => typeof n === "string")
                : list.state === "unknown"
                  ? undefined
                  : [];
        add(identifier, names);
    }
    for (const one of resourcesOfType(resources, AUTH0_TYPES.resourceServerScope).filter((r) =>
        sameTenant(r, tenant),
    )) {
        const identifier = knownString(readOutput(one, "resourceServerIdentifier"));
        const scope = readOutput(one, "scope");
        if (identifier === undefined) continue;
        const name = knownString(scope);
        add(identifier, scope.state === "unknown" ? undefined : name ? [name] : []);
    }
    return scopes;
}

interface GrantContext {
    config: DcrGuardrailsConfig;
    /** Identifiers of the tenant's MCP APIs declared in this stack. */
    mcpApis: Set<string>;
    scopes: Map<string, Set<string> | undefined>;
}

function allowAllScopesProblems(grant: PolicyResource): string[] {
    const allowAll = readOutput(grant, "allowAllScopes");
    if (allowAll.state === "unknown" && allowAll.cause === "from-resource") {
        return [`${describeUnknown("allowAllScopes", allowAll)}; write it as false or leave it out`];
    }
    if (allowAll.state === "set" && isOn(allowAll.value)) {
        return [
            "allowAllScopes is on, which hands every current and future scope of the API to any client that registers itself",
        ];
    }
    return [];
}

function subjectTypeProblems(grant: PolicyResource): string[] {
    const subjectType = readOutput(grant, "subjectType");
    if (subjectType.state === "unknown" && subjectType.cause === "from-resource") {
        return [`${describeUnknown("subjectType", subjectType)}; write subjectType: "user"`];
    }
    if (normalized(subjectType.state === "set" ? subjectType.value : undefined) !== "user") {
        return [
            `subjectType is ${subjectType.state === "set" ? quote(subjectType.value) : 'not set (Auth0\'s default is "client")'}; ` +
                `a default third-party grant must be subjectType "user", so self-registered clients act for a signed-in user only`,
        ];
    }
    return [];
}

interface AudienceJudgement {
    problems: string[];
    audience: string | undefined;
    /** The scopes the grant's API declares, when known. */
    apiScopes: Set<string> | undefined;
}

function audienceProblems(grant: PolicyResource, context: GrantContext): AudienceJudgement {
    const audienceRead = readOutput(grant, "audience");
    const audience = knownString(audienceRead);
    const judged = (problems: string[], apiScopes?: Set<string>): AudienceJudgement => ({
        problems,
        audience,
        apiScopes,
    });
    if (audienceRead.state === "unknown") {
        return judged([`${describeUnknown("audience", audienceRead)}; write the MCP API identifier as a literal`]);
    }
    if (audience === undefined) return judged(["audience is not set"]);
    if (MANAGEMENT_API.test(audience)) {
        return judged([
            `audience ${quote(audience)} is the Auth0 Management API: every self-registered client could manage the tenant`,
        ]);
    }
    if (context.mcpApis.has(audience)) {
        // No scopes resource for the API means it declares no scope at all.
        const apiScopes = context.scopes.has(audience) ? context.scopes.get(audience) : new Set<string>();
        if (apiScopes === undefined) {
            return judged([
                `the scopes of the API ${quote(audience)} are unknown at preview; declare them as literals`,
            ]);
        }
        return judged([], apiScopes);
    }
    const external = context.config.externalApis.find((api) => api.identifier === audience);
    if (external === undefined) {
        return judged([
            `audience ${quote(audience)} is not an MCP API of the same tenant declared in this stack, nor an externalApis entry ` +
                `of the ${DCR_GUARDRAILS_POLICY_NAME} config`,
        ]);
    }
    return judged([], external.scopes !== undefined ? new Set(external.scopes) : undefined);
}

function scopesProblems(grant: PolicyResource, { audience, apiScopes }: AudienceJudgement): string[] {
    const scopesRead = readOutput(grant, "scopes");
    if (scopesRead.state === "unknown" && scopesRead.cause === "from-resource") {
        return [`${describeUnknown("scopes", scopesRead)}; list the scopes as literals`];
    }
    const scopes = stringsOf(scopesRead.state === "set" ? scopesRead.value : undefined).filter((s) => s.trim() !== "");
    if (scopes.length === 0) {
        return ["scopes is empty or not set; list the scopes third-party clients may request explicitly"];
    }
    const undeclared = apiScopes === undefined ? [] : scopes.filter((scope) => !apiScopes.has(scope));
    if (undeclared.length > 0) {
        return [`scopes ${undeclared.map((s) => quote(s)).join(", ")} are not declared by the API ${quote(audience)}`];
    }
    return [];
}

/** Why a default third-party grant gives away more than it should; empty when it does not. */
function grantProblems(grant: PolicyResource, context: GrantContext): string[] {
    const audience = audienceProblems(grant, context);
    return [
        ...allowAllScopesProblems(grant),
        ...subjectTypeProblems(grant),
        ...audience.problems,
        ...scopesProblems(grant, audience),
    ];
}

/** One grant context per tenant (its MCP APIs and their declared scopes), built when first asked for. */
function grantContextsByTenant(
    args: StackValidationArgs,
    config: DcrGuardrailsConfig,
): (anchor: PolicyResource) => GrantContext {
    const mcpApis = mcpApisInStack(args.resources, config);
    const contexts = new Map<string, GrantContext>();
    return (anchor) => {
        const key = tenantOf(anchor);
        let context = contexts.get(key);
        if (!context) {
            context = {
                config,
                mcpApis: new Set(
                    mcpApis
                        .filter((entry) => entry.identifier !== undefined && sameTenant(entry.api, anchor))
                        .map((entry) => entry.identifier as string),
                ),
                scopes: declaredScopes(args.resources, anchor),
            };
            contexts.set(key, context);
        }
        return context;
    };
}

interface DefaultGrants {
    /** Every ClientGrant with defaultFor third_party_clients. */
    all: PolicyResource[];
    /** Those of them without a problem. */
    acceptable: PolicyResource[];
}

/** Reports each default third-party grant that gives away too much (and each whose defaultFor is unknown). */
function judgeDefaultGrants(
    args: StackValidationArgs,
    config: DcrGuardrailsConfig,
    reportViolation: ReportViolation,
): DefaultGrants {
    const contextFor = grantContextsByTenant(args, config);
    const judged: DefaultGrants = { all: [], acceptable: [] };
    for (const grant of resourcesOfType(args.resources, AUTH0_TYPES.clientGrant)) {
        // A defaultFor taken from another resource may well make it a default grant; computed-unset is none.
        const defaultFor = readOutput(grant, "defaultFor");
        if (defaultFor.state === "unknown" && defaultFor.cause === "from-resource") {
            reportViolation(
                `ClientGrant "${grant.name}": ${describeUnknown("defaultFor", defaultFor)}, ` +
                    `so the rule cannot tell whether it is the default permission set of every third-party client. Write defaultFor as a literal.`,
                grant.urn,
            );
            continue;
        }
        if (normalized(knownString(defaultFor)) !== THIRD_PARTY_CLIENTS) continue;
        judged.all.push(grant);
        const problems = grantProblems(grant, contextFor(grant));
        if (problems.length === 0) {
            judged.acceptable.push(grant);
            continue;
        }
        reportViolation(
            `ClientGrant "${grant.name}" (defaultFor "${THIRD_PARTY_CLIENTS}", audience ${quote(knownString(readOutput(grant, "audience")))}) ` +
                `is the default permission set of every third-party (DCR or CIMD) client, but ${problems.join("; ")}.`,
            grant.urn,
        );
    }
    return judged;
}

/** `where`: the sentence that says the tenant turns DCR on. */
function judgeDcrSecurityMode(tenant: PolicyResource, where: string, reportViolation: ReportViolation): void {
    const mode = readOutput(tenant, "dynamicClientRegistrationSecurityMode");
    if (mode.state === "unknown" && mode.cause === "from-resource") {
        reportViolation(
            `${where}, and ${describeUnknown("dynamicClientRegistrationSecurityMode", mode)}; write "strict" or leave it out.`,
            tenant.urn,
        );
    } else if (mode.state === "set" && normalized(mode.value) !== "strict") {
        reportViolation(
            `${where} with dynamicClientRegistrationSecurityMode ${quote(mode.value)}, which lifts the strict third-party ` +
                `restrictions (PKCE, authorization_code only, RS256) from self-registered clients. Remove the setting or ` +
                `set it to "strict".`,
            tenant.urn,
        );
    }
}

/** A tenant with DCR on needs an acceptable default third-party grant of its own (unless they live in another stack). */
function judgeDcrDefaultGrants(
    tenant: PolicyResource,
    where: string,
    grants: DefaultGrants,
    config: DcrGuardrailsConfig,
    reportViolation: ReportViolation,
): void {
    const own = grants.all.filter((grant) => sameTenant(grant, tenant));
    if (own.length === 0 && config.defaultGrantsManagedIn !== undefined) return;
    if (own.length === 0) {
        reportViolation(
            `${where}, but this stack declares no ClientGrant with defaultFor "${THIRD_PARTY_CLIENTS}" for the same tenant, so ` +
                `the permissions of self-registered clients are not controlled here. Add an auth0.ClientGrant with defaultFor ` +
                `"${THIRD_PARTY_CLIENTS}", subjectType "user", an MCP API as audience and an explicit scopes list, or turn DCR off ` +
                `(if the grants live in another stack, set defaultGrantsManagedIn in the ${DCR_GUARDRAILS_POLICY_NAME} config).`,
            tenant.urn,
        );
    } else if (!own.some((grant) => grants.acceptable.includes(grant))) {
        reportViolation(
            `${where}, but none of its default third-party ClientGrants (${own.map((g) => `"${g.name}"`).join(", ")}) ` +
                `is acceptable (see their violations). Fix the grant, or turn DCR off.`,
            tenant.urn,
        );
    }
}

function judgeDcrTenant(
    tenant: PolicyResource,
    grants: DefaultGrants,
    config: DcrGuardrailsConfig,
    reportViolation: ReportViolation,
): void {
    const dcr = readOutput(tenant, "flags.enableDynamicClientRegistration");
    if (dcr.state === "unknown" && dcr.cause === "from-resource") {
        reportViolation(
            `Tenant "${tenant.name}": ${describeUnknown("flags.enableDynamicClientRegistration", dcr)}; write it as a literal boolean.`,
            tenant.urn,
        );
        return;
    }
    // Unset (computed): Auth0's default is off; tenant-security-settings-explicit requires the flag to be written.
    if (dcr.state !== "set" || !isOn(dcr.value)) return;
    const where = `Tenant "${tenant.name}" turns on flags.enableDynamicClientRegistration (anyone can register a client at /oidc/register)`;
    judgeDcrSecurityMode(tenant, where, reportViolation);
    judgeDcrDefaultGrants(tenant, where, grants, config, reportViolation);
}

export const dynamicClientRegistrationGuardrails: McpStackPolicy = {
    name: DCR_GUARDRAILS_POLICY_NAME,
    description:
        "Default third-party client grants must give user access to declared scopes of an MCP API of the same tenant, and dynamic client registration needs one and no permissive security mode.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: [
        "1. Prefer turning flags.enableDynamicClientRegistration off and pre-registering clients by CIMD (clientIdMetadataDocumentSupported: true).",
        '2. If DCR must stay on, declare in the same stack, with the Tenant\'s provider, an auth0.ClientGrant with defaultFor "third_party_clients", subjectType "user", an MCP API identifier as audience and an explicit, minimal scopes list that the API declares (e.g. ["tools:read"]).',
        "3. Never set allowAllScopes on that grant, and never make the Auth0 Management API (https://<tenant>/api/v2/) its audience.",
        '4. Remove dynamicClientRegistrationSecurityMode "permissive" from the Tenant (leave it unset or "strict").',
        "5. If the grant's API lives in another stack, declare it in this policy's externalApis config (with its scopes); if the grants themselves live in another stack, set defaultGrantsManagedIn.",
    ].join("\n"),
    configSchema: {
        properties: {
            ...EXTERNAL_APIS_SCHEMA,
            ...MCP_API_SELECTION_SCHEMA,
            defaultGrantsManagedIn: {
                type: "string",
                minLength: 1,
                description:
                    "Split layouts: the project/stack that declares this tenant's default third-party grants (this rule checks them there).",
            },
        },
    },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const config = withDefaults<DcrGuardrailsConfig>(
            args.getConfig(),
            dynamicClientRegistrationGuardrails.configSchema,
        );
        const grants = judgeDefaultGrants(args, config, reportViolation);
        for (const tenant of resourcesOfType(args.resources, AUTH0_TYPES.tenant))
            judgeDcrTenant(tenant, grants, config, reportViolation);
    },
};
