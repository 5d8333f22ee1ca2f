/**
 * Management API objects → the property shapes of the @pulumi/auth0 resources, as the provider would hold them in
 * state after reading the live object (prior state: every value known).
 *
 * The authority is the provider's own read path, terraform-provider-auth0 v1.53.0 (what @pulumi/auth0 3.49 is built
 * from): internal/auth0/tenant/flatten.go flattenTenant / flattenTenantFlags, internal/auth0/resourceserver/flatten.go
 * flattenResourceServer / flattenTokenEncryption / flattenSubjectTypeAuthorization, internal/auth0/client/flatten.go
 * flattenClient / flattenClientGrant, internal/auth0/client/flatten_cimd.go flattenCIMDClient,
 * internal/auth0/connection/flatten.go flattenConnection and the per-strategy option flatteners. Those set each
 * Terraform attribute from the Management API field of the same JSON name (go-auth0 json tags); the bridge then
 * names the attribute in camelCase and turns a MaxItems=1 block into an object. test/audit/mapping.test.ts checks
 * every property named here against the installed @pulumi/auth0 declarations.
 *
 * The tables are explicit on purpose: nothing the audit does not name is carried over, so no secret the API returns
 * (client_secret, signing_secret, connection options.client_secret, signing keys) ever reaches the pack or a report.
 * A field the API did not return (absent or null) stays unset.
 */

export type ApiObject = Record<string, unknown>;

/** One Management API field and the @pulumi/auth0 property it becomes; `fields` for a nested object. */
export interface FieldMap {
    api: string;
    prop: string;
    fields?: readonly FieldMap[];
    /** What the provider stores when the API returns nothing (flatten.go), if it is not "unset". */
    whenAbsent?: unknown;
}

const f = (api: string, prop: string, fields?: readonly FieldMap[]): FieldMap =>
    fields ? { api, prop, fields } : { api, prop };

/** flattenTenantFlags: the flags the rules and the inventory look at. */
const TENANT_FLAGS: readonly FieldMap[] = [
    f("enable_dynamic_client_registration", "enableDynamicClientRegistration"),
    f("enable_client_connections", "enableClientConnections"),
    f("remove_alg_from_jwks", "removeAlgFromJwks"),
    f("use_scope_descriptions_for_consent", "useScopeDescriptionsForConsent"),
    f("enable_sso", "enableSso"),
    f("enable_public_signup_user_exists_error", "enablePublicSignupUserExistsError"),
    f("allow_legacy_ro_grant_types", "allowLegacyRoGrantTypes"),
    f("allow_legacy_delegation_grant_types", "allowLegacyDelegationGrantTypes"),
    f("allow_legacy_tokeninfo_endpoint", "allowLegacyTokeninfoEndpoint"),
    f("revoke_refresh_token_grant", "revokeRefreshTokenGrant"),
];

/** GET /api/v2/tenants/settings → auth0.Tenant (flattenTenant). */
export const TENANT_FIELDS: readonly FieldMap[] = [
    f("friendly_name", "friendlyName"),
    f("default_audience", "defaultAudience"),
    f("default_directory", "defaultDirectory"),
    f("resource_parameter_profile", "resourceParameterProfile"),
    f("client_id_metadata_document_supported", "clientIdMetadataDocumentSupported"),
    f("dynamic_client_registration_security_mode", "dynamicClientRegistrationSecurityMode"),
    f("pushed_authorization_requests_supported", "pushedAuthorizationRequestsSupported"),
    f("session_lifetime", "sessionLifetime"),
    f("idle_session_lifetime", "idleSessionLifetime"),
    f("flags", "flags", TENANT_FLAGS),
];

