import type { z } from "zod";
import { isAsymmetricSigningAlgName, isTokenDialectName } from "../../../policy/facts";
import { McpApiArgs, resolveMcpApiArgs } from "../../components/mcp-api/args";
import { mcpApiProblems } from "../../components/mcp-api/validate";
import { Problem, formatProblems, joinPath, prefixProblems } from "../../components/problems";
import {
    McpApiReference,
    PromotedConnectionArgs,
    TENANT_DEFAULTS,
    TenantMcpSettingsArgs,
    isResourceParameterProfile,
    resolveTenantArgs,
    tenantAllowsThirdPartyClients,
} from "../../components/tenant/args";
import { tenantSettingsProblems } from "../../components/tenant/validate";
import { tenantDomainProblems } from "../../components/tenant-domain";
import {
    ApiConfig,
    CONFIG_KEYS,
    CONFIG_NAMESPACE,
    TENANT_DOMAIN_KEY,
    TenantConfig,
    apisSchema,
    connectionSecretsSchema,
    tenantSchema,
} from "./schema";
import { parseWithProblems } from "./zod-problems";

/** Where config comes from: the Pulumi runtime in the program, a plain map in tests. Values as Pulumi stores them (objects as JSON). */
export interface ConfigSource {
    get(key: string): string | undefined;
    keys(): string[];
}

/** The validated stack config, ready to build components from. */
export interface StackConfig {
    tenantDomain: string;
    allowLocalhost: boolean;
    /** Complete McpApi args, one per API, in config order. */
    apis: McpApiArgs[];
    tenant: Omit<TenantMcpSettingsArgs, "mcpApis">;
    /** Connection name → client secret (plaintext here; the program wraps it as a Pulumi secret). */
    connectionSecrets: Record<string, string>;
}

export class StackConfigError extends Error {
    constructor(readonly problems: readonly Problem[]) {
        super(
            `Stack config is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was deployed.\n` +
                `${formatProblems(problems)}\n` +
                "Fix them in Pulumi.<stack>.yaml or with `pulumi config set` (every key is described in the README's config reference).",
        );
        this.name = "StackConfigError";
    }
}

const key = (name: string) => `${CONFIG_NAMESPACE}:${name}`;

function readStructured(source: ConfigSource, name: string, problems: Problem[]): unknown {
    const raw = source.get(key(name));
    if (raw === undefined) return undefined;
    try {
        return JSON.parse(raw);
    } catch {
        problems.push({
            path: key(name),
            message: `is the plain string ${JSON.stringify(raw)}; write it as structured YAML under config: in Pulumi.<stack>.yaml, or with \`pulumi config set --path\``,
        });
        return null;
    }
}

function readBoolean(source: ConfigSource, name: string, fallback: boolean, problems: Problem[]): boolean {
    const raw = source.get(key(name));
    if (raw === undefined) return fallback;
    if (raw === "true" || raw === "false") return raw === "true";
    problems.push({ path: key(name), message: `got ${JSON.stringify(raw)}; expected true or false` });
    return fallback;
}

function unknownKeyProblems(source: ConfigSource): Problem[] {
    const known = new Set(Object.values(CONFIG_KEYS).map(key));
    return source
        .keys()
        .filter((k) => k.startsWith(`${CONFIG_NAMESPACE}:`) && !known.has(k))
        .map((k) => ({ path: k, message: `is not a known key (misspelt?); known keys: ${[...known].join(", ")}` }));
}

function readTenantDomain(source: ConfigSource, problems: Problem[]): string {
    const domain = source.get(TENANT_DOMAIN_KEY);
    if (domain === undefined) {
        problems.push({
            path: TENANT_DOMAIN_KEY,
            message: "is not set; run `pulumi config set auth0:domain <tenant>.<region>.auth0.com`",
        });
        return "";
    }
    tenantDomainProblems(domain).forEach((message) => problems.push({ path: TENANT_DOMAIN_KEY, message }));
    return domain;
}

