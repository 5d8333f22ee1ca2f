import { type McpResourcePolicy, onAuth0Type } from "../lib/policy-kit";
import { describeUnknown, isOn, readInput } from "../lib/fields";
import { AUTH0_TYPES } from "../facts/resource-types";

const JWKS_KEEPS_ALG_POLICY_NAME = "jwks-keeps-alg";

export const jwksKeepsAlg: McpResourcePolicy = {
    name: JWKS_KEEPS_ALG_POLICY_NAME,
    description: "The tenant JWKS must keep the alg member on its keys so MCP servers can pin the signing algorithm.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: [
        "1. Remove flags.removeAlgFromJwks from the Tenant or set it to false.",
        '2. Run pulumi up, then check https://<tenant-domain>/.well-known/jwks.json: every key should carry "alg".',
    ].join("\n"),
    validateResource: onAuth0Type(AUTH0_TYPES.tenant, (args, reportViolation) => {
        const flag = readInput(args.props, "flags.removeAlgFromJwks");
        if (flag.state === "unknown") {
            reportViolation(
                `Tenant "${args.name}": ${describeUnknown("flags.removeAlgFromJwks", flag)}; write flags.removeAlgFromJwks: false.`,
            );
        } else if (flag.state === "set" && isOn(flag.value)) {
            reportViolation(
                `Tenant "${args.name}" sets flags.removeAlgFromJwks: ${JSON.stringify(flag.value)}. JWT libraries that require "alg" on JWKS keys ` +
                    `(and servers that pin an algorithm allowlist by key) then fail to validate tokens. Set ` +
                    `flags.removeAlgFromJwks to false or remove it.`,
            );
        }
    }),
};
