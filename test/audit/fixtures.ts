/**
 * Tenant fixtures shaped like the Management API's documented responses (field names and nesting as in GET
 * /api/v2/tenants/settings, /resource-servers, /clients, /client-grants, /connections). Secrets are included on
 * purpose: the audit must never print them.
 */
import type { ApiObject, TenantFixture } from "./fake-management-api";

export const DOMAIN = "acme-mcp.eu.auth0.com";
export const SECRETS = {
    clientSecret: "cs_live_9f8e7d6c5b4a39281706fffeeeddd",
    signingSecret: "rs_signing_secret_0123456789abcdef0123",
    githubSecret: "gh_oauth_client_secret_abcdef987654321",
};

export const MCP_API = "https://mcp.acme.example/mcp";
export const HS_API = "https://legacy-api.acme.example";

export function managementApi(): ApiObject {
    return {
        id: "rs_mgmt",
        name: "Auth0 Management API",
        identifier: `https://${DOMAIN}/api/v2/`,
        is_system: true,
        signing_alg: "RS256",
        token_lifetime: 86400,
        allow_offline_access: false,
        skip_consent_for_verifiable_first_party_clients: false,
    };
}

export function goodMcpApi(): ApiObject {
    return {
        id: "rs_mcp",
        name: "ACME MCP server",
        identifier: MCP_API,
        signing_alg: "RS256",
        token_dialect: "rfc9068_profile_authz",
        enforce_policies: true,
        token_lifetime: 3600,
        token_lifetime_for_web: 3600,
        allow_offline_access: false,
        skip_consent_for_verifiable_first_party_clients: false,
        subject_type_authorization: { user: { policy: "require_client_grant" }, client: { policy: "deny_all" } },
        scopes: [{ value: "tools:read", description: "Read tools" }],
    };
}

export function hs256Api(): ApiObject {
    return {
        id: "rs_hs",
        name: "Legacy API",
        identifier: HS_API,
        signing_alg: "HS256",
        signing_secret: SECRETS.signingSecret,
        token_dialect: "access_token",
        token_lifetime: 86400,
        allow_offline_access: true,
        skip_consent_for_verifiable_first_party_clients: true,
        scopes: [],
    };
}

export function firstPartyApp(): ApiObject {
    return {
        tenant: "acme-mcp",
        global: false,
        client_id: "fp_WebApp0000000000000000000001",
        name: "ACME web app",
        is_first_party: true,
        app_type: "regular_web",
        oidc_conformant: true,
        grant_types: ["authorization_code", "refresh_token"],
        callbacks: ["https://app.acme.example/callback"],
        client_secret: SECRETS.clientSecret,
        token_endpoint_auth_method: "client_secret_post",
        refresh_token: {
            rotation_type: "rotating",
            expiration_type: "expiring",
            leeway: 0,
            token_lifetime: 2592000,
            infinite_token_lifetime: false,
            idle_token_lifetime: 1296000,
            infinite_idle_token_lifetime: false,
        },
        signing_keys: [
            {
                cert: "-----BEGIN CERTIFICATE-----\nMIIC…\n-----END CERTIFICATE-----",
                pkcs7: "…",
                subject: "/CN=acme-mcp",
            },
        ],
        jwt_configuration: { alg: "RS256", lifetime_in_seconds: 36000, secret_encoded: false },
        client_metadata: {},
    };
}

/** A client registered through Dynamic Client Registration: third-party, nobody owns it. */
export function unownedDcrClient(): ApiObject {
    return {
        tenant: "acme-mcp",
        global: false,
        client_id: "tpc_Zq8RkU1nD3cRr3g1st3r3d000001",
        name: "Some MCP Client",
        is_first_party: false,
        app_type: "regular_web",
        oidc_conformant: true,
        grant_types: ["authorization_code", "refresh_token"],
        callbacks: ["http://127.0.0.1:33418/callback", "https://mcp-client.example.net/oauth/callback"],
        token_endpoint_auth_method: "none",
        refresh_token: {
            rotation_type: "rotating",
            expiration_type: "expiring",
            leeway: 0,
            token_lifetime: 2592000,
            infinite_token_lifetime: false,
            idle_token_lifetime: 1296000,
            infinite_idle_token_lifetime: false,
        },
        client_metadata: {},
    };
}

