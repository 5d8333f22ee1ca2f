import {
    tokenValidationLimitsSchema,
    tokenValidationProblems,
    type TokenValidationLimits,
} from "../lib/api-validation";
import { judgeResourceIdentifier } from "../facts/canonical-uri";
import { describeUnknown, isOn, knownString, readInput } from "../lib/fields";
import { isMcpApi, MCP_API_SELECTION_SCHEMA, type McpApiSelection } from "../lib/mcp-apis";
import { withDefaults, type McpResourcePolicy, onAuth0Type } from "../lib/policy-kit";
import { quote } from "../lib/props";
import { AUTH0_TYPES } from "../facts/resource-types";
import { isAuthzTokenDialect } from "../facts/token-settings";

const MCP_API_TOKEN_SETTINGS_POLICY_NAME = "mcp-api-token-settings";

interface McpApiTokenSettingsConfig extends TokenValidationLimits, McpApiSelection {
    /** Accept `http://localhost` identifiers (local development tenants only). */
    allowLocalhostHttp: boolean;
}

/** The pack's wording of judgeResourceIdentifier (the components word it as identifierProblems). */
function identifierViolations(identifier: string, allowLocalhostHttp: boolean): string[] {
    const judged = judgeResourceIdentifier(identifier, { allowLocalhostHttp });
    if (judged.verdict === "unusable") {
        return [`identifier ${quote(identifier)} is not a usable MCP resource URI: ${judged.problems.join(", ")}`];
    }
    if (judged.verdict === "not-canonical") {
        const why = judged.problems.length > 0 ? judged.problems.join(", ") : "is not in canonical form";
        return [
            `identifier ${quote(identifier)} ${why}; MCP clients send the canonical URI as the resource parameter, so use ` +
                `${quote(judged.canonical)} (the identifier is immutable: changing it replaces the API)`,
        ];
    }
    return [];
}

export const mcpApiTokenSettings: McpResourcePolicy = {
    name: MCP_API_TOKEN_SETTINGS_POLICY_NAME,
    description:
        "Every MCP API must have a canonical https identifier and issue short-lived, asymmetrically signed JWTs that its server can validate.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: [
        "1. Set identifier to the MCP server's canonical URI: https, lowercase host, no trailing slash, no fragment (e.g. https://mcp.example.com/mcp).",
        "2. Set signingAlg to RS256 or PS256 (never HS256) and tokenDialect explicitly, e.g. rfc9068_profile_authz.",
        "3. With an *_authz dialect, set enforcePolicies: true so the permissions claim is filled.",
        "4. Set tokenLifetime (and tokenLifetimeForWeb, if used) to an integer from 60 to maxTokenLifetimeSeconds; remove tokenEncryption.",
        "5. Write these settings as literal values, not outputs of other resources, so the rule can verify them at preview.",
        "6. If the API is not an MCP server, list the MCP APIs in this policy's mcpApiIdentifiers config (or this API in exemptIdentifiers).",
    ].join("\n"),
    configSchema: {
        properties: {
            ...tokenValidationLimitsSchema("Largest accepted tokenLifetime and tokenLifetimeForWeb, in seconds."),
            ...MCP_API_SELECTION_SCHEMA,
            allowLocalhostHttp: {
                type: "boolean",
                description: "Accept http://localhost identifiers (local development tenants only).",
                default: false,
            },
        },
    },
    validateResource: onAuth0Type(AUTH0_TYPES.resourceServer, (args, reportViolation) => {
        const config = withDefaults<McpApiTokenSettingsConfig>(args.getConfig(), mcpApiTokenSettings.configSchema);
        const read = (path: string) => readInput(args.props, path);
        const identifierRead = read("identifier");
        const identifier = knownString(identifierRead);
        if (!isMcpApi(identifier, args.urn, config)) return;

        const problems: string[] = [];
        if (identifierRead.state === "unknown") {
            problems.push(
                `${describeUnknown("identifier", identifierRead)}; write the MCP server's canonical URI as a literal`,
            );
        } else if (identifier === undefined) {
            problems.push("identifier is not set");
        } else {
            problems.push(...identifierViolations(identifier, config.allowLocalhostHttp));
        }
        problems.push(...tokenValidationProblems(read, { ...config, rfc9068Only: false, restrictUserAccess: false }));

        const dialect = read("tokenDialect");
        if (dialect.state === "set" && typeof dialect.value === "string" && isAuthzTokenDialect(dialect.value)) {
            const rbac = read("enforcePolicies");
            if (rbac.state !== "set" || !isOn(rbac.value)) {
                problems.push(
                    `tokenDialect ${quote(dialect.value)} carries a permissions claim that Auth0 only fills when RBAC is on; set enforcePolicies: true`,
                );
            }
        }
        if (problems.length > 0) {
            reportViolation(
                `ResourceServer "${args.name}" (identifier ${quote(identifier)}): ${problems.join("; ")}. If this API is not ` +
                    `an MCP server, name your MCP APIs in mcpApiIdentifiers (or add this one to exemptIdentifiers) in the ` +
                    `${MCP_API_TOKEN_SETTINGS_POLICY_NAME} config.`,
            );
        }
    }),
};
