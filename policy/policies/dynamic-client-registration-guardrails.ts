import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { type McpStackPolicy } from "../lib/policy-kit";
import { nonEmptyString, objectValue, quote, stringList } from "../lib/props";
import { AUTH0_TYPES, THIRD_PARTY_CLIENTS } from "../lib/resource-types";
import { resourcesOfType } from "../lib/stack";

export const DCR_GUARDRAILS_POLICY_NAME = "dynamic-client-registration-guardrails";

function isThirdPartyDefaultGrant(grant: PolicyResource): boolean {
  return nonEmptyString(grant.props.defaultFor)?.trim().toLowerCase() === THIRD_PARTY_CLIENTS;
}

/** Why a default third-party grant gives away more than an explicit scope list; empty when it does not. */
function grantProblems(grant: PolicyResource): string[] {
  const problems: string[] = [];
  if (grant.props.allowAllScopes === true) {
    problems.push("allowAllScopes is true, which hands every current and future scope of the API to any client that registers itself");
  }
  const scopes = stringList(grant.props.scopes) ?? [];
  if (scopes.filter((scope) => scope.trim() !== "").length === 0) {
    problems.push("scopes is empty or not set; list the scopes third-party clients may request explicitly");
  }
  return problems;
}

export const dynamicClientRegistrationGuardrails: McpStackPolicy = {
  name: DCR_GUARDRAILS_POLICY_NAME,
  description:
    "Dynamic client registration needs a default third-party client grant with an explicit scope list and no permissive security mode.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: [
    "1. Prefer turning flags.enableDynamicClientRegistration off and pre-registering clients by CIMD (clientIdMetadataDocumentSupported: true).",
    "2. If DCR must stay on, declare in the same stack an auth0.ClientGrant with defaultFor \"third_party_clients\", the MCP API as audience and an explicit, minimal scopes list (e.g. [\"tools:read\"]).",
    "3. Never set allowAllScopes on that grant.",
    "4. Remove dynamicClientRegistrationSecurityMode \"permissive\" from the Tenant (leave it unset or \"strict\").",
  ].join("\n"),
  validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const grants = resourcesOfType(args.resources, AUTH0_TYPES.clientGrant).filter(isThirdPartyDefaultGrant);

    // A default third-party grant applies to every DCR and CIMD client, whether or not DCR is on.
    const acceptableGrants: PolicyResource[] = [];
    for (const grant of grants) {
      const problems = grantProblems(grant);
      if (problems.length === 0) {
        acceptableGrants.push(grant);
        continue;
      }
      reportViolation(
        `ClientGrant "${grant.name}" (defaultFor "${THIRD_PARTY_CLIENTS}", audience ${quote(grant.props.audience)}) ` +
          `is the default permission set of every third-party client, but ${problems.join("; ")}. Set an explicit, ` +
          `minimal scopes list and remove allowAllScopes.`,
        grant.urn,
      );
    }

    for (const tenant of resourcesOfType(args.resources, AUTH0_TYPES.tenant)) {
      const flags = objectValue(tenant.props.flags);
      if (flags?.enableDynamicClientRegistration !== true) continue;
      const where = `Tenant "${tenant.name}" turns on flags.enableDynamicClientRegistration (anyone can register a client at /oidc/register)`;

      const mode = nonEmptyString(tenant.props.dynamicClientRegistrationSecurityMode);
      if (mode !== undefined && mode.trim().toLowerCase() === "permissive") {
        reportViolation(
          `${where} with dynamicClientRegistrationSecurityMode ${quote(mode)}, which lifts the strict third-party ` +
            `restrictions (PKCE, authorization_code only, RS256) from self-registered clients. Remove the setting or ` +
            `set it to "strict".`,
          tenant.urn,
        );
      }
      if (grants.length === 0) {
        reportViolation(
          `${where}, but this stack declares no ClientGrant with defaultFor "${THIRD_PARTY_CLIENTS}", so the ` +
            `permissions of self-registered clients are not controlled here. Add an auth0.ClientGrant with defaultFor ` +
            `"${THIRD_PARTY_CLIENTS}", the MCP API as audience and an explicit scopes list, or turn DCR off.`,
          tenant.urn,
        );
      } else if (acceptableGrants.length === 0) {
        reportViolation(
          `${where}, but none of its default third-party ClientGrants (${grants.map((g) => `"${g.name}"`).join(", ")}) ` +
            `has an explicit scope list without allowAllScopes. Fix the grant, or turn DCR off.`,
          tenant.urn,
        );
      }
    }
  },
};
