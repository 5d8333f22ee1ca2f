import { describeUnknown, isOn, lifetimeProblems, normalized, readInput } from "../lib/fields";
import { withDefaults, type McpResourcePolicy, onAuth0Type } from "../lib/policy-kit";
import { AUTH0_TYPES } from "../facts/resource-types";

const CLIENT_GRANT_TYPES_POLICY_NAME = "client-grant-types";

/**
 * Grants that hand out tokens (for any API of the tenant, MCP APIs included) without the authorization-code flow
 * with PKCE that OAuth 2.1 and MCP require: the implicit grant leaks tokens in URLs; the password grants make an
 * application hold users' passwords.
 */
const UNSAFE_GRANT_TYPES = [
    "implicit",
    "password",
    "http://auth0.com/oauth/grant-type/password-realm",
    "http://auth0.com/oauth/legacy/grant-type/ro",
    "http://auth0.com/oauth/legacy/grant-type/ro/jwt-bearer",
];

interface ClientGrantTypesConfig {
    /** Longest accepted refresh-token lifetime, in seconds. */
    maxRefreshTokenLifetimeSeconds: number;
    /** Names (Pulumi logical names) of clients this rule skips. */
    exemptClients: string[];
}

export const clientGrantTypes: McpResourcePolicy = {
    name: CLIENT_GRANT_TYPES_POLICY_NAME,
    description:
        "Applications must not get tokens through the implicit or password grants, and their refresh tokens must expire.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: [
        '1. Set grantTypes explicitly (Auth0\'s defaults include implicit), e.g. ["authorization_code", "refresh_token"] with PKCE for interactive apps, ["client_credentials"] for services.',
        "2. Remove implicit, password and the password-realm / legacy resource-owner grants.",
        '3. With refresh_token, set refreshToken { rotationType: "rotating", expirationType: "expiring", tokenLifetime: <= maxRefreshTokenLifetimeSeconds, infiniteTokenLifetime: false }.',
        "4. A client that must keep a legacy grant can be listed by name in this policy's exemptClients config, with the reason recorded in review.",
    ].join("\n"),
    configSchema: {
        properties: {
            maxRefreshTokenLifetimeSeconds: {
                type: "integer",
                description: "Longest accepted refreshToken.tokenLifetime, in seconds.",
                minimum: 60,
                maximum: 31_557_600,
                default: 2_592_000,
            },
            exemptClients: {
                type: "array",
                description: "Pulumi resource names of clients this policy skips.",
                items: { type: "string", minLength: 1 },
                uniqueItems: true,
                default: [],
            },
        },
    },
    validateResource: onAuth0Type(AUTH0_TYPES.client, (args, reportViolation) => {
        const config = withDefaults<ClientGrantTypesConfig>(args.getConfig(), clientGrantTypes.configSchema);
        if (config.exemptClients.includes(args.name)) return;
        const problems: string[] = [];

        const grants = readInput(args.props, "grantTypes");
        let grantTypes: string[] = [];
        if (grants.state === "unknown") {
            problems.push(`${describeUnknown("grantTypes", grants)}; list the grant types as literals`);
        } else if (grants.state === "unset") {
            problems.push(
                "grantTypes is not set, and Auth0's defaults include the implicit grant; list the grant types explicitly",
            );
        } else {
            grantTypes = Array.isArray(grants.value) ? grants.value.map((g) => normalized(g) ?? "") : [];
            const unsafe = grantTypes.filter((g) => UNSAFE_GRANT_TYPES.includes(g));
            if (unsafe.length > 0) {
                problems.push(
                    `grantTypes includes ${unsafe.map((g) => `"${g}"`).join(", ")}, which issue tokens without the authorization-code ` +
                        `flow with PKCE that OAuth 2.1 and MCP require; remove them`,
                );
            }
        }

        if (grantTypes.includes("refresh_token")) {
            const refresh = (path: string) => readInput(args.props, `refreshToken.${path}`);
            const infinite = refresh("infiniteTokenLifetime");
            const lifetime = refresh("tokenLifetime");
            const expiration = refresh("expirationType");
            if ([infinite, lifetime, expiration].some((r) => r.state === "unknown")) {
                problems.push("refreshToken settings are taken from another resource's output; write them as literals");
            } else if (expiration.state !== "set" || normalized(expiration.value) !== "expiring") {
                problems.push(
                    `refreshToken.expirationType is ${expiration.state === "set" ? JSON.stringify(expiration.value) : "not set"}; ` +
                        `refresh tokens that never expire outlive every review, so set it to "expiring"`,
                );
            } else if (infinite.state === "set" && isOn(infinite.value)) {
                problems.push(
                    "refreshToken.infiniteTokenLifetime is on; set it to false and give tokenLifetime a bound",
                );
            } else if (lifetime.state !== "set") {
                problems.push(
                    `refreshToken.tokenLifetime is not set; set it to at most ${config.maxRefreshTokenLifetimeSeconds} seconds`,
                );
            } else {
                problems.push(
                    ...lifetimeProblems(
                        "refreshToken.tokenLifetime",
                        lifetime.value,
                        config.maxRefreshTokenLifetimeSeconds,
                    ),
                );
            }
        }
        if (problems.length > 0) {
            reportViolation(`Client "${args.name}": ${problems.join("; ")}.`);
        }
    }),
};
