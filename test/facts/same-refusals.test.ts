/**
 * The components and the pack apply the same MCP facts (policy/facts), so they refuse the same bad inputs: the
 * component before it registers anything (McpApi, TenantMcpSettings under Pulumi mocks), the pack's rule at
 * preview (mcp-api-token-settings, cimd-client-governance, through the test helpers). Rows where the two verdicts
 * differ on purpose say why.
 */
import { describe, expect, it } from "vitest";
import { cimdClientGovernance } from "../../policy/policies/cimd-client-governance";
import { mcpApiTokenSettings } from "../../policy/policies/mcp-api-token-settings";
import type { McpApiArgs } from "../../src/components/mcp-api/args";
import { McpApi } from "../../src/components/mcp-api/component";
import { InvalidComponentArgsError } from "../../src/components/problems";
import { TenantMcpSettings } from "../../src/components/tenant/component";
import { runUnderMocks } from "../helpers/mocks";
import { clientCimd, resourceServer } from "../policy/fixtures";
import { runResourcePolicy } from "../policy/helpers";

type Verdict = "accepts" | "refuses";

interface Row {
    value: string | number;
    component: Verdict;
    pack: Verdict;
    /** Required when the verdicts differ: why they may. */
    why?: string;
    /** Component args beyond the field under test. */
    componentArgs?: Partial<McpApiArgs>;
    /** Policy config beyond the rule's defaults. */
    packConfig?: Record<string, unknown>;
}

const both = (verdict: Verdict, value: string | number, extra: Partial<Row> = {}): Row => ({
    value,
    component: verdict,
    pack: verdict,
    ...extra,
});

const API_BASE: McpApiArgs = {
    identifier: "https://mcp.example.com/mcp",
    tenantDomain: "example.eu.auth0.com",
    scopes: [{ name: "tools:read", description: "List tools" }],
    thirdPartyClientsAllowed: true,
};

/** The component's verdict and the paths of its problems; a refusal registers nothing. */
async function mcpApiVerdict(args: Partial<McpApiArgs>): Promise<{ verdict: Verdict; paths: string[] }> {
    const run = await runUnderMocks({}, () => new McpApi("api", { ...API_BASE, ...args }));
    if (run.error === undefined) return { verdict: "accepts", paths: [] };
    expect(run.error).toBeInstanceOf(InvalidComponentArgsError);
    expect(run.registrations).toHaveLength(0);
    return { verdict: "refuses", paths: (run.error as InvalidComponentArgsError).problems.map((p) => p.path) };
}

async function packVerdict(outcome: Promise<{ violations: unknown[] }>): Promise<Verdict> {
    return (await outcome).violations.length > 0 ? "refuses" : "accepts";
}

function checkTable(rows: readonly Row[]): void {
    it("says why wherever the verdicts differ", () => {
        const unexplained = rows
            .filter((row) => row.component !== row.pack && !row.why)
            .map((row) => String(row.value));
        expect(unexplained, "rows whose verdicts differ without a `why`").toEqual([]);
    });
}

/** One MCP API field: the component's arg and the ResourceServer input the McpApi component writes it to. */
function apiFieldTable(title: string, componentField: keyof McpApiArgs, packField: string, rows: readonly Row[]): void {
    describe(title, () => {
        checkTable(rows);
        it.each(rows.map((row) => [String(row.value), row] as const))("%s", async (_, row) => {
            const component = await mcpApiVerdict({ [componentField]: row.value, ...row.componentArgs });
            const pack = await packVerdict(
                runResourcePolicy(mcpApiTokenSettings, resourceServer({ [packField]: row.value }), {
                    config: row.packConfig ?? {},
                }),
            );
            expect({ component: component.verdict, pack }).toEqual({ component: row.component, pack: row.pack });
            if (component.verdict === "refuses") expect(component.paths).toEqual([componentField]);
        });
    });
}

apiFieldTable("MCP API identifier (policy/facts/canonical-uri)", "identifier", "identifier", [
    both("accepts", "https://mcp.example.com/mcp"),
    both("refuses", "http://mcp.example.com/mcp"),
    both("refuses", "ftp://mcp.example.com/mcp"),
    both("refuses", "https://mcp.example.com/mcp#tools"),
    both("refuses", "https://MCP.example.com/mcp"),
    both("refuses", "HTTPS://mcp.example.com/mcp"),
    both("refuses", "https://mcp.example.com/a/../mcp"),
    both("refuses", "https://mcp.example.com/./mcp"),
    both("refuses", "https://mcp.example.com/mcp/"),
    both("refuses", "https://mcp.example.com:443/mcp"),
    both("refuses", "https://user:pw@mcp.example.com/mcp"),
    both("refuses", " https://mcp.example.com/mcp"),
    both("refuses", "mcp.example.com/mcp"),
    // RFC 8707 §2: a resource SHOULD NOT (not MUST NOT) carry a query; it is part of the canonical URI either side.
    both("accepts", "https://mcp.example.com/mcp?tenant=a"),
    both("refuses", "http://localhost:3000/mcp"),
    both("accepts", "http://localhost:3000/mcp", {
        componentArgs: { allowLocalhostHttp: true },
        packConfig: { allowLocalhostHttp: true },
    }),
]);

