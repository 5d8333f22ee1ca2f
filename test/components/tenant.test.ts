import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { McpApi } from "../../src/components/mcp-api/component";
import type { McpApiArgs } from "../../src/components/mcp-api/args";
import { InvalidComponentArgsError } from "../../src/components/problems";
import { TenantMcpSettings } from "../../src/components/tenant/component";
import { TenantMcpSettingsArgs, tenantAllowsThirdPartyClients } from "../../src/components/tenant/args";
import { cimdMetadataUrlProblems, reviewDateProblems } from "../../src/components/tenant/validate";
import { AUTH0_TYPES } from "../../policy/facts/resource-types";
import { GOVERNANCE_KEYS } from "../../policy/facts/governance";
import { cimdClientGovernance } from "../../policy/policies/cimd-client-governance";
import { RecordedResource, resolveDeep, resolvedProps, runUnderMocks } from "../helpers/mocks";
import { clientCimd } from "../policy/fixtures";
import { runResourcePolicy } from "../policy/helpers";
import { defined } from "../helpers/defined";

const TENANT = "auth0-mcp:index:TenantMcpSettings::t";
const DOMAIN = "example.eu.auth0.com";
const REF_A = { identifier: "https://mcp.example.com/a", thirdPartyClientsAllowed: true };
const REF_B = { identifier: "https://mcp.example.com/b", thirdPartyClientsAllowed: true };

const GOOGLE = {
    name: "google-oauth2",
    strategy: "google-oauth2",
    owner: "iam-team@example.com",
    approvalRef: "SEC-1234",
};
const CIMD = {
    metadataUrl: "https://app.example.com/oauth/client-metadata.json",
    owner: "platform@example.com",
    approvalRef: "SEC-9",
    reviewBy: "2027-06-30",
};

async function build(args: Partial<TenantMcpSettingsArgs>) {
    let tenant: TenantMcpSettings | undefined;
    const run = await runUnderMocks({}, () => {
        tenant = new TenantMcpSettings("t", { mcpApis: [REF_A], ...args });
    });
    const byType = (type: string) => run.resources.filter((r) => r.type === type);
    return { run, tenant, byType };
}

function only(resources: RecordedResource[]): RecordedResource {
    expect(resources).toHaveLength(1);
    return resources[0];
}

async function buildError(args: Partial<TenantMcpSettingsArgs>) {
    const { run } = await build(args);
    expect(run.error).toBeInstanceOf(InvalidComponentArgsError);
    expect(run.registrations).toHaveLength(0);
    return run.error as InvalidComponentArgsError;
}

describe("TenantMcpSettings defaults", () => {
    it("declares the Tenant under the component, kept on delete, with every security setting explicit", async () => {
        const { run, byType } = await build({});
        expect(run.error).toBeUndefined();
        expect(run.resources.map((r) => [r.type, r.name, r.parent])).toEqual([
            ["auth0-mcp:index:TenantMcpSettings", "t", undefined],
            [AUTH0_TYPES.tenant, "t-tenant", TENANT],
        ]);
        const tenant = only(byType(AUTH0_TYPES.tenant));
        expect(tenant.retainOnDelete).toBe(true);
        expect(await resolvedProps(tenant)).toEqual({
            resourceParameterProfile: "compatibility",
            clientIdMetadataDocumentSupported: true,
            flags: {
                enableDynamicClientRegistration: false,
                enableClientConnections: false,
                useScopeDescriptionsForConsent: true,
                removeAlgFromJwks: false,
            },
        });
    });

    it("lets third-party clients in by default (CIMD on)", () => {
        expect(tenantAllowsThirdPartyClients({})).toBe(true);
        expect(tenantAllowsThirdPartyClients({ clientIdMetadataDocumentSupported: false })).toBe(false);
        expect(
            tenantAllowsThirdPartyClients({
                clientIdMetadataDocumentSupported: false,
                enableDynamicClientRegistration: true,
            }),
        ).toBe(true);
    });
});

