/**
 * The rules of the auth0-mcp policy pack, in the order the CLI reports them, and their metadata in a form tools
 * (docs, the offline checker) can read without starting the gRPC server. Severity and remediation steps are
 * native `Policy` fields, so `GetAnalyzerInfo` also carries them in `PolicyInfo.severity` and
 * `PolicyInfo.remediation_steps`.
 */
import { type McpPolicy, isStackPolicy } from "./lib/policy-kit";
import { approvedIdentityProviders } from "./policies/approved-identity-providers";
import { cimdClientGovernance } from "./policies/cimd-client-governance";
import { clientGrantTypes } from "./policies/client-grant-types";
import { defaultAudienceRequiresValidation } from "./policies/default-audience-requires-validation";
import { dynamicClientRegistrationGuardrails } from "./policies/dynamic-client-registration-guardrails";
import { jwksKeepsAlg } from "./policies/jwks-keeps-alg";
import { mcpApiTenantManaged } from "./policies/mcp-api-tenant-managed";
import { mcpApiTokenSettings } from "./policies/mcp-api-token-settings";
import { preferCimdOverDcr } from "./policies/prefer-cimd-over-dcr";
import { promotedConnectionApprovalRecorded } from "./policies/promoted-connection-approval-recorded";
import { resourceParameterCompatibility } from "./policies/resource-parameter-compatibility";
import { singleTenantResource } from "./policies/single-tenant-resource";
import { tenantSecuritySettingsExplicit } from "./policies/tenant-security-settings-explicit";
import { thirdPartyClientGovernance } from "./policies/third-party-client-governance";

export const POLICY_PACK_NAME = "auth0-mcp";

export const MCP_POLICIES: McpPolicy[] = [
    defaultAudienceRequiresValidation,
    approvedIdentityProviders,
    promotedConnectionApprovalRecorded,
    dynamicClientRegistrationGuardrails,
    preferCimdOverDcr,
    mcpApiTokenSettings,
    resourceParameterCompatibility,
    cimdClientGovernance,
    singleTenantResource,
    tenantSecuritySettingsExplicit,
    jwksKeepsAlg,
    clientGrantTypes,
    mcpApiTenantManaged,
    thirdPartyClientGovernance,
];

interface PolicySummary {
    name: string;
    kind: "resource" | "stack";
    enforcementLevel: McpPolicy["enforcementLevel"];
    severity: McpPolicy["severity"];
    description: string;
    remediationSteps: string;
    configKeys: string[];
}

export function policySummaries(policies: readonly McpPolicy[] = MCP_POLICIES): PolicySummary[] {
    return policies.map((policy) => ({
        name: policy.name,
        kind: isStackPolicy(policy) ? "stack" : "resource",
        enforcementLevel: policy.enforcementLevel,
        severity: policy.severity,
        description: policy.description,
        remediationSteps: policy.remediationSteps,
        configKeys: Object.keys(policy.configSchema?.properties ?? {}),
    }));
}