apiFieldTable("token lifetime (policy/facts/token-settings bounds)", "tokenLifetimeSeconds", "tokenLifetime", [
    both("accepts", 3600),
    both("accepts", 60),
    both("accepts", 86_400),
    both("refuses", 59),
    both("refuses", 0),
    both("refuses", -3600),
    both("refuses", 3600.5),
    both("refuses", 86_401),
    both("refuses", 2_592_001),
    {
        value: 172_800,
        component: "refuses",
        pack: "accepts",
        packConfig: { maxTokenLifetimeSeconds: 172_800 },
        why: "the pack's limit is per-environment policy config (up to Auth0's 30 days); the component keeps the default limit",
    },
]);

apiFieldTable("signing algorithm (policy/facts/token-settings)", "signingAlg", "signingAlg", [
    both("accepts", "RS256"),
    both("accepts", "PS256"),
    both("refuses", "HS256"),
    both("refuses", "hs256"),
    both("refuses", "HS512"),
    both("refuses", "ES256"),
    both("refuses", "none"),
    {
        value: "rs256",
        component: "refuses",
        pack: "accepts",
        why: "the provider compares signingAlg case-insensitively, so the pack judges what Auth0 will use; the component writes the value and wants it spelt as Auth0 stores it",
    },
    {
        value: "PS256",
        component: "accepts",
        pack: "refuses",
        packConfig: { allowedSigningAlgs: ["RS256"] },
        why: "an environment may narrow allowedSigningAlgs in the policy config; the component allows every asymmetric algorithm",
    },
]);

describe("CIMD client_id URL (policy/facts/cimd-url)", () => {
    const CIMD = { metadataUrl: "", owner: "platform@example.com", approvalRef: "SEC-9", reviewBy: "2999-12-31" };
    const PACK_CONFIG = { allowedMetadataDomains: ["example.com"] };

    async function tenantVerdict(metadataUrl: string): Promise<{ verdict: Verdict; paths: string[] }> {
        const mcpApis = [{ identifier: "https://mcp.example.com/mcp", thirdPartyClientsAllowed: true }];
        const run = await runUnderMocks(
            {},
            () => new TenantMcpSettings("t", { mcpApis, cimdClients: [{ ...CIMD, metadataUrl }] }),
        );
        if (run.error === undefined) return { verdict: "accepts", paths: [] };
        expect(run.error).toBeInstanceOf(InvalidComponentArgsError);
        expect(run.registrations).toHaveLength(0);
        return { verdict: "refuses", paths: (run.error as InvalidComponentArgsError).problems.map((p) => p.path) };
    }

    const rows: Row[] = [
        both("accepts", "https://app.example.com/oauth/client-metadata.json"),
        both("refuses", "http://app.example.com/oauth/client-metadata.json"),
        both("refuses", "https://app.example.com/oauth/client-metadata.json?v=2"),
        both("refuses", "https://app.example.com/oauth/client-metadata.json#x"),
        both("refuses", "https://App.example.com/oauth/client-metadata.json"),
        both("refuses", "https://app.example.com/oauth/../client-metadata.json"),
        both("refuses", "https://app.example.com/oauth/%2e%2e/client-metadata.json"),
        both("refuses", "https://app.example.com/./client-metadata.json"),
        both("refuses", "https://user:pw@app.example.com/client-metadata.json"),
        both("refuses", "https://app.example.com\\client-metadata.json"),
        both("refuses", "https://app.example.com:443/client-metadata.json"),
        both("refuses", "https://app.example.com."),
        both("refuses", "https://app.example.com/"),
        both("refuses", "https://192.0.2.1/client-metadata.json"),
        both("refuses", "https://xn--pple-43d.example.com/client-metadata.json"),
        both("refuses", "app.example.com/client-metadata.json"),
        {
            value: "https://app.other.org/oauth/client-metadata.json",
            component: "accepts",
            pack: "refuses",
            why: "which domains may serve metadata documents is each environment's allowedMetadataDomains policy config; the component has no allowlist",
        },
    ];
    checkTable(rows);

    it.each(rows.map((row) => [String(row.value), row] as const))("%s", async (_, row) => {
        const url = String(row.value);
        const component = await tenantVerdict(url);
        const pack = await packVerdict(
            runResourcePolicy(cimdClientGovernance, clientCimd({ externalClientId: url }), { config: PACK_CONFIG }),
        );
        expect({ component: component.verdict, pack }).toEqual({ component: row.component, pack: row.pack });
        if (component.verdict === "refuses") expect(component.paths).toEqual(["cimdClients[0].metadataUrl"]);
    });
});
