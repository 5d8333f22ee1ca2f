import { describe, expect, it } from "vitest";
import { formatJson } from "../../src/check/reporters/json";
import { toSarif } from "../../src/check/reporters/sarif";
import { formatText, summaryLine } from "../../src/check/reporters/text";
import type { CheckResult } from "../../src/check/types";
import { defined } from "../helpers/defined";
import { JSON_REPORT_KEYS } from "../helpers/json-report";

const TENANT = "urn:pulumi:dev::demo::auth0:index/tenant:Tenant::tenant";
const API = "urn:pulumi:dev::demo::auth0:index/resourceServer:ResourceServer::api";
const STACK = "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev";

function result(overrides: Partial<CheckResult> = {}): CheckResult {
    return {
        project: "demo",
        stack: "dev",
        files: { stackFile: "infra/Pulumi.dev.yaml", program: "infra/index.ts" },
        policyPack: { name: "pack", version: "1.2.3", dir: "policy" },
        policies: [
            {
                name: "no-hs256",
                description: "APIs must sign asymmetrically.",
                enforcementLevel: "mandatory",
                severity: "high",
                remediation: "Set signingAlg to RS256.",
                url: "",
                kind: "resource",
            },
            {
                name: "names",
                description: "Connections should be named.",
                enforcementLevel: "advisory",
                severity: "low",
                remediation: "",
                url: "",
                kind: "resource",
            },
            {
                name: "unused",
                description: "Never fires.",
                enforcementLevel: "mandatory",
                severity: "medium",
                remediation: "Nothing.",
                url: "",
                kind: "stack",
            },
        ],
        resources: [
            { urn: STACK, type: "pulumi:pulumi:Stack", name: "demo-dev" },
            // source: where the SDK saw the constructor (inside a component here); location: the user's line.
            {
                urn: API,
                type: "auth0:index/resourceServer:ResourceServer",
                name: "api",
                source: { uri: "node_modules/auth0-mcp/dist/src/mcp-api/component.js", line: 56 },
                location: { file: "infra/index.ts", line: 7 },
            },
            { urn: TENANT, type: "auth0:index/tenant:Tenant", name: "tenant" },
        ],
        violations: [
            {
                policy: "names",
                policyPack: "pack",
                enforcementLevel: "advisory",
                severity: "low",
                urn: TENANT,
                message: "Connections should be named.\nSet displayName.",
                unknownValue: false,
            },
            {
                policy: "no-hs256",
                policyPack: "pack",
                enforcementLevel: "mandatory",
                severity: "high",
                urn: API,
                message: "APIs must sign asymmetrically.\nsigningAlg HS256",
                unknownValue: false,
            },
        ],
        summary: { mandatory: 1, advisory: 1 },
        policyConfig: { file: "infra/Pulumi.dev.policy.json", lookedFor: "infra/Pulumi.dev.policy.json" },
        waivers: [],
        remediations: [],
        outputsMode: "planned-create",
        organization: "organization",
        tags: { "pulumi:project": "demo" },
        timings: { programMs: 1, packReadyMs: 1, analyzeMs: 1, totalMs: 1 },
        ...overrides,
    };
}

