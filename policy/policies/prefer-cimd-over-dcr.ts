import { type McpResourcePolicy, onAuth0Type } from "../lib/policy-kit";
import { isOn, readInput } from "../lib/fields";
import { AUTH0_TYPES } from "../facts/resource-types";

const PREFER_CIMD_POLICY_NAME = "prefer-cimd-over-dcr";

export const preferCimdOverDcr: McpResourcePolicy = {
    name: PREFER_CIMD_POLICY_NAME,
    description:
        "MCP clients should be registered by Client ID Metadata Document rather than open dynamic client registration.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: [
        "1. Set clientIdMetadataDocumentSupported: true on the Tenant.",
        "2. Pre-register the MCP clients you trust as auth0.ClientCimd resources (metadata URL on a domain you control).",
        "3. Set flags.enableDynamicClientRegistration to false once clients have moved; DCR is deprecated by the MCP 2026-07-28 specification.",
    ].join("\n"),
    validateResource: onAuth0Type(AUTH0_TYPES.tenant, (args, reportViolation) => {
        const dcr = readInput(args.props, "flags.enableDynamicClientRegistration");
        // Taken from another resource: DCR may be on, so the advice stands.
        if (dcr.state === "unset" || (dcr.state === "set" && !isOn(dcr.value))) return;
        const cimd = readInput(args.props, "clientIdMetadataDocumentSupported");
        const cimdOn = cimd.state === "set" && isOn(cimd.value);
        reportViolation(
            `Tenant "${args.name}" turns on flags.enableDynamicClientRegistration, an open registration endpoint ` +
                `that the MCP specification now deprecates` +
                (cimdOn
                    ? `; CIMD is already on, so pre-register the remaining clients as ClientCimd and turn DCR off.`
                    : `. Set clientIdMetadataDocumentSupported: true, register trusted clients as ClientCimd, and turn DCR off.`),
        );
    }),
};
