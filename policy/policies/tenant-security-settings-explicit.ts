import { withDefaults, type McpResourcePolicy, onAuth0Type } from "../lib/policy-kit";
import { readInput } from "../lib/fields";
import { AUTH0_TYPES } from "../facts/resource-types";

const TENANT_SETTINGS_EXPLICIT_POLICY_NAME = "tenant-security-settings-explicit";

/** Tenant settings this policy can require, as dotted paths of @pulumi/auth0 TenantArgs. */
const SUPPORTED_TENANT_SETTINGS = [
    "flags.enableDynamicClientRegistration",
    "flags.enableClientConnections",
    "flags.removeAlgFromJwks",
    "flags.useScopeDescriptionsForConsent",
    "clientIdMetadataDocumentSupported",
    "resourceParameterProfile",
    "defaultAudience",
] as const;

const DEFAULT_REQUIRED_TENANT_SETTINGS = [
    "flags.enableDynamicClientRegistration",
    "flags.enableClientConnections",
    "clientIdMetadataDocumentSupported",
    "resourceParameterProfile",
];

interface TenantSettingsExplicitConfig {
    requiredSettings: string[];
}

export const tenantSecuritySettingsExplicit: McpResourcePolicy = {
    name: TENANT_SETTINGS_EXPLICIT_POLICY_NAME,
    description:
        "Security-relevant tenant settings must be set explicitly, because settings left out of code are never reverted after a dashboard change.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: [
        "1. For each setting the violation lists, decide the intended value and write it into the Tenant resource (e.g. flags.enableDynamicClientRegistration: false).",
        '2. Safe MCP values: flags.enableDynamicClientRegistration false (unless DCR is needed), flags.enableClientConnections false, clientIdMetadataDocumentSupported true, resourceParameterProfile "compatibility".',
        "3. Run pulumi preview to see the drift the explicit values will correct.",
    ].join("\n"),
    configSchema: {
        properties: {
            requiredSettings: {
                type: "array",
                description: "Tenant settings (dotted TenantArgs paths) that must be set explicitly.",
                items: { type: "string", enum: [...SUPPORTED_TENANT_SETTINGS] },
                uniqueItems: true,
                default: DEFAULT_REQUIRED_TENANT_SETTINGS,
            },
        },
    },
    validateResource: onAuth0Type(AUTH0_TYPES.tenant, (args, reportViolation) => {
        const config = withDefaults<TenantSettingsExplicitConfig>(
            args.getConfig(),
            tenantSecuritySettingsExplicit.configSchema,
        );
        // A value taken from another resource is unknown at preview but still written in code: it counts as set.
        const missing = config.requiredSettings.filter((path) => readInput(args.props, path).state === "unset");
        if (missing.length > 0) {
            reportViolation(
                `Tenant "${args.name}" leaves ${missing.join(", ")} unset. Auth0 tenant settings are optional and computed: ` +
                    `a value left out of code is never reverted if someone changes it in the dashboard. Set each of them ` +
                    `explicitly on the Tenant resource.`,
            );
        }
    }),
};