describe("text report", () => {
    it("groups by policy, mandatory first, with URN, message and remediation, and ends with the summary", () => {
        const text = formatText(result());
        const lines = text.trimEnd().split("\n");
        expect(text.indexOf("no-hs256")).toBeLessThan(text.indexOf("names ("));
        expect(text).toContain(`- ${API}`);
        expect(text).toContain("signingAlg HS256");
        expect(text).toContain("Remediation:\n    Set signingAlg to RS256.");
        expect(lines.at(-1)).toBe("FAIL: demo/dev has 1 mandatory policy violation and 1 advisory policy violation");
    });

    it("says PASS when nothing is mandatory", () => {
        expect(summaryLine(result({ violations: [], summary: { mandatory: 0, advisory: 0 } }))).toMatch(
            /^PASS: demo\/dev has 0 mandatory/,
        );
    });

    it("counts in the singular for one and the plural otherwise, zero included", () => {
        const line = (mandatory: number, advisory: number) => summaryLine(result({ summary: { mandatory, advisory } }));
        expect(line(0, 0)).toBe("PASS: demo/dev has 0 mandatory policy violations and 0 advisory policy violations");
        expect(line(1, 2)).toBe("FAIL: demo/dev has 1 mandatory policy violation and 2 advisory policy violations");
        expect(line(2, 1)).toBe("FAIL: demo/dev has 2 mandatory policy violations and 1 advisory policy violation");
        // The root stack is not counted: the header and the resource list agree.
        expect(formatText(result())).toMatch(/^Policy check of demo\/dev against pack@1\.2\.3 \(2 resources\)$/m);
        expect(formatText(result({ resources: [defined(result().resources[1], "a second resource")] }))).toContain(
            "(1 resource)\n",
        );
        expect(formatText(result())).toContain("names (advisory, low): 1 violation\n");
    });

    it("lists the resources by type (not the root stack), each with the user's file:line or that none is known", () => {
        const text = formatText(result());
        expect(text).toContain(
            [
                "Resources: 2 resources of 2 types",
                "  auth0:index/resourceServer:ResourceServer (1)",
                "    - api  infra/index.ts:7",
                "  auth0:index/tenant:Tenant (1)",
                "    - tenant  (no source line: the SDK reported none)",
            ].join("\n"),
        );
        expect(text).not.toContain("demo-dev");
        // The line is the user's location, never the SDK's source position inside a component.
        expect(text).not.toContain("component.js");
    });

    it("puts the user's file:line under each violation, and the stack file when no line is known", () => {
        const text = formatText(result());
        expect(text).toContain(`  - ${API}\n    at infra/index.ts:7\n`);
        expect(text).toContain(
            `  - ${TENANT}\n    at infra/Pulumi.dev.yaml (stack dev: no program line is known for it)\n`,
        );
    });
});

describe("json report", () => {
    it("has exactly the documented shape", () => {
        const json = JSON.parse(formatJson(result()));
        expect(Object.keys(json)).toEqual(JSON_REPORT_KEYS);
        expect(json.policyConfig).toEqual({
            file: "infra/Pulumi.dev.policy.json",
            lookedFor: "infra/Pulumi.dev.policy.json",
        });
        expect(json.outputsMode).toBe("planned-create");
        expect(json.resources[1]).toEqual({
            urn: API,
            type: "auth0:index/resourceServer:ResourceServer",
            name: "api",
            location: { file: "infra/index.ts", line: 7 },
        });
        expect(json.resources[2]).toEqual({
            urn: TENANT,
            type: "auth0:index/tenant:Tenant",
            name: "tenant",
            location: null,
        });
        expect(json.violations[1]).toEqual({
            policy: "no-hs256",
            enforcementLevel: "mandatory",
            severity: "high",
            urn: API,
            message: "APIs must sign asymmetrically.\nsigningAlg HS256",
            location: { file: "infra/index.ts", line: 7 },
            remediation: "Set signingAlg to RS256.",
        });
        // No known line: null; a policy without remediation steps: "".
        expect(json.violations[0]).toMatchObject({ policy: "names", location: null, remediation: "" });
        expect(json.summary).toEqual({ mandatory: 1, advisory: 1 });
    });
});

