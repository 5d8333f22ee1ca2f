/**
 * Issue 3: the committed policy/ pack, launched the way the Pulumi CLI launches it (@pulumi/pulumi's
 * cmd/run-policy-pack, type-checked by ts-node, cwd = pack directory), answers the analyzer gRPC interface:
 * GetAnalyzerInfo, Configure, Analyze, AnalyzeStack. One pack process serves every test in this file.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { loadProtos, startPack, type RunningPack } from "../../src/check/pack-host";
import { readPolicyConfigFile, reconcilePolicyConfig } from "../../src/check/policy-config";
import { MCP_POLICIES } from "../../policy/registry";
import { REPO } from "./helpers";
import { defined } from "../helpers/defined";

const PACK = path.join(REPO, "policy");
const { analyzer, empty, struct } = loadProtos();
let pack: RunningPack;
let info: analyzerPb.AnalyzerInfo;

beforeAll(async () => {
    pack = await startPack(PACK, {
        project: "grpc-test",
        stack: "dev",
        organization: "organization",
        config: [],
        tags: {},
    });
    info = await pack.unary<unknown, analyzerPb.AnalyzerInfo>("getAnalyzerInfo", new empty.Empty());
}, 120_000);

afterAll(() => pack?.close());

const urn = (type: string, name: string) => `urn:pulumi:dev::grpc-test::${type}::${name}`;
const RS = "auth0:index/resourceServer:ResourceServer";
const TENANT = "auth0:index/tenant:Tenant";

function mandatory(res: analyzerPb.AnalyzeResponse, policy: string) {
    return res
        .getDiagnosticsList()
        .filter((d) => d.getPolicyname() === policy && d.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY);
}

describe("policy/ over the analyzer gRPC interface", () => {
    it("GetAnalyzerInfo lists every rule with description, severity and remediation steps", () => {
        expect(info.getName()).toBe("auth0-mcp");
        const names = info.getPoliciesList().map((p) => p.getName());
        expect(names.sort()).toEqual(MCP_POLICIES.map((p) => p.name).sort());
        expect(names).toEqual(
            expect.arrayContaining([
                "default-audience-requires-validation",
                "approved-identity-providers",
                "dynamic-client-registration-guardrails",
                "prefer-cimd-over-dcr",
                "mcp-api-token-settings",
                "resource-parameter-compatibility",
                "cimd-client-governance",
                "single-tenant-resource",
                "tenant-security-settings-explicit",
                "jwks-keeps-alg",
            ]),
        );
        for (const p of info.getPoliciesList()) {
            expect(p.getDescription(), p.getName()).not.toBe("");
            expect(p.getRemediationSteps(), p.getName()).not.toBe("");
            expect(p.getSeverity(), p.getName()).not.toBe(analyzer.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED);
        }
        const prefer = defined(
            info.getPoliciesList().find((p) => p.getName() === "prefer-cimd-over-dcr"),
            "the prefer-cimd-over-dcr policy",
        );
        expect(prefer.getEnforcementlevel()).toBe(analyzer.EnforcementLevel.ADVISORY);
    });

    it("accepts Configure with config/dev.json after schema defaults and validation", async () => {
        const levels = ["advisory", "mandatory", "disabled", "remediate"] as const;
        const file = path.join(PACK, "config", "dev.json");
        const config = reconcilePolicyConfig(
            info.getPoliciesList().map((p) => {
                const schema = p.getConfigschema();
                return {
                    name: p.getName(),
                    enforcementLevel: defined(levels[p.getEnforcementlevel()], `${p.getName()}'s enforcement level`),
                    ...(schema
                        ? {
                              schema: {
                                  properties: defined(
                                      schema.getProperties(),
                                      `${p.getName()}'s schema properties`,
                                  ).toJavaScript() as Record<string, unknown>,
                                  required: schema.getRequiredList(),
                              },
                          }
                        : {}),
                };
            }),
            {},
            readPolicyConfigFile(file),
            file,
        );
        expect(
            defined(config["approved-identity-providers"], "approved-identity-providers' config").properties[
                "approvedStrategies"
            ],
        ).toEqual(["google-oauth2"]);
        const req = new analyzer.ConfigureAnalyzerRequest();
        for (const [name, c] of Object.entries(config)) {
            const pc = new analyzer.PolicyConfig();
            pc.setEnforcementlevel(levels.indexOf(c.enforcementLevel) as analyzerPb.EnforcementLevel);
            pc.setProperties(struct.Struct.fromJavaScript(c.properties as never));
            req.getPolicyconfigMap().set(name, pc);
        }
        await expect(pack.unary("configure", req)).resolves.toBeDefined();
    });

    it("Analyze blocks an HS256 ResourceServer and lets an RS256 one through", async () => {
        const analyze = (name: string, signingAlg: string) => {
            const req = new analyzer.AnalyzeRequest();
            req.setType(RS);
            req.setName(name);
            req.setUrn(urn(RS, name));
            req.setProperties(
                struct.Struct.fromJavaScript({
                    identifier: `https://${name}.example.com/mcp`,
                    signingAlg,
                    tokenDialect: "rfc9068_profile_authz",
                    enforcePolicies: true,
                    tokenLifetime: 3600,
                }),
            );
            req.setOptions(new analyzer.AnalyzerResourceOptions());
            return pack.unary<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>("analyze", req);
        };
        const bad = mandatory(await analyze("hs", "HS256"), "mcp-api-token-settings");
        expect(bad).toHaveLength(1);
        expect(defined(bad[0], "an HS256 violation").getMessage()).toContain("HS256");
        expect(mandatory(await analyze("rs", "RS256"), "mcp-api-token-settings")).toEqual([]);
    });

    it("AnalyzeStack blocks a default audience that misses the declared API by a trailing slash", async () => {
        const resource = (type: string, name: string, props: Record<string, unknown>) => {
            const r = new analyzer.AnalyzerResource();
            r.setType(type);
            r.setName(name);
            r.setUrn(urn(type, name));
            r.setProperties(struct.Struct.fromJavaScript(props as never));
            r.setOptions(new analyzer.AnalyzerResourceOptions());
            return r;
        };
        const req = new analyzer.AnalyzeStackRequest();
        req.setResourcesList([
            resource(RS, "api", {
                identifier: "https://mcp.example.com/mcp/",
                signingAlg: "RS256",
                tokenDialect: "rfc9068_profile_authz",
                enforcePolicies: true,
                tokenLifetime: 3600,
            }),
            resource(TENANT, "tenant", { defaultAudience: "https://mcp.example.com/mcp" }),
        ]);
        const res = await pack.unary<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>("analyzeStack", req);
        const blocked = mandatory(res, "default-audience-requires-validation");
        expect(blocked.length).toBeGreaterThan(0);
        const text = blocked.map((d) => d.getMessage()).join("\n");
        expect(text).toContain("https://mcp.example.com/mcp/");
        expect(text).toContain('"https://mcp.example.com/mcp"');
    });
});
