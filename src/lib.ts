/**
 * Library entry of the `auth0-mcp` package: components, their argument types, the stack-config schema and
 * pure helpers. Importing it declares no resources; the program entry is src/index.ts.
 */
export { McpApi, MCP_API_TYPE, SUBJECT_TYPE_AUTHORIZATION } from "./mcp-api/component";
export { THIRD_PARTY_CLIENTS } from "../policy/facts";
export type { McpApiArgs, McpApiScope, ResolvedMcpApiArgs } from "./mcp-api/args";
export { MCP_API_DEFAULTS, resolveMcpApiArgs } from "./mcp-api/args";
export {
  mcpApiProblems,
  identifierProblems,
  signingAlgProblems,
  tokenDialectProblems,
  tokenLifetimeProblems,
} from "./mcp-api/validate";
export type { ProtectedResourceMetadata, ProtectedResourceMetadataInput } from "./mcp-api/metadata";
export { buildProtectedResourceMetadata, protectedResourceMetadataUrl } from "./mcp-api/metadata";
export type { ValidationContract, ValidationContractInput } from "./mcp-api/contract";
export { buildValidationContract, CLOCK_TOLERANCE_SECONDS } from "./mcp-api/contract";

export { TenantMcpSettings, TENANT_MCP_SETTINGS_TYPE, connectionMetadata, cimdClientMetadata } from "./tenant/component";
export type {
  TenantMcpSettingsArgs,
  ResolvedTenantMcpSettingsArgs,
  McpApiReference,
  PromotedConnectionArgs,
  CimdClientArgs,
  ResourceParameterProfile,
} from "./tenant/args";
export { RESOURCE_PARAMETER_PROFILES, TENANT_DEFAULTS, resolveTenantArgs, tenantAllowsThirdPartyClients } from "./tenant/args";
export { tenantSettingsProblems, cimdMetadataUrlProblems, reviewDateProblems } from "./tenant/validate";

export type { ConfigSource, StackConfig } from "./config/load";
export { StackConfigError, loadStackConfig } from "./config/load";
export * as configSchema from "./config/schema";
export type { StackOutputs, McpApiStackOutputs } from "./program";
export { buildStack, pulumiConfigSource, mcpApiComponentName, TENANT_COMPONENT_NAME } from "./program";

export type { Problem } from "./problems";
export { InvalidComponentArgsError } from "./problems";
export { issuerForDomain, jwksUriForDomain, tenantDomainProblems } from "./tenant-domain";