describe("TenantMcpSettings overrides", () => {
    it("applies DCR, CIMD, consent and profile overrides and sets the default audience when asked", async () => {
        const refs = [{ ...REF_A, thirdPartyClientsAllowed: true }];
        const { byType } = await build({
            mcpApis: refs,
            resourceParameterProfile: "audience",
            enableDynamicClientRegistration: true,
            clientIdMetadataDocumentSupported: false,
            useScopeDescriptionsForConsent: false,
            defaultAudience: REF_A.identifier,
        });
        expect(await resolvedProps(only(byType(AUTH0_TYPES.tenant)))).toEqual({
            resourceParameterProfile: "audience",
            clientIdMetadataDocumentSupported: false,
            defaultAudience: "https://mcp.example.com/a",
            flags: {
                enableDynamicClientRegistration: true,
                enableClientConnections: false,
                useScopeDescriptionsForConsent: false,
                removeAlgFromJwks: false,
            },
        });
    });

    it("promotes a connection to domain level with its approval in metadata", async () => {
        const { byType, tenant } = await build({
            promotedConnections: [{ ...GOOGLE, reviewBy: "2027-01-31", displayName: "Google" }],
        });
        const connection = only(byType(AUTH0_TYPES.connection));
        expect(connection.name).toBe("t-connection-google-oauth2");
        expect(connection.parent).toBe(TENANT);
        expect(connection.import).toBeUndefined();
        expect(connection.retainOnDelete).toBe(true);
        expect(await resolvedProps(connection)).toEqual({
            name: "google-oauth2",
            strategy: "google-oauth2",
            isDomainConnection: true,
            displayName: "Google",
            metadata: {
                [GOVERNANCE_KEYS.owner]: "iam-team@example.com",
                [GOVERNANCE_KEYS.approvalRef]: "SEC-1234",
                [GOVERNANCE_KEYS.reviewBy]: "2027-01-31",
            },
        });
        expect(await resolveDeep(defined(tenant, "the TenantMcpSettings").promotedConnectionIds)).toEqual({
            "google-oauth2": "t-connection-google-oauth2-id",
        });
    });

    it("adopts an existing connection by import id, keeps it on delete and passes options through", async () => {
        const { byType } = await build({
            promotedConnections: [
                {
                    name: "corp-oidc",
                    strategy: "oidc",
                    owner: "iam",
                    approvalRef: "SEC-1",
                    importId: "con_abc123",
                    options: { issuer: "https://idp.example.com" },
                },
            ],
        });
        const connection = only(byType(AUTH0_TYPES.connection));
        expect(connection.import).toBe("con_abc123");
        expect(connection.retainOnDelete).toBe(true);
        const props = await resolvedProps(connection);
        expect(props.isDomainConnection).toBe(true);
        expect(props.options).toEqual({ issuer: "https://idp.example.com" });
        expect(props.metadata).toEqual({ mcp_owner: "iam", mcp_approval_ref: "SEC-1" });
    });

    it("registers CIMD clients with owner, approval and review date, after the tenant enables CIMD", async () => {
        const { byType, tenant } = await build({
            cimdClients: [{ ...CIMD, description: "Example client", metadataVersion: 2 }],
        });
        const client = only(byType(AUTH0_TYPES.clientCimd));
        expect(client.name).toBe("t-cimd-app-example-com-oauth-client-metadata-json");
        expect(client.parent).toBe(TENANT);
        expect(client.dependsOn).toEqual([`${AUTH0_TYPES.tenant}::t-tenant`]);
        expect(await resolvedProps(client)).toEqual({
            externalClientId: "https://app.example.com/oauth/client-metadata.json",
            description: "Example client",
            externalClientIdVersion: 2,
            clientMetadata: {
                mcp_owner: "platform@example.com",
                mcp_approval_ref: "SEC-9",
                mcp_review_by: "2027-06-30",
            },
        });
        expect(await resolveDeep(defined(tenant, "the TenantMcpSettings").cimdClientIds)).toEqual({
            "https://app.example.com/oauth/client-metadata.json":
                "cimd-client-id-for-t-cimd-app-example-com-oauth-client-metadata-json",
        });
    });
});

