/**
 * Library entry of the `auth0-mcp` package: components, their argument types, the stack-config schema and
 * pure helpers. Importing it declares no resources; the program entry is src/program/index.ts.
 */
export { McpApi, MCP_API_TYPE, SUBJECT_TYPE_AUTHORIZATION } from "./components/mcp-api/component";
export { THIRD_PARTY_CLIENTS } from "../policy/facts";
export type { McpApiArgs, McpApiScope, ResolvedMcpApiArgs } from "./components/mcp-api/args";
export { MCP_API_DEFAULTS, resolveMcpApiArgs } from "./components/mcp-api/args";
export {
    mcpApiProblems,
    identifierProblems,
    signingAlgProblems,
    tokenDialectProblems,
    tokenLifetimeProblems,
} from "./components/mcp-api/validate";
export type { ProtectedResourceMetadata, ProtectedResourceMetadataInput } from "./components/mcp-api/metadata";
export { buildProtectedResourceMetadata, protectedResourceMetadataUrl } from "./components/mcp-api/metadata";
export type { ValidationContract, ValidationContractInput } from "./components/mcp-api/contract";
export { buildValidationContract, CLOCK_TOLERANCE_SECONDS } from "./components/mcp-api/contract";

export {
    TenantMcpSettings,
    TENANT_MCP_SETTINGS_TYPE,
    connectionMetadata,
    cimdClientMetadata,
} from "./components/tenant/component";
export type {
    TenantMcpSettingsArgs,
    ResolvedTenantMcpSettingsArgs,
    McpApiReference,
    PromotedConnectionArgs,
    CimdClientArgs,
    ResourceParameterProfile,
} from "./components/tenant/args";
export {
    RESOURCE_PARAMETER_PROFILES,
    TENANT_DEFAULTS,
    resolveTenantArgs,
    tenantAllowsThirdPartyClients,
} from "./components/tenant/args";
export { tenantSettingsProblems, cimdMetadataUrlProblems, reviewDateProblems } from "./components/tenant/validate";

export type { ConfigSource, StackConfig } from "./program/config/load";
export { StackConfigError, loadStackConfig } from "./program/config/load";
export * as configSchema from "./program/config/schema";
export type { StackOutputs, McpApiStackOutputs } from "./program/stack";
export { buildStack, pulumiConfigSource, mcpApiComponentName, TENANT_COMPONENT_NAME } from "./program/stack";

export type { Problem } from "./components/problems";
export { InvalidComponentArgsError } from "./components/problems";
export { issuerForDomain, jwksUriForDomain, tenantDomainProblems } from "./components/tenant-domain";
