/**
 * The Management API → @pulumi/auth0 mapping (src/audit/mapping.ts), checked against the provider itself: every
 * property it produces must be declared by the installed @pulumi/auth0 (class properties and nested output types,
 * read by the checker's own declaration reader), and the values follow terraform-provider-auth0 v1.53.0's flatten
 * functions (tenant/flatten.go flattenTenant, resourceserver/flatten.go flattenTokenEncryption and
 * flattenResourceServerScopes, client/flatten.go flattenClientGrant, client/resource.go importClient for CIMD).
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { AUTH0_TYPES } from "../../policy/facts/resource-types";
import {
    ProviderSchemas,
    SchemaUnavailable,
    type Properties,
    type ResourceSchema,
} from "../../src/check/provider/schema";
import {
    CLIENT_CIMD_FIELDS,
    CLIENT_FIELDS,
    CLIENT_GRANT_FIELDS,
    CONNECTION_FIELDS,
    RESOURCE_SERVER_FIELDS,
    TENANT_FIELDS,
    isCimdClient,
    mapClient,
    mapClientGrant,
    mapConnection,
    mapResourceServer,
    mapResourceServerScopes,
    mapTenant,
    type FieldMap,
} from "../../src/audit/mapping";
import {
    SECRETS,
    cimdClient,
    defaultGrant,
    firstPartyApp,
    githubConnection,
    goodMcpApi,
    hs256Api,
    issueTenant,
} from "./fixtures";
import { defined } from "../helpers/defined";

const schemas = new ProviderSchemas(path.resolve(__dirname, "../.."));

function schemaOf(token: string): ResourceSchema {
    const s = schemas.resource(token);
    if (s instanceof SchemaUnavailable) throw s;
    return s;
}

/** Dotted property paths of a produced object that the declarations do not know. */
function undeclared(schema: ResourceSchema, props: Properties, value: Record<string, unknown>, prefix = ""): string[] {
    const out: string[] = [];
    for (const [key, v] of Object.entries(value)) {
        const p = props.get(key);
        if (!p) {
            out.push(`${prefix}${key}`);
            continue;
        }
        const t = p.type.kind === "array" ? p.type.items : p.type;
        const nestedValues = Array.isArray(v) ? v : [v];
        if (t.kind === "object") {
            const nested = schema.objectType(t.name);
            if (!nested) out.push(`${prefix}${key} (type ${t.name} not declared)`);
            else
                for (const nv of nestedValues)
                    if (typeof nv === "object" && nv !== null)
                        out.push(...undeclared(schema, nested, nv as Record<string, unknown>, `${prefix}${key}.`));
        }
    }
    return out;
}

/** Every property a field table can produce, as one object with each field present (nested tables expanded). */
function everyField(fields: readonly FieldMap[]): Record<string, unknown> {
    return Object.fromEntries(fields.map((f) => [f.prop, f.fields ? everyField(f.fields) : "x"]));
}

describe("the mapping names only @pulumi/auth0 properties", () => {
    it.each([
        ["Tenant", AUTH0_TYPES.tenant, TENANT_FIELDS],
        ["ResourceServer", AUTH0_TYPES.resourceServer, RESOURCE_SERVER_FIELDS],
        ["Client", AUTH0_TYPES.client, CLIENT_FIELDS],
        ["ClientCimd", AUTH0_TYPES.clientCimd, CLIENT_CIMD_FIELDS],
        ["ClientGrant", AUTH0_TYPES.clientGrant, CLIENT_GRANT_FIELDS],
        ["Connection", AUTH0_TYPES.connection, CONNECTION_FIELDS],
    ] as const)("%s: every mapped property is declared", (_name, token, fields) => {
        const schema = schemaOf(token);
        expect(undeclared(schema, schema.properties, everyField(fields))).toEqual([]);
    });

    it("token encryption's flatten default and the scopes resource are declared too", () => {
        const rs = schemaOf(AUTH0_TYPES.resourceServer);
        expect(undeclared(rs, rs.properties, mapResourceServer(hs256Api()))).toEqual([]);
        const scopes = schemaOf(AUTH0_TYPES.resourceServerScopes);
        expect(
            undeclared(
                scopes,
                scopes.properties,
                defined(mapResourceServerScopes(goodMcpApi()), "mapped resource server scopes"),
            ),
        ).toEqual([]);
    });

    it("catches a property the provider does not declare (the check can fail)", () => {
        const schema = schemaOf(AUTH0_TYPES.tenant);
        const bogus: FieldMap[] = [
            ...TENANT_FIELDS,
            { api: "x", prop: "flags", fields: [{ api: "y", prop: "enableDynamicClientRegistraton" }] },
            { api: "z", prop: "defaultAudiences" },
        ];
        expect(undeclared(schema, schema.properties, everyField(bogus))).toEqual([
            "flags.enableDynamicClientRegistraton",
            "defaultAudiences",
        ]);
    });
});