describe("TenantMcpSettings refusals (nothing is registered)", () => {
    it("refuses a default audience naming no declared API, listing the declared ones", async () => {
        const error = await buildError({ defaultAudience: "https://mcp.example.com/other" });
        expect(error.problems).toEqual([
            {
                path: "defaultAudience",
                message: expect.stringContaining(
                    'names no MCP API declared in this program (declared: "https://mcp.example.com/a")',
                ),
            },
        ]);
    });

    it("points at the declared API when the default audience is a near miss", async () => {
        const error = await buildError({ defaultAudience: "https://mcp.example.com/a/" });
        expect(error.problems[0].message).toContain('did you mean "https://mcp.example.com/a"?');
    });

    it("refuses the audience profile while some MCP API would be unreachable", async () => {
        const error = await buildError({
            mcpApis: [REF_A, REF_B],
            resourceParameterProfile: "audience",
            defaultAudience: REF_A.identifier,
        });
        expect(error.problems).toEqual([
            { path: "resourceParameterProfile", message: expect.stringContaining('"https://mcp.example.com/b"') },
        ]);
    });

    it("refuses an unknown resource parameter profile", async () => {
        const error = await buildError({ resourceParameterProfile: "Compatibility" as never });
        expect(error.problems[0]).toEqual({
            path: "resourceParameterProfile",
            message: expect.stringContaining('write "compatibility"'),
        });
    });

    it("refuses CIMD clients while CIMD is off", async () => {
        const error = await buildError({
            clientIdMetadataDocumentSupported: false,
            mcpApis: [{ ...REF_A, thirdPartyClientsAllowed: false }],
            cimdClients: [CIMD],
        });
        expect(error.problems.map((p) => p.path)).toEqual(["cimdClients"]);
    });

    it("refuses an McpApi built with a third-party setting the tenant contradicts", async () => {
        const error = await buildError({ mcpApis: [{ ...REF_A, thirdPartyClientsAllowed: false }] });
        expect(error.problems).toEqual([
            { path: "mcpApis[0]", message: expect.stringContaining("thirdPartyClientsAllowed=false") },
        ]);
    });

    it("refuses an enterprise connection that does not say which provider it trusts", async () => {
        const corp = { name: "corp-oidc", strategy: "oidc", owner: "iam", approvalRef: "SEC-1" };
        const error = await buildError({
            promotedConnections: [
                corp,
                { ...corp, name: "corp-saml", strategy: "samlp", options: { signingCert: "x" } },
            ],
        });
        expect(error.problems).toEqual([
            {
                path: "promotedConnections[0].options",
                message: expect.stringContaining(
                    "an oidc connection is a different identity provider per issuer / discoveryUrl",
                ),
            },
            { path: "promotedConnections[1].options", message: expect.stringContaining("set options.signInEndpoint") },
        ]);
    });

    it("accepts an enterprise connection with its issuer or discovery URL, and leaves options given as an Output to the pack", async () => {
        const corp = { name: "corp-oidc", strategy: "oidc", owner: "iam", approvalRef: "SEC-1" };
        for (const options of [
            { discoveryUrl: "https://login.example.com/.well-known/openid-configuration" },
            pulumi.output({}),
        ]) {
            const { run } = await build({ promotedConnections: [{ ...corp, options }] });
            expect(run.error).toBeUndefined();
        }
    });

    it("refuses connections and CIMD clients without their approval, listing every problem", async () => {
        const error = await buildError({
            promotedConnections: [
                { ...GOOGLE, owner: " ", approvalRef: "", reviewBy: "2027-02-30", importId: "abc" },
                { ...GOOGLE, strategy: "Google OAuth" },
            ],
            cimdClients: [{ ...CIMD, metadataUrl: "http://app.example.com/", reviewBy: "next year" }],
        });
        expect(error.problems.map((p) => p.path)).toEqual([
            "promotedConnections[0].owner",
            "promotedConnections[0].approvalRef",
            "promotedConnections[0].reviewBy",
            "promotedConnections[0].importId",
            "promotedConnections[1].strategy",
            "promotedConnections[1].name",
            "cimdClients[0].metadataUrl",
            "cimdClients[0].reviewBy",
        ]);
    });
});