export function ownedDcrClient(reviewBy = "2099-12-31"): ApiObject {
    return {
        ...unownedDcrClient(),
        client_id: "tpc_Owned000000000000000000000001",
        name: "Approved agent",
        client_metadata: { mcp_owner: "platform-team", mcp_approval_ref: "CHG-1234", mcp_review_by: reviewBy },
    };
}

export function cimdClient(): ApiObject {
    return {
        tenant: "acme-mcp",
        global: false,
        client_id: "cimd_0000000000000000000000001",
        name: "Partner agent",
        is_first_party: false,
        app_type: "native",
        oidc_conformant: true,
        grant_types: ["authorization_code", "refresh_token"],
        callbacks: ["https://agent.partner.example/callback"],
        external_client_id: "https://agent.partner.example/oauth/client-metadata.json",
        external_metadata_type: "cimd",
        external_metadata_created_by: "admin",
        third_party_security_mode: "strict",
        redirection_policy: "open_redirect_protection",
        refresh_token: {
            rotation_type: "rotating",
            expiration_type: "expiring",
            leeway: 0,
            token_lifetime: 86400,
            infinite_token_lifetime: false,
            idle_token_lifetime: 43200,
            infinite_idle_token_lifetime: false,
        },
        client_metadata: { mcp_owner: "partners-team", mcp_approval_ref: "CHG-77", mcp_review_by: "2099-01-31" },
    };
}

export function globalClient(): ApiObject {
    return {
        tenant: "acme-mcp",
        global: true,
        client_id: "gl_AllApplications000000000001",
        name: "All Applications",
        client_secret: SECRETS.clientSecret,
    };
}

export function githubConnection(): ApiObject {
    return {
        id: "con_github0000000001",
        name: "github",
        strategy: "github",
        display_name: "GitHub",
        is_domain_connection: true,
        realms: ["github"],
        enabled_clients: [],
        options: {
            client_id: "Iv1.github-oauth-app",
            client_secret: SECRETS.githubSecret,
            scope: ["user:email"],
            profile: true,
        },
        metadata: {},
    };
}

export function databaseConnection(): ApiObject {
    return {
        id: "con_db0000000000001",
        name: "Username-Password-Authentication",
        strategy: "auth0",
        display_name: "Username-Password-Authentication",
        is_domain_connection: false,
        realms: ["Username-Password-Authentication"],
        options: { brute_force_protection: true, password_policy: "good" },
    };
}

export function defaultGrant(): ApiObject {
    return {
        id: "cgr_default000000001",
        audience: MCP_API,
        scope: ["tools:read"],
        default_for: "third_party_clients",
        subject_type: "user",
    };
}

/**
 * The issue's tenant: a DCR-registered client nobody owns, a hand-promoted `github` connection and a default audience
 * pointing at an HS256 API, next to objects that pass.
 */
export function issueTenant(): TenantFixture {
    return {
        settings: {
            friendly_name: "ACME MCP",
            default_audience: HS_API,
            default_directory: "",
            resource_parameter_profile: "compatibility",
            client_id_metadata_document_supported: true,
            flags: {
                enable_dynamic_client_registration: true,
                enable_client_connections: false,
                remove_alg_from_jwks: false,
                use_scope_descriptions_for_consent: true,
                enable_sso: true,
            },
            session_lifetime: 168,
            idle_session_lifetime: 72,
        },
        resourceServers: [managementApi(), goodMcpApi(), hs256Api()],
        clients: [globalClient(), firstPartyApp(), unownedDcrClient(), ownedDcrClient(), cimdClient()],
        clientGrants: [
            defaultGrant(),
            {
                id: "cgr_fp00000000000001",
                client_id: "fp_WebApp0000000000000000000001",
                audience: HS_API,
                scope: [],
                subject_type: "user",
            },
        ],
        connections: [databaseConnection(), githubConnection()],
    };
}

/** A tenant with `n` third-party clients (all owned), for pagination and the benchmark. */
export function manyClients(n: number): ApiObject[] {
    return Array.from({ length: n }, (_, i) => ({
        ...ownedDcrClient(),
        client_id: `tpc_${String(i).padStart(28, "0")}`,
        name: `agent ${i}`,
    }));
}