/**
 * A structured key parsed by its schema: the typed value, or undefined when it is absent (`whenAbsent` decides
 * what that means), not structured or not of the schema's shape (each reported).
 */
function readSection<S extends z.ZodType>(
    source: ConfigSource,
    name: string,
    schema: S,
    whenAbsent: { value: unknown } | { problem: string },
    problems: Problem[],
): z.infer<S> | undefined {
    const raw = readStructured(source, name, problems);
    if (raw === null) return undefined;
    if (raw === undefined && "problem" in whenAbsent) {
        problems.push({ path: key(name), message: whenAbsent.problem });
        return undefined;
    }
    const parsed = parseWithProblems(schema, raw ?? ("value" in whenAbsent ? whenAbsent.value : undefined), key(name));
    problems.push(...parsed.problems);
    return parsed.value;
}

/** What every API of the stack shares: the tenant and its settings. */
interface ApiContext {
    tenantDomain: string;
    thirdPartyClientsAllowed: boolean;
    allowLocalhostHttp: boolean;
}

/** The component's own rules on one configured API (the domain is judged once, against auth0:domain). */
function apiProblems(api: ApiConfig, context: ApiContext): Problem[] {
    const { signingAlg, tokenDialect, ...typed } = api;
    const resolved = resolveMcpApiArgs({ ...typed, ...context });
    const toCheck = {
        ...resolved,
        signingAlg: signingAlg ?? resolved.signingAlg,
        tokenDialect: tokenDialect ?? resolved.tokenDialect,
    };
    return mcpApiProblems(toCheck, { tenantDomain: false });
}

function duplicateIdentifierProblems(apis: readonly ApiConfig[]): Problem[] {
    const problems: Problem[] = [];
    const seenIdentifiers = new Map<string, number>();
    apis.forEach((api, i) => {
        const first = seenIdentifiers.get(api.identifier);
        if (first !== undefined) {
            problems.push({
                path: `${joinPath(key(CONFIG_KEYS.apis), i)}.identifier`,
                message: `"${api.identifier}" is already declared at ${joinPath(key(CONFIG_KEYS.apis), first)}; identifiers are unique per tenant`,
            });
        } else seenIdentifiers.set(api.identifier, i);
    });
    return problems;
}

/**
 * The tenant component's rules on the configured settings. The API list itself is judged against auth0-mcp:apis
 * (duplicates), and the default audience only when the APIs could be read.
 */
function tenantProblems(tenant: TenantConfig, mcpApis: readonly McpApiReference[], apisRead: boolean): Problem[] {
    const { resourceParameterProfile, ...typed } = tenant;
    const resolved = resolveTenantArgs({ ...typed, mcpApis });
    const toCheck = {
        ...resolved,
        resourceParameterProfile: resourceParameterProfile ?? TENANT_DEFAULTS.resourceParameterProfile,
    };
    const problems = prefixProblems(
        key(CONFIG_KEYS.tenant),
        tenantSettingsProblems(toCheck, { mcpApiList: false, defaultAudience: apisRead }),
    );
    resolved.promotedConnections.forEach((c, i) => {
        if (c.options !== undefined && "clientSecret" in c.options) {
            problems.push({
                path: `${key(CONFIG_KEYS.tenant)}.promotedConnections[${i}].options.clientSecret`,
                message: `is a secret in plain config; remove it and run \`pulumi config set --secret --path '${key(CONFIG_KEYS.connectionSecrets)}.${c.name}' <secret>\``,
            });
        }
    });
    return problems;
}

function orphanSecretProblems(
    secrets: Record<string, string>,
    connections: readonly PromotedConnectionArgs[],
): Problem[] {
    const promotedNames = new Set(connections.map((c) => c.name));
    return Object.keys(secrets)
        .filter((name) => !promotedNames.has(name))
        .map((name) => ({
            path: `${key(CONFIG_KEYS.connectionSecrets)}.${name}`,
            message: `names no connection in ${key(CONFIG_KEYS.tenant)}.promotedConnections (listed: ${[...promotedNames].join(", ") || "none"})`,
        }));
}

