import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import {
    tokenValidationLimitsSchema,
    tokenValidationProblems,
    type TokenRequirements,
    type TokenValidationLimits,
} from "../lib/api-validation";
import { EXTERNAL_APIS_SCHEMA, externalApiReader, type ExternalApi } from "../lib/external-apis";
import { describeUnknown, knownString, readOutput } from "../lib/fields";
import { withDefaults, type McpStackPolicy } from "../lib/policy-kit";
import { quote } from "../lib/props";
import { AUTH0_TYPES } from "../facts/resource-types";
import { resourcesOfType, type StackApi } from "../lib/stack";
import { sameTenant } from "../lib/tenancy";

const DEFAULT_AUDIENCE_POLICY_NAME = "default-audience-requires-validation";

export type { ExternalApi };

interface DefaultAudienceConfig extends TokenValidationLimits {
    externalApis: ExternalApi[];
}

/** Same value once case and trailing slashes are ignored, but not identical: the classic near miss. */
function isNearMiss(a: string, b: string): boolean {
    const loose = (value: string) => value.trim().replace(/\/+$/, "").toLowerCase();
    return a !== b && loose(a) === loose(b);
}

/** The tenant's literal default audience; undefined when it sets none (reporting one it cannot tell at preview). */
function literalDefaultAudience(tenant: PolicyResource, reportViolation: ReportViolation): string | undefined {
    const audienceRead = readOutput(tenant, "defaultAudience");
    if (audienceRead.state === "unknown") {
        // Computed: the program leaves the default audience to the tenant (tenant-security-settings-explicit can require
        // it); taken from another resource: it cannot be related to an API at preview, so it fails closed.
        if (audienceRead.cause === "computed") return undefined;
        reportViolation(
            `Tenant "${tenant.name}": ${describeUnknown("defaultAudience", audienceRead)}, so this rule cannot tell which API ` +
                `every app in the tenant would get tokens for. Write defaultAudience as the literal identifier of an API ` +
                `declared in this stack (or in externalApis), or remove it.`,
            tenant.urn,
        );
        return undefined;
    }
    if (audienceRead.state === "unset") return undefined;
    const audience = typeof audienceRead.value === "string" ? audienceRead.value : "";
    return audience.trim() === "" ? undefined : audience;
}

/** `where`: the sentence that names the tenant and its default audience. */
function inStackApiProblem(where: string, inStack: StackApi, requirements: TokenRequirements): string | undefined {
    const problems = tokenValidationProblems((path) => readOutput(inStack.api, path), requirements);
    if (problems.length === 0) return undefined;
    return (
        `${where}, but its ResourceServer "${inStack.api.name}" issues tokens a resource server cannot safely validate: ` +
        `${problems.join("; ")}. Every app in the tenant gets this audience by default, so fix the ResourceServer ` +
        `settings or remove defaultAudience and use resourceParameterProfile "compatibility" instead.`
    );
}

function externalApiProblem(where: string, external: ExternalApi, requirements: TokenRequirements): string | undefined {
    const problems = tokenValidationProblems(externalApiReader(external), requirements);
    if (problems.length === 0) return undefined;
    return (
        `${where}, which the policy config declares as an API managed in ${quote(external.managedIn)}, but the ` +
        `declared settings do not allow safe token validation: ${problems.join("; ")}. Fix the API in that stack and ` +
        `update externalApis in the ${DEFAULT_AUDIENCE_POLICY_NAME} policy config.`
    );
}