describe("live objects → provider state", () => {
    it("tenant settings and flags in camelCase, nested flags as an object", () => {
        expect(mapTenant(issueTenant().settings)).toMatchObject({
            defaultAudience: "https://legacy-api.acme.example",
            resourceParameterProfile: "compatibility",
            clientIdMetadataDocumentSupported: true,
            flags: {
                enableDynamicClientRegistration: true,
                enableClientConnections: false,
                removeAlgFromJwks: false,
                useScopeDescriptionsForConsent: true,
            },
        });
    });

    it("a field the API does not return stays unset", () => {
        const t = mapTenant({ flags: {} });
        expect(t).toEqual({ flags: {} });
        expect("defaultAudience" in t).toBe(false);
    });

    it("resource server token settings; no token_encryption is stored as { disable: true } (flattenTokenEncryption)", () => {
        expect(mapResourceServer(goodMcpApi())).toMatchObject({
            identifier: "https://mcp.acme.example/mcp",
            signingAlg: "RS256",
            tokenDialect: "rfc9068_profile_authz",
            tokenLifetime: 3600,
            enforcePolicies: true,
            subjectTypeAuthorization: { user: { policy: "require_client_grant" }, client: { policy: "deny_all" } },
            tokenEncryption: { disable: true },
        });
        expect(mapResourceServerScopes(goodMcpApi())).toEqual({
            resourceServerIdentifier: "https://mcp.acme.example/mcp",
            scopes: [{ name: "tools:read", description: "Read tools" }],
        });
        expect(mapResourceServerScopes(hs256Api())).toBeUndefined();
    });

    it("client grants: scope → scopes, dropped when allowAllScopes (flattenClientGrant)", () => {
        expect(mapClientGrant(defaultGrant())).toEqual({
            audience: "https://mcp.acme.example/mcp",
            scopes: ["tools:read"],
            defaultFor: "third_party_clients",
            subjectType: "user",
        });
        expect(mapClientGrant({ ...defaultGrant(), allow_all_scopes: true, scope: [] })).not.toHaveProperty("scopes");
    });

    it("CIMD clients are the ones with external_metadata_type cimd (importClient) and map to ClientCimd's fields", () => {
        expect(isCimdClient(cimdClient())).toBe(true);
        expect(isCimdClient(firstPartyApp())).toBe(false);
        expect(mapClient(cimdClient())).toMatchObject({
            externalClientId: "https://agent.partner.example/oauth/client-metadata.json",
            isFirstParty: false,
            clientMetadata: { mcp_owner: "partners-team" },
            refreshToken: { rotationType: "rotating", infiniteIdleTokenLifetime: false },
        });
    });

    it("connections: promotion, metadata and the identity options; never option secrets", () => {
        const c = mapConnection(githubConnection());
        expect(c).toEqual({
            name: "github",
            displayName: "GitHub",
            strategy: "github",
            isDomainConnection: true,
            realms: ["github"],
            metadata: {},
            options: {},
        });
        const oauth2 = mapConnection({
            name: "o",
            strategy: "oauth2",
            options: { authorizationURL: "https://idp/authorize", tokenURL: "https://idp/token", client_secret: "x" },
        });
        expect(oauth2["options"]).toEqual({
            authorizationEndpoint: "https://idp/authorize",
            tokenEndpoint: "https://idp/token",
        });
        const oidc = mapConnection({
            name: "corp",
            strategy: "oidc",
            options: {
                issuer: "https://login.corp.example/",
                discovery_url: "https://login.corp.example/.well-known/openid-configuration",
            },
        });
        expect(oidc["options"]).toEqual({
            issuer: "https://login.corp.example/",
            discoveryUrl: "https://login.corp.example/.well-known/openid-configuration",
        });
    });

    it("no secret the Management API returns reaches the mapped state", () => {
        const t = issueTenant();
        const mapped = JSON.stringify([
            mapTenant(t.settings),
            t.resourceServers.map(mapResourceServer),
            t.clients.map(mapClient),
            t.clientGrants.map(mapClientGrant),
            t.connections.map(mapConnection),
        ]);
        for (const secret of Object.values(SECRETS)) expect(mapped).not.toContain(secret);
        expect(mapped).not.toMatch(/client_?secret|signing_?secret|signingKeys/i);
    });
});
