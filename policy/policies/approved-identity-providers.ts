import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { type McpResourcePolicy } from "../lib/policy-kit";
import { nonEmptyString, quote } from "../lib/props";
import { AUTH0_TYPES } from "../lib/resource-types";

export const APPROVED_IDPS_POLICY_NAME = "approved-identity-providers";

export interface ApprovedIdentityProvidersConfig {
  approvedStrategies?: string[];
  approvedConnections?: string[];
}

export const approvedIdentityProviders: McpResourcePolicy = {
  name: APPROVED_IDPS_POLICY_NAME,
  description:
    "Only approved identity-provider strategies and connections may be promoted to domain level for third-party MCP clients.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps: [
    "1. Decide whether this identity provider should be offered to every third-party (DCR/CIMD) client in the tenant: promotion is a tenant-wide trust decision.",
    "2. If it should not, set isDomainConnection to false (or remove it).",
    "3. If it should, have the platform team add its strategy to approvedStrategies (and, when that list is used, its connection name to approvedConnections) in this policy's config for the environment.",
  ].join("\n"),
  configSchema: {
    properties: {
      approvedStrategies: {
        type: "array",
        description: "Connection strategies that may be promoted to domain level, e.g. google-oauth2, oidc, samlp. No value means none.",
        items: { type: "string", minLength: 1 },
        uniqueItems: true,
      },
      approvedConnections: {
        type: "array",
        description: "When given, only connections with these exact names may be promoted (in addition to the strategy check).",
        items: { type: "string", minLength: 1 },
        uniqueItems: true,
      },
    },
  },
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (args.type !== AUTH0_TYPES.connection) return;
    if (args.props.isDomainConnection !== true) return;
    const config = args.getConfig<ApprovedIdentityProvidersConfig>();
    const connectionName = nonEmptyString(args.props.name);
    const strategy = nonEmptyString(args.props.strategy);
    const where = `Connection "${args.name}" (name ${quote(connectionName)}, strategy ${quote(strategy)}) sets isDomainConnection: true`;

    if (config.approvedStrategies === undefined) {
      reportViolation(
        `${where}, but no identity providers are approved for promotion: the policy fails closed. Add ` +
          `"approvedStrategies" (e.g. ["google-oauth2"]) to the ${APPROVED_IDPS_POLICY_NAME} policy config, or set ` +
          `isDomainConnection to false.`,
      );
      return;
    }
    const approved = config.approvedStrategies.map((s) => s.trim().toLowerCase());
    if (strategy === undefined || !approved.includes(strategy.trim().toLowerCase())) {
      reportViolation(
        `${where}, but strategy ${quote(strategy)} is not in approvedStrategies ` +
          `[${config.approvedStrategies.join(", ")}]. Set isDomainConnection to false, or get the strategy ` +
          `approved in the ${APPROVED_IDPS_POLICY_NAME} policy config.`,
      );
    }
    if (config.approvedConnections !== undefined) {
      if (connectionName === undefined || !config.approvedConnections.includes(connectionName)) {
        reportViolation(
          `${where}, but connection name ${quote(connectionName)} is not in approvedConnections ` +
            `[${config.approvedConnections.join(", ")}]. Set isDomainConnection to false, or add the exact ` +
            `connection name to approvedConnections in the ${APPROVED_IDPS_POLICY_NAME} policy config.`,
        );
      }
    }
  },
};