/** A default audience that names no API of the stack or the config: unknown identifiers, a near miss, or nothing. */
function unmatchedAudienceProblem(
    where: string,
    audience: string,
    apis: StackApi[],
    config: DefaultAudienceConfig,
): string {
    const unknownIdentifiers = apis.filter((entry) => entry.identifier === undefined);
    if (unknownIdentifiers.length > 0) {
        return (
            `${where}, but the identifier of ResourceServer ${unknownIdentifiers.map((e) => `"${e.api.name}"`).join(", ")} is ` +
            `unknown at preview (taken from another resource), so the rule cannot tell whether it is the default ` +
            `audience. Write the API identifier as a literal.`
        );
    }
    const nearMisses = [
        ...apis
            .filter((entry) => entry.identifier !== undefined && isNearMiss(audience, entry.identifier))
            .map((entry) => `ResourceServer "${entry.api.name}" identifier ${quote(entry.identifier)}`),
        ...config.externalApis
            .filter((api) => isNearMiss(audience, api.identifier))
            .map((api) => `externalApis entry identifier ${quote(api.identifier)}`),
    ];
    if (nearMisses.length > 0) {
        return (
            `${where}, which does not match ${nearMisses.join(" or ")} exactly (they differ only in case or a trailing ` +
            `slash). Auth0 issues tokens with aud ${quote(audience)}, which the MCP server will reject or which no API ` +
            `defines. Set defaultAudience to exactly the ResourceServer identifier.`
        );
    }
    return (
        `${where}, but no ResourceServer of the same tenant in this stack has that exact identifier and the policy ` +
        `config's externalApis does not declare it. Declare the ResourceServer in this stack (with the Tenant's ` +
        `provider), or add it to externalApis in the ${DEFAULT_AUDIENCE_POLICY_NAME} config with its identifier, ` +
        `managedIn, signingAlg, tokenDialect, tokenLifetime and userAuthorizationPolicy, or remove defaultAudience.`
    );
}

function defaultAudienceProblem(
    where: string,
    audience: string,
    apis: StackApi[],
    config: DefaultAudienceConfig,
): string | undefined {
    const requirements: TokenRequirements = { ...config, rfc9068Only: true, restrictUserAccess: true };
    const inStack = apis.find((entry) => entry.identifier === audience);
    if (inStack) return inStackApiProblem(where, inStack, requirements);
    const external = config.externalApis.find((api) => api.identifier === audience);
    if (external) return externalApiProblem(where, external, requirements);
    return unmatchedAudienceProblem(where, audience, apis, config);
}

function checkTenant(
    tenant: PolicyResource,
    apis: StackApi[],
    config: DefaultAudienceConfig,
    reportViolation: ReportViolation,
): void {
    const audience = literalDefaultAudience(tenant, reportViolation);
    if (audience === undefined) return;
    const where = `Tenant "${tenant.name}" sets defaultAudience ${quote(audience)}`;
    const problem = defaultAudienceProblem(where, audience, apis, config);
    if (problem !== undefined) reportViolation(problem, tenant.urn);
}

export const defaultAudienceRequiresValidation: McpStackPolicy = {
    name: DEFAULT_AUDIENCE_POLICY_NAME,
    description:
        "A tenant default audience must name, exactly, an API of the same tenant whose tokens a resource server can validate.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: [
        "1. Compare the Tenant's defaultAudience with the ResourceServer identifier character by character (case, trailing slash) and make them identical; write it as a literal string.",
        '2. Give that ResourceServer, explicitly: an asymmetric signingAlg (RS256 or PS256), an RFC 9068 tokenDialect (rfc9068_profile or rfc9068_profile_authz), no tokenEncryption, an integer tokenLifetime from 60 to the configured maximum, and subjectTypeAuthorization.user.policy "require_client_grant".',
        "3. Declare the ResourceServer with the same provider (tenant) as the Tenant; if the API lives in another stack, add it to this policy's externalApis config with identifier, managedIn, signingAlg, tokenDialect, tokenLifetime and userAuthorizationPolicy.",
        '4. Prefer removing defaultAudience and setting resourceParameterProfile to "compatibility": the default audience applies to every app in the tenant.',
    ].join("\n"),
    configSchema: {
        properties: {
            ...tokenValidationLimitsSchema("Largest accepted tokenLifetime of the default-audience API, in seconds."),
            ...EXTERNAL_APIS_SCHEMA,
        },
    },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const config = withDefaults<DefaultAudienceConfig>(
            args.getConfig(),
            defaultAudienceRequiresValidation.configSchema,
        );
        const apis = resourcesOfType(args.resources, AUTH0_TYPES.resourceServer);
        for (const tenant of resourcesOfType(args.resources, AUTH0_TYPES.tenant)) {
            const tenantApis = apis
                .filter((api) => sameTenant(api, tenant))
                .map((api) => {
                    return { api, identifier: knownString(readOutput(api, "identifier")) };
                });
            checkTenant(tenant, tenantApis, config, reportViolation);
        }
    },
};
