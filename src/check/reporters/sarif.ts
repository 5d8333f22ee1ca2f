/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per policy of the pack, one result per violation, `error` for
 * mandatory and `warning` for advisory. A result points at the user's line that declared the resource (for a child
 * of this package's components: where the program constructed the component), relative to the repository root,
 * else at the stack file's first line; the URN goes in a logical location.
 */
import type { CheckResult, PolicyMeta, Violation } from "../types";
import { locationsByUrn } from "./location";
import { OUTPUTS_MODE_TEXT, policyConfigLine, waiverLine } from "./text";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

export interface SarifLocation {
    physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } };
    logicalLocations: Array<{ fullyQualifiedName: string; kind: string }>;
}

const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function rule(p: PolicyMeta) {
    const help = p.remediation || p.description;
    return {
        id: p.name,
        name: p.name
            .split("-")
            .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
            .join(""),
        shortDescription: { text: p.description || p.name },
        fullDescription: { text: p.description || p.name },
        help: {
            text: help,
            markdown:
                `**${p.name}**: ${p.description}\n\n${p.remediation ? `Remediation:\n\n${p.remediation}` : ""}`.trim(),
        },
        ...(p.url ? { helpUri: p.url } : {}),
        defaultConfiguration: {
            level:
                p.enforcementLevel === "mandatory" || p.enforcementLevel === "remediate"
                    ? "error"
                    : p.enforcementLevel === "disabled"
                      ? "none"
                      : "warning",
        },
        properties: {
            tags: ["security", "pulumi-policy", `policy-${p.kind}`],
            ...(SECURITY_SEVERITY[p.severity] ? { "security-severity": SECURITY_SEVERITY[p.severity] } : {}),
        },
    };
}

export function toSarif(result: CheckResult, toolVersion = "0.0.0") {
    const { rules, ruleIndexOf } = sarifRules(result);
    const locations = locationsByUrn(result);
    const results = result.violations.map((v) =>
        sarifResult(result, v, ruleIndexOf(v), locations.get(v.urn) ?? { file: result.files.stackFile, line: 1 }),
    );
    return {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: "auth0-mcp check",
                        version: toolVersion,
                        rules,
                    },
                },
                automationDetails: { id: `auth0-mcp-check/${result.project}/${result.stack}/` },
                originalUriBaseIds: { "%SRCROOT%": { description: { text: "The repository root." } } },
                invocations: [
                    { executionSuccessful: true, toolConfigurationNotifications: configurationNotifications(result) },
                ],
                results,
                properties: {
                    policyPack: `${result.policyPack.name}@${result.policyPack.version}`,
                    summary: result.summary,
                    policyConfig: result.policyConfig,
                    outputsMode: result.outputsMode,
                    waivers: result.waivers,
                    remediations: result.remediations,
                },
            },
        ],
    };
}

/**
 * A rule per policy of the pack, in its order; a policy that reported under a name the pack did not list still
 * needs a rule, added when its first violation asks for its index.
 */
function sarifRules(result: CheckResult) {
    const rules = result.policies.map(rule);
    const index = new Map(rules.map((r, i) => [r.id, i]));
    const ruleIndexOf = (v: Violation): number => {
        const known = index.get(v.policy);
        if (known !== undefined) return known;
        index.set(v.policy, rules.length);
        rules.push(
            rule({
                name: v.policy,
                description: v.policy,
                enforcementLevel: v.enforcementLevel,
                severity: v.severity,
                remediation: "",
                url: "",
                kind: "unknown",
            }),
        );
        return rules.length - 1;
    };
    return { rules, ruleIndexOf };
}

function sarifResult(result: CheckResult, v: Violation, ruleIndex: number, loc: { file: string; line: number }) {
    const location: SarifLocation = {
        physicalLocation: {
            artifactLocation: { uri: loc.file, uriBaseId: "%SRCROOT%" },
            region: { startLine: loc.line },
        },
        logicalLocations: [{ fullyQualifiedName: v.urn, kind: "resource" }],
    };
    return {
        ruleId: v.policy,
        ruleIndex,
        level: v.enforcementLevel === "mandatory" ? "error" : "warning",
        message: { text: `${v.message}\n(${v.urn}, stack ${result.stack})` },
        locations: [location],
        partialFingerprints: { "pulumiUrnPolicy/v1": `${result.stack}:${v.policy}:${v.urn}` },
        properties: { stack: result.stack, urn: v.urn, severity: v.severity, unknownValue: v.unknownValue },
    };
}

/** Configuration facts a reviewer must see next to the results: the config in force and every waiver. */
function configurationNotifications(result: CheckResult) {
    return [
        {
            descriptor: { id: "policy-config" },
            level: result.policyConfig.file === null ? "warning" : "note",
            message: { text: `Policy config: ${policyConfigLine(result)}` },
        },
        ...result.waivers.map((w) => ({
            descriptor: { id: "policy-waiver" },
            associatedRule: { id: w.policy },
            level: "warning",
            message: { text: `Waiver: ${waiverLine(w)}` },
        })),
        {
            descriptor: { id: "outputs-mode" },
            level: "note",
            message: { text: `Outputs: ${result.outputsMode}: ${OUTPUTS_MODE_TEXT[result.outputsMode]}` },
        },
    ];
}

export function formatSarif(result: CheckResult, toolVersion?: string): string {
    return JSON.stringify(toSarif(result, toolVersion), null, 2) + "\n";
}