describe("CIMD metadata URL and review date rules", () => {
    it("accepts an https URL with a document path", () => {
        expect(cimdMetadataUrlProblems("https://app.example.com/oauth/client-metadata.json")).toEqual([]);
    });
    it.each([
        ["http://app.example.com/c.json", "must use https"],
        ["https://app.example.com/", "must have a path"],
        ["https://app.example.com/c.json#x", "fragment"],
        ["https://app.example.com/c.json?v=1", "query"],
        ["https://app.example.com/a/../c.json", ". or .. path segments"],
        ["https://App.example.com/c.json", "lowercase"],
        ["https://user:pw@app.example.com/c.json", "credentials"],
        ["app.example.com/c.json", "not an absolute URL"],
        ["https://evil.test\\@app.example.com/c.json", "backslash"],
        ["https://app.ex%61mple.com/c.json", "percent-encoded host"],
        ["https://xn--pp-8cd.example.com/c.json", "punycode"],
        ["https://аpp.example.com/c.json", "non-ASCII"],
        ["https://10.0.0.1/c.json", "IP address"],
        ["https://app.example.com:443/c.json", "default port :443"],
    ])("refuses %s (%s)", (url, why) => {
        expect(cimdMetadataUrlProblems(url).join(" ")).toContain(why);
    });
    it("refuses exactly the URLs the cimd-client-governance rule refuses (one shared rule set)", async () => {
        const urls = [
            "https://app.example.com/oauth/client-metadata.json",
            "https://app.example.com:8443/c.json",
            "https://app.example.com/c.json?v=1",
            "https://App.example.com/c.json",
            "https://app.example.com/a/%2e%2e/c.json",
            "https://app.example.com@evil.example.com/c.json",
            "https://0x7f.1/c.json",
            "https://app.example.com./c.json",
        ];
        for (const url of urls) {
            const outcome = await runResourcePolicy(cimdClientGovernance, clientCimd({ externalClientId: url }), {
                config: { allowedMetadataDomains: ["example.com"] },
            });
            const packRefuses = outcome.violations.some((v) => v.message.includes(`externalClientId "${url}"`));
            expect({ url, componentRefuses: cimdMetadataUrlProblems(url).length > 0 }).toEqual({
                url,
                componentRefuses: packRefuses,
            });
        }
    });
    it("accepts real dates only", () => {
        expect(reviewDateProblems("2028-02-29")).toEqual([]);
        expect(reviewDateProblems("2027-02-29")).toHaveLength(1);
        expect(reviewDateProblems("2027-1-01")).toHaveLength(1);
    });
});

describe("two MCP APIs in one tenant", () => {
    it("declares both APIs with their own grants, and the tenant after both", async () => {
        const common: Omit<McpApiArgs, "identifier"> = {
            tenantDomain: DOMAIN,
            thirdPartyClientsAllowed: true,
            scopes: [{ name: "tools:read", description: "List tools" }],
        };
        let a: McpApi | undefined;
        let b: McpApi | undefined;
        const run = await runUnderMocks({}, () => {
            a = new McpApi("a", { ...common, identifier: REF_A.identifier });
            b = new McpApi("b", { ...common, identifier: REF_B.identifier, signingAlg: "PS256" });
            new TenantMcpSettings("t", { mcpApis: [a, b], defaultAudience: REF_B.identifier });
        });
        expect(run.error).toBeUndefined();
        const servers = run.resources.filter((r) => r.type === AUTH0_TYPES.resourceServer);
        expect(servers.map((s) => [s.name, s.parent])).toEqual([
            ["a-api", "auth0-mcp:index:McpApi::a"],
            ["b-api", "auth0-mcp:index:McpApi::b"],
        ]);
        const grants = run.resources.filter((r) => r.type === AUTH0_TYPES.clientGrant);
        expect(await Promise.all(grants.map(async (g) => (await resolvedProps(g)).audience))).toEqual([
            REF_A.identifier,
            REF_B.identifier,
        ]);
        const tenant = defined(
            run.resources.find((r) => r.type === AUTH0_TYPES.tenant),
            "the tenant resource",
        );
        expect(tenant.dependsOn).toEqual(["auth0-mcp:index:McpApi::a", "auth0-mcp:index:McpApi::b"]);
        expect((await resolvedProps(tenant)).defaultAudience).toBe(REF_B.identifier);
        const contracts = (await resolveDeep([
            defined(a, "McpApi a").validationContract,
            defined(b, "McpApi b").validationContract,
        ])) as Record<string, unknown>[];
        expect(contracts.map((c) => [c.audience, c.algorithms])).toEqual([
            [REF_A.identifier, ["RS256"]],
            [REF_B.identifier, ["PS256"]],
        ]);
        expect(new Set(contracts.map((c) => c.issuer))).toEqual(new Set(["https://example.eu.auth0.com/"]));
    });

    it("refuses the same identifier twice", async () => {
        const error = await buildError({ mcpApis: [REF_A, REF_A] });
        expect(error.problems).toEqual([{ path: "mcpApis[1]", message: expect.stringContaining("declared twice") }]);
    });
});