/** GET /api/v2/resource-servers → auth0.ResourceServer (flattenResourceServer; signing_secret deliberately left out). */
export const RESOURCE_SERVER_FIELDS: readonly FieldMap[] = [
    f("name", "name"),
    f("identifier", "identifier"),
    f("is_system", "isSystem"),
    f("signing_alg", "signingAlg"),
    f("token_dialect", "tokenDialect"),
    f("token_lifetime", "tokenLifetime"),
    f("token_lifetime_for_web", "tokenLifetimeForWeb"),
    f("allow_offline_access", "allowOfflineAccess"),
    f("enforce_policies", "enforcePolicies"),
    f("skip_consent_for_verifiable_first_party_clients", "skipConsentForVerifiableFirstPartyClients"),
    f("client_id", "clientId"),
    // flattenTokenEncryption: no token_encryption is stored as { disable: true }.
    {
        api: "token_encryption",
        prop: "tokenEncryption",
        fields: [
            f("format", "format"),
            f("encryption_key", "encryptionKey", [f("name", "name"), f("alg", "algorithm"), f("kid", "kid")]),
        ],
        whenAbsent: { disable: true },
    },
    f("subject_type_authorization", "subjectTypeAuthorization", [
        f("user", "user", [f("policy", "policy")]),
        f("client", "client", [f("policy", "policy")]),
    ]),
    // flattenProofOfPossession: none is stored as { disable: true }.
    {
        api: "proof_of_possession",
        prop: "proofOfPossession",
        fields: [f("mechanism", "mechanism"), f("required", "required")],
        whenAbsent: { disable: true },
    },
];

const REFRESH_TOKEN: readonly FieldMap[] = [
    f("rotation_type", "rotationType"),
    f("expiration_type", "expirationType"),
    f("leeway", "leeway"),
    f("token_lifetime", "tokenLifetime"),
    f("infinite_token_lifetime", "infiniteTokenLifetime"),
    f("idle_token_lifetime", "idleTokenLifetime"),
    f("infinite_idle_token_lifetime", "infiniteIdleTokenLifetime"),
];

/** Fields auth0.Client and auth0.ClientCimd share (flattenClient, flattenCIMDClient). */
const CLIENT_COMMON: readonly FieldMap[] = [
    f("client_id", "clientId"),
    f("name", "name"),
    f("description", "description"),
    f("app_type", "appType"),
    f("is_first_party", "isFirstParty"),
    f("oidc_conformant", "oidcConformant"),
    f("grant_types", "grantTypes"),
    f("callbacks", "callbacks"),
    f("allowed_origins", "allowedOrigins"),
    f("web_origins", "webOrigins"),
    f("client_metadata", "clientMetadata"),
    f("refresh_token", "refreshToken", REFRESH_TOKEN),
    f("third_party_security_mode", "thirdPartySecurityMode"),
    f("redirection_policy", "redirectionPolicy"),
    f("require_proof_of_possession", "requireProofOfPossession"),
    f("jwks_uri", "jwksUri"),
    f("external_metadata_type", "externalMetadataType"),
    f("external_metadata_created_by", "externalMetadataCreatedBy"),
];

/** GET /api/v2/clients (not CIMD) → auth0.Client. */
export const CLIENT_FIELDS: readonly FieldMap[] = [
    ...CLIENT_COMMON,
    f("allowed_logout_urls", "allowedLogoutUrls"),
    f("initiate_login_uri", "initiateLoginUri"),
    f("require_pushed_authorization_requests", "requirePushedAuthorizationRequests"),
    f("organization_usage", "organizationUsage"),
    f("external_client_id", "externalClientId"),
    f("jwt_configuration", "jwtConfiguration", [f("alg", "alg"), f("lifetime_in_seconds", "lifetimeInSeconds")]),
];

/** GET /api/v2/clients with external_metadata_type "cimd" → auth0.ClientCimd. */
export const CLIENT_CIMD_FIELDS: readonly FieldMap[] = [
    ...CLIENT_COMMON,
    f("external_client_id", "externalClientId"),
    f("logo_uri", "logoUri"),
];

/** GET /api/v2/client-grants → auth0.ClientGrant (flattenClientGrant: scopes only when allow_all_scopes is off). */
export const CLIENT_GRANT_FIELDS: readonly FieldMap[] = [
    f("client_id", "clientId"),
    f("audience", "audience"),
    f("scope", "scopes"),
    f("subject_type", "subjectType"),
    f("default_for", "defaultFor"),
    f("allow_all_scopes", "allowAllScopes"),
    f("allow_any_organization", "allowAnyOrganization"),
    f("organization_usage", "organizationUsage"),
    f("is_system", "isSystem"),
];

/**
 * Connection options that say which identity provider a connection trusts (policy/facts/connection-identity.ts), under
 * the API's own keys per strategy (go-auth0 management/connection.go json tags) and the options attribute the
 * provider's strategy flattener stores them in (connection/flatten.go). Secrets in options are never read.
 */