describe("sarif report", () => {
    const sarif = toSarif(result(), "9.9.9");
    const run = defined(sarif.runs[0], "a SARIF run");

    it("is SARIF 2.1.0 with one rule per policy, carrying description and help", () => {
        expect(sarif.version).toBe("2.1.0");
        expect(sarif.$schema).toContain("sarif-2.1.0");
        expect(run.tool.driver.rules.map((r) => r.id)).toEqual(["no-hs256", "names", "unused"]);
        const rule = defined(run.tool.driver.rules[0], "a first rule");
        expect(rule.shortDescription.text).toBe("APIs must sign asymmetrically.");
        expect(rule.help.text).toBe("Set signingAlg to RS256.");
        expect(rule.defaultConfiguration.level).toBe("error");
        expect(defined(run.tool.driver.rules[1], "a second rule").defaultConfiguration.level).toBe("warning");
    });

    it("maps mandatory to error and advisory to warning, pointing at the user's line (not the SDK's source position) or the stack file", () => {
        const [first, second] = run.results;
        const advisory = defined(first, "the advisory result");
        const mandatory = defined(second, "the mandatory result");
        const mandatoryAt = defined(mandatory.locations[0], "the mandatory result's location");
        const advisoryAt = defined(advisory.locations[0], "the advisory result's location");
        expect(mandatory.level).toBe("error");
        expect(mandatory.ruleId).toBe("no-hs256");
        expect(defined(run.tool.driver.rules[mandatory.ruleIndex], "the mandatory result's rule").id).toBe("no-hs256");
        expect(mandatoryAt.physicalLocation).toEqual({
            artifactLocation: { uri: "infra/index.ts", uriBaseId: "%SRCROOT%" },
            region: { startLine: 7 },
        });
        expect(
            defined(mandatoryAt.logicalLocations[0], "the mandatory result's logical location").fullyQualifiedName,
        ).toBe(API);
        expect(advisory.level).toBe("warning");
        expect(advisoryAt.physicalLocation.artifactLocation.uri).toBe("infra/Pulumi.dev.yaml");
        expect(advisoryAt.physicalLocation.region.startLine).toBe(1);
    });
});

describe("policy config and waivers are in every report", () => {
    const waived = result({
        waivers: [
            {
                policy: "no-hs256",
                declaredLevel: "mandatory",
                configuredLevel: "advisory",
                file: "infra/Pulumi.dev.policy.json",
                key: "no-hs256",
            },
            {
                policy: "unused",
                declaredLevel: "mandatory",
                configuredLevel: "disabled",
                file: null,
                key: "initialConfig",
            },
        ],
    });
    const none = result({ policyConfig: { file: null, lookedFor: "infra/Pulumi.dev.policy.json" } });

    it("text: names the config, says when none was found, and lists every waiver with both levels", () => {
        expect(formatText(result())).toContain("Policy config: infra/Pulumi.dev.policy.json\n");
        expect(formatText(none)).toContain(
            "Policy config: none (no infra/Pulumi.dev.policy.json): every policy runs at the level its pack declares, with its schema defaults",
        );
        const text = formatText(waived);
        expect(text).toContain("Waivers: 2 policies run below the level the pack declares");
        expect(text).toContain(
            '  - no-hs256: declared mandatory, runs advisory (set by infra/Pulumi.dev.policy.json ("no-hs256"))',
        );
        expect(text).toContain("  - unused: declared mandatory, runs disabled (set by the pack's own initial config)");
        expect(text).toContain("Outputs: planned-create");
        expect(formatText(result())).not.toContain("Waivers");
    });

    it("json: policyConfig, waivers and outputsMode", () => {
        const json = JSON.parse(formatJson(waived));
        expect(json.waivers).toEqual(waived.waivers);
        expect(JSON.parse(formatJson(none)).policyConfig).toEqual({
            file: null,
            lookedFor: "infra/Pulumi.dev.policy.json",
        });
    });

    it("sarif: run properties and one configuration notification per waiver, a warning when no config was found", () => {
        const run = defined(toSarif(waived).runs[0], "a SARIF run");
        expect(run.properties.waivers).toEqual(waived.waivers);
        expect(run.properties.policyConfig).toEqual(waived.policyConfig);
        expect(run.properties.outputsMode).toBe("planned-create");
        const notes = defined(run.invocations[0], "an invocation").toolConfigurationNotifications;
        expect(notes.filter((n) => n.descriptor.id === "policy-waiver").map((n) => n.message.text)).toEqual([
            'Waiver: no-hs256: declared mandatory, runs advisory (set by infra/Pulumi.dev.policy.json ("no-hs256"))',
            "Waiver: unused: declared mandatory, runs disabled (set by the pack's own initial config)",
        ]);
        const noneInvocation = defined(defined(toSarif(none).runs[0], "a SARIF run").invocations[0], "an invocation");
        const config = defined(
            noneInvocation.toolConfigurationNotifications.find((n) => n.descriptor.id === "policy-config"),
            "a policy-config notification",
        );
        expect(config.level).toBe("warning");
        expect(config.message.text).toContain("Policy config: none (no infra/Pulumi.dev.policy.json)");
    });
});
