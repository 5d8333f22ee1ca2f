/**
 * What the Auth0 provider's Check does that its npm package does not describe: Terraform validation of enum
 * properties and ranges, Terraform schema defaults, and the bridge's own defaults and auto-naming.
 *
 * Read from the sources @pulumi/auth0 3.49.0 is built from: pulumi/pulumi-auth0 tag v3.49.0 (provider/resources.go),
 * whose `upstream` submodule pins auth0/terraform-provider-auth0 at 7ab86e5 (= v1.53.0). Paths and line numbers below
 * are in that upstream commit. Only the resources the policy pack reads are covered (Tenant, ResourceServer,
 * ClientGrant, Client, ClientCimd, Connection's top level), and only enums (StringInSlice) and numeric bounds
 * (IntBetween, FloatAtLeast); other validators (string lengths, URL forms) and other types are not emulated, which can
 * only make the offline check more permissive than a real preview, never stricter. ResourceServer token lifetimes
 * have no Terraform bound at this version (resourceserver/resource.go:97-110).
 *
 * Paths are Pulumi property paths: `a.b` for a nested (MaxItems 1) block, `a[]` for each element of a list or set.
 */

export interface EnumRule {
    path: string;
    /** Terraform key as the validator names it; `#` is the list index. */
    tf: string;
    values: readonly string[];
    /** `validation.StringInSlice(valid, ignoreCase)`: true compares with strings.EqualFold. */
    ignoreCase: boolean;
    source: string;
}

/** helper/validation IntBetween / IntAtLeast / FloatAtLeast (no bound = unbounded on that side). */
export interface RangeRule {
    path: string;
    tf: string;
    kind: "int" | "float";
    min?: number;
    max?: number;
    source: string;
}

export interface DefaultRule {
    path: string;
    value: unknown;
    source: string;
}

export interface ProviderRules {
    /** Bridge `SetAutonaming(maxLength, separator)`: every string input called `name` gets `<name><sep><7 hex>`. */
    autonaming?: { maxLength: number; separator: string; source: string };
    enums: Readonly<Record<string, readonly EnumRule[]>>;
    ranges: Readonly<Record<string, readonly RangeRule[]>>;
    /** Defaults the bridge adds to the checked inputs when the program leaves the property out. */
    defaults: Readonly<Record<string, readonly DefaultRule[]>>;
}

const UP = "auth0/terraform-provider-auth0@v1.53.0";
const TENANT = `${UP} internal/auth0/tenant/resource.go`;
const RS = `${UP} internal/auth0/resourceserver/resource.go`;
const GRANT = `${UP} internal/auth0/client/resource_grant.go`;
const CLIENT = `${UP} internal/auth0/client/resource.go`;
const CIMD = `${UP} internal/auth0/client/resource_cimd.go`;
const CONNECTION = `${UP} internal/auth0/connection/schema.go`;

const APP_TYPES = [
    "native",
    "spa",
    "regular_web",
    "non_interactive",
    "resource_server",
    "rms",
    "box",
    "cloudbees",
    "concur",
    "dropbox",
    "mscrm",
    "echosign",
    "egnyte",
    "newrelic",
    "office365",
    "salesforce",
    "sentry",
    "sharepoint",
    "slack",
    "springcm",
    "sso_integration",
    "zendesk",
    "zoom",
    "express_configuration",
] as const; // client/resource.go:23 ValidAppTypes

const STRATEGIES = [
    "ad",
    "adfs",
    "amazon",
    "apple",
    "dropbox",
    "bitbucket",
    "aol",
    "auth0-adldap",
    "auth0-oidc",
    "auth0",
    "baidu",
    "bitly",
    "box",
    "custom",
    "daccount",
    "dwolla",
    "email",
    "evernote-sandbox",
    "evernote",
    "exact",
    "facebook",
    "fitbit",
    "flickr",
    "github",
    "google-apps",
    "google-oauth2",
    "guardian",
    "instagram",
    "ip",
    "linkedin",
    "miicard",
    "oauth1",
    "oauth2",
    "office365",
    "oidc",
    "okta",
    "paypal",
    "paypal-sandbox",
    "pingfederate",
    "planningcenter",
    "renren",
    "salesforce-community",
    "salesforce-sandbox",
    "salesforce",
    "samlp",
    "sharepoint",
    "shopify",
    "sms",
    "soundcloud",
    "thecity-sandbox",
    "thecity",
    "thirtysevensignals",
    "twitter",
    "untappd",
    "vkontakte",
    "waad",
    "weibo",
    "windowslive",
    "wordpress",
    "yahoo",
    "yammer",
    "yandex",
    "line",
] as const;