/** A value the validators have accepted, narrowed to its type; anything else is a bug of the validators. */
function accepted<T extends string>(
    value: string | undefined,
    guard: (v: string) => v is T,
    where: string,
): T | undefined {
    if (value === undefined || guard(value)) return value;
    throw new Error(
        `${where} ${JSON.stringify(value)} was not refused by the config rules; this is a bug in auth0-mcp, please report it`,
    );
}

function componentArgs(api: ApiConfig, context: ApiContext, i: number): McpApiArgs {
    const at = joinPath(key(CONFIG_KEYS.apis), i);
    return {
        ...api,
        signingAlg: accepted(api.signingAlg, isAsymmetricSigningAlgName, `${at}.signingAlg`),
        tokenDialect: accepted(api.tokenDialect, isTokenDialectName, `${at}.tokenDialect`),
        tenantDomain: context.tenantDomain,
        thirdPartyClientsAllowed: context.thirdPartyClientsAllowed,
        allowLocalhostHttp: context.allowLocalhostHttp,
    };
}

function tenantArgs(tenant: TenantConfig | undefined): Omit<TenantMcpSettingsArgs, "mcpApis"> {
    return {
        resourceParameterProfile: accepted(
            tenant?.resourceParameterProfile,
            isResourceParameterProfile,
            `${key(CONFIG_KEYS.tenant)}.resourceParameterProfile`,
        ),
        enableDynamicClientRegistration: tenant?.enableDynamicClientRegistration,
        clientIdMetadataDocumentSupported: tenant?.clientIdMetadataDocumentSupported,
        defaultAudience: tenant?.defaultAudience,
        useScopeDescriptionsForConsent: tenant?.useScopeDescriptionsForConsent,
        promotedConnections: tenant?.promotedConnections ?? [],
        cimdClients: tenant?.cimdClients ?? [],
    };
}

/**
 * Reads and validates all stack config. Collects every problem — shape, domain rules and cross-field rules —
 * and throws one StackConfigError listing them with their config key paths; returns only when all is well.
 */
export function loadStackConfig(source: ConfigSource): StackConfig {
    const problems: Problem[] = unknownKeyProblems(source);
    const tenantDomain = readTenantDomain(source, problems);
    const allowLocalhost = readBoolean(source, CONFIG_KEYS.allowLocalhost, false, problems);
    const apiConfigs = readSection(
        source,
        CONFIG_KEYS.apis,
        apisSchema,
        { problem: "is not set; declare at least one MCP API: a list of { identifier, scopes }" },
        problems,
    );
    const tenantConfig = readSection(source, CONFIG_KEYS.tenant, tenantSchema, { value: {} }, problems);
    const secrets = readSection(
        source,
        CONFIG_KEYS.connectionSecrets,
        connectionSecretsSchema,
        { value: {} },
        problems,
    );

    const context: ApiContext = {
        tenantDomain,
        thirdPartyClientsAllowed: tenantAllowsThirdPartyClients(tenantConfig ?? {}),
        allowLocalhostHttp: allowLocalhost,
    };
    const apis = apiConfigs ?? [];
    apis.forEach((api, i) =>
        problems.push(...prefixProblems(joinPath(key(CONFIG_KEYS.apis), i), apiProblems(api, context))),
    );
    problems.push(...duplicateIdentifierProblems(apis));
    if (tenantConfig) {
        const references = apis.map((api) => ({
            identifier: api.identifier,
            thirdPartyClientsAllowed: context.thirdPartyClientsAllowed,
        }));
        problems.push(...tenantProblems(tenantConfig, references, apiConfigs !== undefined));
        problems.push(...orphanSecretProblems(secrets ?? {}, tenantConfig.promotedConnections ?? []));
    }

    if (problems.length > 0) throw new StackConfigError(problems);
    return {
        tenantDomain,
        allowLocalhost,
        apis: apis.map((api, i) => componentArgs(api, context, i)),
        tenant: tenantArgs(tenantConfig),
        connectionSecrets: secrets ?? {},
    };
}
