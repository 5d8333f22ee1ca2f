import { McpApiArgs, resolveMcpApiArgs } from "../mcp-api/args";
import { mcpApiProblems } from "../mcp-api/validate";
import { Problem, formatProblems, joinPath, prefixProblems } from "../problems";
import { PromotedConnectionArgs, TenantMcpSettingsArgs, resolveTenantArgs, tenantAllowsThirdPartyClients } from "../tenant/args";
import { tenantSettingsProblems } from "../tenant/validate";
import { tenantDomainProblems } from "../tenant-domain";
import { CONFIG_KEYS, CONFIG_NAMESPACE, TENANT_DOMAIN_KEY, apisSchema, connectionSecretsSchema, tenantSchema } from "./schema";
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

/**
 * Reads and validates all stack config. Collects every problem — shape, domain rules and cross-field rules —
 * and throws one StackConfigError listing them with their config key paths; returns only when all is well.
 */
export function loadStackConfig(source: ConfigSource): StackConfig {
  const problems: Problem[] = [];

  const known = new Set(Object.values(CONFIG_KEYS).map(key));
  for (const k of source.keys()) {
    if (k.startsWith(`${CONFIG_NAMESPACE}:`) && !known.has(k)) {
      problems.push({ path: k, message: `is not a known key (misspelt?); known keys: ${[...known].join(", ")}` });
    }
  }

  const domainRaw = source.get(TENANT_DOMAIN_KEY);
  if (domainRaw === undefined) {
    problems.push({ path: TENANT_DOMAIN_KEY, message: "is not set; run `pulumi config set auth0:domain <tenant>.<region>.auth0.com`" });
  } else {
    tenantDomainProblems(domainRaw).forEach((message) => problems.push({ path: TENANT_DOMAIN_KEY, message }));
  }
  const tenantDomain = domainRaw ?? "";
  const allowLocalhost = readBoolean(source, CONFIG_KEYS.allowLocalhost, false, problems);

  const apisRaw = readStructured(source, CONFIG_KEYS.apis, problems);
  const apisParsed =
    apisRaw === undefined
      ? (problems.push({ path: key(CONFIG_KEYS.apis), message: "is not set; declare at least one MCP API: a list of { identifier, scopes }" }), undefined)
      : apisRaw === null
        ? undefined
        : parseWithProblems(apisSchema, apisRaw, key(CONFIG_KEYS.apis));
  if (apisParsed) problems.push(...apisParsed.problems);

  const tenantRaw = readStructured(source, CONFIG_KEYS.tenant, problems);
  const tenantParsed = tenantRaw === null ? undefined : parseWithProblems(tenantSchema, tenantRaw ?? {}, key(CONFIG_KEYS.tenant));
  if (tenantParsed) problems.push(...tenantParsed.problems);

  const secretsRaw = readStructured(source, CONFIG_KEYS.connectionSecrets, problems);
  const secretsParsed = secretsRaw === null ? undefined : parseWithProblems(connectionSecretsSchema, secretsRaw ?? {}, key(CONFIG_KEYS.connectionSecrets));
  if (secretsParsed) problems.push(...secretsParsed.problems);

  const tenantConfig = tenantParsed?.value;
  const thirdPartyClientsAllowed = tenantAllowsThirdPartyClients(tenantConfig ?? {});

  const apis: McpApiArgs[] = (apisParsed?.value ?? []).map((api) => ({
    ...api,
    // Narrowed by the component's own rules below; the schema keeps them strings so HS256 gets a clear refusal.
    signingAlg: api.signingAlg as McpApiArgs["signingAlg"],
    tokenDialect: api.tokenDialect as McpApiArgs["tokenDialect"],
    tenantDomain,
    thirdPartyClientsAllowed,
    allowLocalhostHttp: allowLocalhost,
  }));
  apis.forEach((api, i) => {
    // The domain is reported once, against auth0:domain.
    const apiProblems = mcpApiProblems(resolveMcpApiArgs(api)).filter((p) => p.path !== "tenantDomain");
    problems.push(...prefixProblems(joinPath(key(CONFIG_KEYS.apis), i), apiProblems));
  });
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

  const promotedConnections: PromotedConnectionArgs[] = (tenantConfig?.promotedConnections ?? []).map((c) => ({
    ...c,
    options: c.options as PromotedConnectionArgs["options"],
  }));
  if (tenantConfig) {
    const apisOk = apisParsed?.value !== undefined;
    const tenantProblems = tenantSettingsProblems(
      resolveTenantArgs({ ...tenantConfig, promotedConnections, mcpApis: apis } as TenantMcpSettingsArgs),
    )
      // API-level problems (duplicates) are reported against auth0-mcp:apis above.
      .filter((p) => !p.path.startsWith("mcpApis"))
      // The default audience can only be checked against APIs that parsed.
      .filter((p) => apisOk || p.path !== "defaultAudience");
    problems.push(...prefixProblems(key(CONFIG_KEYS.tenant), tenantProblems));
    promotedConnections.forEach((c, i) => {
      if (c.options && "clientSecret" in (c.options as object)) {
        problems.push({
          path: `${key(CONFIG_KEYS.tenant)}.promotedConnections[${i}].options.clientSecret`,
          message: `is a secret in plain config; remove it and run \`pulumi config set --secret --path '${key(CONFIG_KEYS.connectionSecrets)}.${c.name}' <secret>\``,
        });
      }
    });
  }

  const connectionSecrets = secretsParsed?.value ?? {};
  const promotedNames = new Set(promotedConnections.map((c) => c.name));
  for (const name of Object.keys(connectionSecrets)) {
    if (tenantConfig && !promotedNames.has(name)) {
      problems.push({
        path: `${key(CONFIG_KEYS.connectionSecrets)}.${name}`,
        message: `names no connection in ${key(CONFIG_KEYS.tenant)}.promotedConnections (listed: ${[...promotedNames].join(", ") || "none"})`,
      });
    }
  }

  if (problems.length > 0) throw new StackConfigError(problems);
  return {
    tenantDomain,
    allowLocalhost,
    apis,
    tenant: {
      resourceParameterProfile: tenantConfig?.resourceParameterProfile as TenantMcpSettingsArgs["resourceParameterProfile"],
      enableDynamicClientRegistration: tenantConfig?.enableDynamicClientRegistration,
      clientIdMetadataDocumentSupported: tenantConfig?.clientIdMetadataDocumentSupported,
      defaultAudience: tenantConfig?.defaultAudience,
      useScopeDescriptionsForConsent: tenantConfig?.useScopeDescriptionsForConsent,
      promotedConnections,
      cimdClients: tenantConfig?.cimdClients ?? [],
    },
    connectionSecrets,
  };
}