const CONNECTION_OPTION_FIELDS: readonly FieldMap[] = [
    f("issuer", "issuer"),
    f("discovery_url", "discoveryUrl"),
    f("jwks_uri", "jwksUri"),
    f("authorization_endpoint", "authorizationEndpoint"),
    f("token_endpoint", "tokenEndpoint"),
    f("userinfo_endpoint", "userinfoEndpoint"),
    // OAuth2 (flattenConnectionOptionsOAuth2): authorizationURL / tokenURL → authorization_endpoint / token_endpoint.
    f("authorizationURL", "authorizationEndpoint"),
    f("tokenURL", "tokenEndpoint"),
    f("domain", "domain"),
    f("tenant_domain", "tenantDomain"),
    f("waad_common_endpoint", "waadCommonEndpoint"),
    f("adfs_server", "adfsServer"),
    f("fedMetadataXml", "fedMetadataXml"),
    f("signInEndpoint", "signInEndpoint"),
    f("pingFederateBaseUrl", "pingFederateBaseUrl"),
    f("metadataUrl", "metadataUrl"),
    f("metadataXml", "metadataXml"),
    f("community_base_url", "communityBaseUrl"),
    f("requestTokenURL", "requestTokenUrl"),
    f("accessTokenURL", "accessTokenUrl"),
    f("userAuthorizationURL", "userAuthorizationUrl"),
    f("type", "type"),
    f("strategy_version", "strategyVersion"),
];

/** GET /api/v2/connections → auth0.Connection (flattenConnection). */
export const CONNECTION_FIELDS: readonly FieldMap[] = [
    f("name", "name"),
    f("display_name", "displayName"),
    f("strategy", "strategy"),
    f("is_domain_connection", "isDomainConnection"),
    f("show_as_button", "showAsButton"),
    f("realms", "realms"),
    f("metadata", "metadata"),
    f("options", "options", CONNECTION_OPTION_FIELDS),
];

function isObject(v: unknown): v is ApiObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Applies a field table to one API object. */
function mapFields(source: ApiObject, fields: readonly FieldMap[]): ApiObject {
    const out: ApiObject = {};
    for (const field of fields) {
        const value = source[field.api];
        if (value === undefined || value === null) {
            if (field.whenAbsent !== undefined && !(field.prop in out))
                out[field.prop] = structuredClone(field.whenAbsent);
            continue;
        }
        if (field.fields && isObject(value)) {
            out[field.prop] = mapFields(value, field.fields);
        } else if (!field.fields) {
            out[field.prop] = structuredClone(value);
        }
        // A nested block the API returned as a non-object is dropped: the provider could not store it either.
    }
    return out;
}

/** CIMD clients are the ones the provider refuses to import as auth0.Client (client/resource.go importClient). */
export function isCimdClient(client: ApiObject): boolean {
    return client["external_metadata_type"] === "cimd";
}

export function mapTenant(settings: ApiObject): ApiObject {
    return mapFields(settings, TENANT_FIELDS);
}

export function mapResourceServer(api: ApiObject): ApiObject {
    return mapFields(api, RESOURCE_SERVER_FIELDS);
}

/**
 * The scopes of a resource server as auth0.ResourceServerScopes holds them (flattenResourceServerScopes:
 * resource_server_identifier, scopes [{name: value, description}]); undefined when the API declares none.
 */
export function mapResourceServerScopes(api: ApiObject): ApiObject | undefined {
    const scopes = api["scopes"];
    if (!Array.isArray(scopes) || scopes.length === 0) return undefined;
    return {
        resourceServerIdentifier: api["identifier"],
        scopes: scopes.filter(isObject).map((s) => ({
            name: s["value"],
            ...(typeof s["description"] === "string" ? { description: s["description"] } : {}),
        })),
    };
}

export function mapClient(client: ApiObject): ApiObject {
    return mapFields(client, isCimdClient(client) ? CLIENT_CIMD_FIELDS : CLIENT_FIELDS);
}

export function mapClientGrant(grant: ApiObject): ApiObject {
    const mapped = mapFields(grant, CLIENT_GRANT_FIELDS);
    if (mapped["allowAllScopes"] === true) delete mapped["scopes"];
    return mapped;
}

export function mapConnection(connection: ApiObject): ApiObject {
    return mapFields(connection, CONNECTION_FIELDS);
}