/** pulumi-auth0 provider/resources.go: `managedByPulumi = &tfbridge.DefaultInfo{Value: "Managed by Pulumi"}`. */
const MANAGED_BY_PULUMI = "Managed by Pulumi";

export const AUTH0_RULES: ProviderRules = {
    autonaming: {
        maxLength: 255,
        separator: "-",
        source: 'pulumi/pulumi-auth0@v3.49.0 provider/resources.go: prov.SetAutonaming(255, "-")',
    },
    enums: {
        "auth0:index/tenant:Tenant": [
            {
                path: "sessionCookie.mode",
                tf: "session_cookie.0.mode",
                values: ["persistent", "non-persistent"],
                ignoreCase: false,
                source: `${TENANT}:326`,
            },
            {
                path: "skipNonVerifiableCallbackUriConfirmationPrompt",
                tf: "skip_non_verifiable_callback_uri_confirmation_prompt",
                values: ["true", "false", "null"],
                ignoreCase: false,
                source: `${TENANT}:464`,
            },
            {
                path: "resourceParameterProfile",
                tf: "resource_parameter_profile",
                values: ["audience", "compatibility"],
                ignoreCase: false,
                source: `${TENANT}:485`,
            },
            {
                path: "dynamicClientRegistrationSecurityMode",
                tf: "dynamic_client_registration_security_mode",
                values: ["strict", "permissive"],
                ignoreCase: false,
                source: `${TENANT}:494`,
            },
        ],
        "auth0:index/resourceServer:ResourceServer": [
            {
                path: "signingAlg",
                tf: "signing_alg",
                values: ["HS256", "RS256", "PS256"],
                ignoreCase: true,
                source: `${RS}:54`,
            },
            {
                path: "tokenDialect",
                tf: "token_dialect",
                values: ["access_token", "access_token_authz", "rfc9068_profile", "rfc9068_profile_authz"],
                ignoreCase: true,
                source: `${RS}:134`,
            },
            {
                path: "consentPolicy",
                tf: "consent_policy",
                values: ["transactional-authorization-with-mfa", "null"],
                ignoreCase: true,
                source: `${RS}:151`,
            },
            {
                path: "tokenEncryption.format",
                tf: "token_encryption.0.format",
                values: ["compact-nested-jwe"],
                ignoreCase: true,
                source: `${RS}:190`,
            },
            {
                path: "proofOfPossession.mechanism",
                tf: "proof_of_possession.0.mechanism",
                values: ["mtls", "dpop"],
                ignoreCase: true,
                source: `${RS}:251`,
            },
            {
                path: "proofOfPossession.requiredFor",
                tf: "proof_of_possession.0.required_for",
                values: ["all_clients", "public_clients"],
                ignoreCase: true,
                source: `${RS}:271`,
            },
            {
                path: "subjectTypeAuthorization.user.policy",
                tf: "subject_type_authorization.0.user.0.policy",
                values: ["allow_all", "deny_all", "require_client_grant"],
                ignoreCase: false,
                source: `${RS}:316`,
            },
            {
                path: "subjectTypeAuthorization.client.policy",
                tf: "subject_type_authorization.0.client.0.policy",
                values: ["deny_all", "require_client_grant"],
                ignoreCase: false,
                source: `${RS}:337`,
            },
        ],
        "auth0:index/clientGrant:ClientGrant": [
            {
                path: "organizationUsage",
                tf: "organization_usage",
                values: ["allow", "deny", "require"],
                ignoreCase: true,
                source: `${GRANT}:60`,
            },
            {
                path: "subjectType",
                tf: "subject_type",
                values: ["client", "user"],
                ignoreCase: true,
                source: `${GRANT}:77`,
            },
            {
                path: "defaultFor",
                tf: "default_for",
                values: ["third_party_clients"],
                ignoreCase: false,
                source: `${GRANT}:100`,
            },
        ],
        "auth0:index/clientCimd:ClientCimd": [
            {
                path: "appType",
                tf: "app_type",
                values: ["native", "regular_web", "spa"],
                ignoreCase: false,
                source: `${CIMD}:120`,
            },
            {
                path: "grantTypes[]",
                tf: "grant_types.#",
                values: ["authorization_code", "refresh_token"],
                ignoreCase: false,
                source: `${CIMD}:145`,
            },
            {
                path: "organizationDiscoveryMethods[]",
                tf: "organization_discovery_methods.#",
                values: ["email", "organization_name"],
                ignoreCase: false,
                source: `${CIMD}:164`,
            },
            {
                path: "redirectionPolicy",
                tf: "redirection_policy",
                values: ["allow_always", "open_redirect_protection"],
                ignoreCase: false,
                source: `${CIMD}:249`,
            },
            {
                path: "jwtConfiguration.alg",
                tf: "jwt_configuration.0.alg",
                values: ["RS256", "RS512", "PS256"],
                ignoreCase: false,
                source: `${CIMD}:271`,
            },
            {
                path: "refreshToken.rotationType",
                tf: "refresh_token.0.rotation_type",
                values: ["rotating", "non-rotating"],
                ignoreCase: false,
                source: `${CIMD}:299`,
            },
            {
                path: "refreshToken.expirationType",
                tf: "refresh_token.0.expiration_type",
                values: ["expiring"],
                ignoreCase: false,
                source: `${CIMD}:307`,
            },
        ],
        "auth0:index/client:Client": [
            { path: "appType", tf: "app_type", values: APP_TYPES, ignoreCase: false, source: `${CLIENT}:129` },
            {
                path: "thirdPartySecurityMode",
                tf: "third_party_security_mode",
                values: ["strict", "permissive"],
                ignoreCase: false,
                source: `${CLIENT}:152`,
            },
            {
                path: "redirectionPolicy",
                tf: "redirection_policy",
                values: ["allow_always", "open_redirect_protection"],
                ignoreCase: false,
                source: `${CLIENT}:160`,
            },
            {
                path: "asyncApprovalNotificationChannels[]",
                tf: "async_approval_notification_channels.#",
                values: ["guardian-push", "email"],
                ignoreCase: false,
                source: `${CLIENT}:216`,
            },
            {
                path: "organizationUsage",
                tf: "organization_usage",
                values: ["deny", "allow", "require"],
                ignoreCase: false,
                source: `${CLIENT}:229`,
            },
            {
                path: "organizationRequireBehavior",
                tf: "organization_require_behavior",
                values: ["no_prompt", "pre_login_prompt", "post_login_prompt"],
                ignoreCase: false,
                source: `${CLIENT}:239`,
            },
            {
                path: "organizationDiscoveryMethods[]",
                tf: "organization_discovery_methods.#",
                values: ["email", "organization_name"],
                ignoreCase: false,
                source: `${CLIENT}:249`,
            },
            {
                path: "jwtConfiguration.alg",
                tf: "jwt_configuration.0.alg",
                values: ["HS256", "RS256", "PS256"],
                ignoreCase: false,
                source: `${CLIENT}:310`,
            },
            {
                path: "refreshToken.rotationType",
                tf: "refresh_token.0.rotation_type",
                values: ["rotating", "non-rotating"],
                ignoreCase: false,
                source: `${CLIENT}:524`,
            },
            {
                path: "refreshToken.expirationType",
                tf: "refresh_token.0.expiration_type",
                values: ["expiring", "non-expiring"],
                ignoreCase: false,
                source: `${CLIENT}:536`,
            },
            {
                path: "tokenExchange.allowAnyProfileOfTypes[]",
                tf: "token_exchange.0.allow_any_profile_of_type.#",
                values: ["custom_authentication", "on_behalf_of_token_exchange"],
                ignoreCase: false,
                source: `${CLIENT}:1487`,
            },
            {
                path: "complianceLevel",
                tf: "compliance_level",
                values: ["none", "fapi1_adv_pkj_par", "fapi1_adv_mtls_par"],
                ignoreCase: false,
                source: `${CLIENT}:1498`,
            },
            {
                path: "oidcLogout.backchannelLogoutInitiators.mode",
                tf: "oidc_logout.0.backchannel_logout_initiators.0.mode",
                values: ["all", "custom"],
                ignoreCase: false,
                source: `${CLIENT}:1533`,
            },
            {
                path: "sessionTransfer.allowedAuthenticationMethods[]",
                tf: "session_transfer.0.allowed_authentication_methods.#",
                values: ["cookie", "query"],
                ignoreCase: false,
                source: `${CLIENT}:1584`,
            },
            {
                path: "sessionTransfer.enforceDeviceBinding",
                tf: "session_transfer.0.enforce_device_binding",
                values: ["ip", "asn", "none"],
                ignoreCase: false,
                source: `${CLIENT}:1593`,
            },
            {
                path: "sessionTransfer.delegation.enforceDeviceBinding",
                tf: "session_transfer.0.delegation.0.enforce_device_binding",
                values: ["ip", "asn"],
                ignoreCase: false,
                source: `${CLIENT}:1630`,
            },
            {
                path: "skipNonVerifiableCallbackUriConfirmationPrompt",
                tf: "skip_non_verifiable_callback_uri_confirmation_prompt",
                values: ["true", "false", "null"],
                ignoreCase: false,
                source: `${CLIENT}:1669`,
            },
            {
                path: "myOrganizationConfiguration.connectionDeletionBehavior",
                tf: "my_organization_configuration.0.connection_deletion_behavior",
                values: ["allow", "allow_if_empty"],
                ignoreCase: false,
                source: `${CLIENT}:1711`,
            },
        ],
        "auth0:index/connection:Connection": [
            { path: "strategy", tf: "strategy", values: STRATEGIES, ignoreCase: true, source: `${CONNECTION}:35` },
        ],
    },
    ranges: {
        "auth0:index/tenant:Tenant": [
            { path: "sessionLifetime", tf: "session_lifetime", kind: "float", min: 0.01, source: `${TENANT}:111` },
            {
                path: "idleSessionLifetime",
                tf: "idle_session_lifetime",
                kind: "float",
                min: 0.01,
                source: `${TENANT}:118`,
            },
            {
                path: "ephemeralSessionLifetime",
                tf: "ephemeral_session_lifetime",
                kind: "float",
                min: 0.0167,
                source: `${TENANT}:125`,
            },
            {
                path: "idleEphemeralSessionLifetime",
                tf: "idle_ephemeral_session_lifetime",
                kind: "float",
                min: 0.0167,
                source: `${TENANT}:132`,
            },
        ],
        "auth0:index/client:Client": [
            {
                path: "addons.aws.lifetimeInSeconds",
                tf: "addons.0.aws.0.lifetime_in_seconds",
                kind: "int",
                min: 900,
                max: 43200,
                source: `${CLIENT}:638`,
            },
        ],
    },
    defaults: {
        "auth0:index/client:Client": [
            {
                path: "description",
                value: MANAGED_BY_PULUMI,
                source: "pulumi/pulumi-auth0@v3.49.0 provider/resources.go auth0_client",
            },
            // Terraform schema defaults (non-falsy ones survive the bridge's applyDefaults, see check.ts).
            { path: "sessionTransfer.enforceCascadeRevocation", value: true, source: `${CLIENT}:1604` },
            { path: "sessionTransfer.enforceOnlineRefreshTokens", value: true, source: `${CLIENT}:1610` },
        ],
        "auth0:index/role:Role": [
            {
                path: "description",
                value: MANAGED_BY_PULUMI,
                source: "pulumi/pulumi-auth0@v3.49.0 provider/resources.go auth0_role",
            },
        ],
    },
};

/** Provider knowledge by Pulumi package name; a package not listed gets schema-derived coercion and outputs only. */
export function rulesFor(pkg: string): ProviderRules | undefined {
    return pkg === "auth0" ? AUTH0_RULES : undefined;
}
