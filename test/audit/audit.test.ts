/**
 * `auth0-mcp audit` end to end: the fake Management API on loopback, the auth0 SDK, the real policy pack launched as
 * the CLI launches it and driven over the analyzer gRPC interface by the checker's own analyzeStack.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MCP_POLICIES } from "../../policy/registry";
import { runAudit, type AuditResult } from "../../src/audit/audit";
import { renderAudit } from "../../src/audit/report";
import { main } from "../../src/check/cli";
import { CLIENT_ID, CLIENT_SECRET, startFakeManagementApi, type FakeManagementApi } from "./fake-management-api";
import { DOMAIN, HS_API, SECRETS, issueTenant, manyClients } from "./fixtures";
import { defined } from "../helpers/defined";

let api: FakeManagementApi;
let env: NodeJS.ProcessEnv;
let result: AuditResult;

beforeAll(async () => {
    api = await startFakeManagementApi(issueTenant());
    env = {
        AUTH0_DOMAIN: DOMAIN,
        AUTH0_CLIENT_ID: CLIENT_ID,
        AUTH0_CLIENT_SECRET: CLIENT_SECRET,
        AUTH0_MCP_MANAGEMENT_BASE_URL: api.url,
    };
    result = await runAudit({ env, dir: path.join(__dirname, "program"), stack: "prod" });
});
afterAll(() => api?.close());

async function cli(argv: string[], environment: NodeJS.ProcessEnv) {
    const saved = { ...process.env };
    Object.assign(process.env, environment);
    let stdout = "";
    let stderr = "";
    try {
        const code = await main(["audit", ...argv], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
        return { code, stdout, stderr };
    } finally {
        for (const k of Object.keys(environment)) delete process.env[k];
        Object.assign(process.env, saved);
    }
}

const urn = (type: string, name: string) => `urn:pulumi:${DOMAIN}::auth0-tenant::${type}::${name}`;

describe("the issue's tenant", () => {
    it("names the unowned DCR client, the hand-promoted github connection and the HS256 default audience with the pack's policy names", () => {
        const names = new Set(MCP_POLICIES.map((p) => p.name));
        const of = (policy: string) => result.violations.filter((v) => v.policy === policy);
        for (const v of result.violations) expect(names.has(v.policy), v.policy).toBe(true);

        const dcr = of("third-party-client-governance");
        expect(dcr.map((v) => v.urn)).toEqual([
            urn("auth0:index/client:Client", "Some MCP Client (tpc_Zq8RkU1nD3cRr3g1st3r3d000001)"),
        ]);
        expect(defined(dcr[0], "a third-party-client-governance violation").message).toContain(
            "clientMetadata.mcp_owner is not set; clientMetadata.mcp_approval_ref is not set",
        );

        const github = urn("auth0:index/connection:Connection", "github");
        expect(of("promoted-connection-approval-recorded").map((v) => v.urn)).toEqual([github]);
        expect(of("approved-identity-providers").map((v) => v.urn)).toEqual([github]);

        const audience = of("default-audience-requires-validation");
        expect(audience.map((v) => v.urn)).toEqual([urn("auth0:index/tenant:Tenant", "tenant")]);
        expect(defined(audience[0], "a default-audience-requires-validation violation").message).toContain(
            `sets defaultAudience "${HS_API}"`,
        );
        expect(defined(audience[0], "a default-audience-requires-validation violation").message).toContain(
            'signingAlg "HS256" is not an allowed asymmetric algorithm',
        );

        for (const v of result.violations) expect(v.unknownValue, `${v.policy}: ${v.message}`).toBe(false);
        expect(result.summary.mandatory).toBeGreaterThanOrEqual(4);
        expect(result.outputsMode).toBe("live-state");
    });

    it("lets governed clients, the CIMD client's own rule and the untouched objects pass", () => {
        const flagged = new Set(result.violations.map((v) => v.urn));
        expect(
            flagged.has(urn("auth0:index/client:Client", "Approved agent (tpc_Owned000000000000000000000001)")),
        ).toBe(false);
        expect(flagged.has(urn("auth0:index/client:Client", "ACME web app (fp_WebApp0000000000000000000001)"))).toBe(
            false,
        );
        expect(flagged.has(urn("auth0:index/connection:Connection", "Username-Password-Authentication"))).toBe(false);
        expect(flagged.has(urn("auth0:index/resourceServer:ResourceServer", "https://mcp.acme.example/mcp"))).toBe(
            false,
        );
    });

    it("inventories every third-party and CIMD client with grants, redirect URIs and governance metadata", () => {
        const inv = Object.fromEntries(result.audit.inventory.map((e) => [e.clientId, e]));
        expect(Object.keys(inv).sort()).toEqual([
            "cimd_0000000000000000000000001",
            "tpc_Owned000000000000000000000001",
            "tpc_Zq8RkU1nD3cRr3g1st3r3d000001",
        ]);
        expect(inv["tpc_Zq8RkU1nD3cRr3g1st3r3d000001"]).toMatchObject({
            kind: "third-party",
            owner: null,
            approvalRef: null,
            createdAt: null,
            grantTypes: ["authorization_code", "refresh_token"],
            redirectUris: ["http://127.0.0.1:33418/callback", "https://mcp-client.example.net/oauth/callback"],
            apis: [
                {
                    audience: "https://mcp.acme.example/mcp",
                    scopes: ["tools:read"],
                    via: "default-grant",
                    subjectType: "user",
                },
            ],
        });
        expect(inv["cimd_0000000000000000000000001"]).toMatchObject({
            kind: "cimd",
            createdBy: "admin",
            metadataUrl: "https://agent.partner.example/oauth/client-metadata.json",
            owner: "partners-team",
        });
        expect(result.audit.excluded.map((e) => e.id).sort()).toEqual(["gl_AllApplications000000000001", "rs_mgmt"]);
    });

    it("reports drift against the program: default audience set in the dashboard, github promoted by hand, API signing changed", () => {
        const drift = defined(result.audit.drift, "a drift report");
        expect(drift.project).toBe("audit-drift");
        const got = drift.entries
            .map((d) => `${d.kind} ${d.type.split(":").pop()} ${d.property}: ${d.declared} -> ${d.live}`)
            .sort();
        expect(got).toEqual([
            "changed Connection isDomainConnection: false -> true",
            "changed ResourceServer signingAlg: RS256 -> HS256",
            `undeclared Tenant defaultAudience: null -> ${HS_API}`,
        ]);
        expect(
            defined(
                drift.entries.find((d) => d.property === "defaultAudience"),
                "defaultAudience drift",
            ).message,
        ).toContain("will never be reverted");
    });

    it("renders text, json and sarif without any credential or secret the API returned", () => {
        const text = renderAudit(result, "text", "1.2.3");
        expect(text).toMatch(/^Audit of tenant acme-mcp\.eu\.auth0\.com against auth0-mcp@/);
        expect(text).toContain("MCP client inventory: 3 third-party/CIMD clients");
        expect(text).toContain("owner: MISSING; approval: MISSING");
        expect(text).toContain("[undeclared] Tenant acme-mcp.eu.auth0.com: the tenant holds defaultAudience");
        expect(text.trimEnd().split("\n").pop()).toMatch(
            /^FAIL: auth0-tenant\/acme-mcp\.eu\.auth0\.com has .*; 3 drift differences$/,
        );
        const json = JSON.parse(renderAudit(result, "json"));
        expect(json).toMatchObject({
            tenant: DOMAIN,
            outputsMode: "live-state",
            drift: { entries: expect.any(Array) },
            inventory: expect.any(Array),
        });
        const sarif = JSON.parse(renderAudit(result, "sarif", "1.2.3"));
        expect(sarif.runs[0].tool.driver.name).toBe("auth0-mcp audit");
        expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain(
            "third-party-client-governance",
        );
        const drift = sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === "tenant-drift");
        expect(drift).toHaveLength(3);
        expect(drift.every((r: { level: string }) => r.level === "warning")).toBe(true);
        expect(sarif.runs[0].tool.driver.rules[drift[0].ruleIndex].id).toBe("tenant-drift");
        for (const out of [text, JSON.stringify(json), JSON.stringify(sarif)]) {
            for (const secret of [CLIENT_SECRET, ...Object.values(SECRETS)]) expect(out).not.toContain(secret);
        }
    });
});

describe("the CLI", () => {
    it("exit 1 on a mandatory violation, with the report on stdout", async () => {
        const { code, stdout, stderr } = await cli(["--format", "json"], env);
        expect(stderr).toBe("");
        expect(code).toBe(1);
        expect(JSON.parse(stdout).summary.mandatory).toBeGreaterThan(0);
    });

    it("exit 2 with one line for bad credentials, and nothing that looks like a clean report", async () => {
        const { code, stdout, stderr } = await cli([], { ...env, AUTH0_CLIENT_SECRET: "not-the-secret-1234" });
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(stderr).toBe(
            `auth0-mcp audit: error: Auth0 refused the client credentials (401) (POST https://${DOMAIN}/oauth/token): check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET: a machine-to-machine application of this tenant, authorized for the Management API\n`,
        );
    });

    it("exit 2 when a page fails midway: a partial read is never a clean tenant", async () => {
        const big = await startFakeManagementApi({ ...issueTenant(), clients: manyClients(250) });
        try {
            big.faults.push({ path: "/api/v2/clients", from: 2, fault: { kind: "status", status: 500 } });
            const { code, stdout, stderr } = await cli([], { ...env, AUTH0_MCP_MANAGEMENT_BASE_URL: big.url });
            expect(code).toBe(2);
            expect(stdout).toBe("");
            expect(stderr).toContain(`Auth0 answered 500 (GET https://${DOMAIN}/api/v2/clients)`);
        } finally {
            await big.close();
        }
    });

    it("exit 2 for --dir without --stack", async () => {
        const { code, stderr } = await cli(["--dir", "x"], env);
        expect(code).toBe(2);
        expect(stderr).toContain("--dir and --stack go together");
    });
});
