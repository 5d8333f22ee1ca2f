/**
 * Audit reports in the check's three formats, built on the check's reporters: the same violation sections, JSON
 * shape and SARIF rules, plus the MCP client inventory, the objects not judged and the drift against a program.
 */
import { toJsonReport } from "../check/reporters/json";
import { toSarif } from "../check/reporters/sarif";
import { formatText, summaryLine } from "../check/reporters/text";
import type { Format } from "../check/args";
import type { AuditResult } from "./audit";
import type { InventoryEntry } from "./inventory";

function apisLine(e: InventoryEntry): string {
    if (e.apis.length === 0) return "none (no client grant)";
    return e.apis
        .map(
            (a) =>
                `${a.audience} [${a.scopes === "all" ? "all scopes" : a.scopes.join(" ") || "no scopes"}]${a.via === "default-grant" ? " (default grant)" : ""}`,
        )
        .join(", ");
}

function inventoryLines(result: AuditResult): string[] {
    const inv = result.audit.inventory;
    const lines = ["", `MCP client inventory: ${inv.length} third-party/CIMD client${inv.length === 1 ? "" : "s"}`];
    for (const e of inv) {
        const kind =
            e.kind === "cimd"
                ? `CIMD${e.createdBy ? `, created by ${e.createdBy}` : ""}`
                : "third-party (DCR or admin-created)";
        lines.push(`  - ${e.name || "(no name)"} (${e.clientId}): ${kind}`);
        if (e.metadataUrl) lines.push(`      metadata document: ${e.metadataUrl}`);
        lines.push(`      created: ${e.createdAt ?? "not reported by the Management API"}`);
        lines.push(`      grant types: ${e.grantTypes.join(", ") || "none"}`);
        lines.push(`      redirect URIs: ${e.redirectUris.join(", ") || "none"}`);
        lines.push(`      APIs: ${apisLine(e)}`);
        lines.push(
            `      owner: ${e.owner ?? "MISSING"}; approval: ${e.approvalRef ?? "MISSING"}; review by: ${e.reviewBy ?? "not set"}`,
        );
    }
    return lines;
}

function driftLines(result: AuditResult): string[] {
    const drift = result.audit.drift;
    if (!drift) return ["", "Drift: not compared (pass --dir and --stack to compare the tenant with a program)"];
    const lines = [
        "",
        `Drift against ${drift.project}/${drift.stack}: ${drift.entries.length} difference${drift.entries.length === 1 ? "" : "s"}`,
    ];
    for (const d of drift.entries) lines.push(`  - [${d.kind}] ${d.message}`);
    return lines;
}

function excludedLines(result: AuditResult): string[] {
    const ex = result.audit.excluded;
    if (ex.length === 0) return [];
    return [
        "",
        `Read but not judged: ${ex.length}`,
        ...ex.map((e) => `  - ${e.kind} ${e.name} (${e.id}): ${e.reason}`),
    ];
}

function formatAuditText(result: AuditResult): string {
    const body = formatText(result).trimEnd().split("\n");
    const summary = body.pop();
    body[0] = `Audit of tenant ${result.audit.tenant} against ${result.policyPack.name}@${result.policyPack.version} (${result.resources.length} objects)`;
    const r = result.audit.reads;
    body.splice(
        1,
        0,
        `Read: ${r.requests} Management API requests (GET and token only)${r.rateLimited > 0 ? `, ${r.rateLimited} rate limit wait${r.rateLimited === 1 ? "" : "s"} (${Math.round(r.waitedMs / 100) / 10} s)` : ""}`,
    );
    if (summary !== summaryLine(result))
        throw new Error("the check's text report no longer ends with its summary line");
    return (
        [
            ...body,
            ...inventoryLines(result),
            ...excludedLines(result),
            ...driftLines(result),
            "",
            auditSummaryLine(result),
        ].join("\n") + "\n"
    );
}

function toAuditJson(result: AuditResult) {
    return {
        ...toJsonReport(result),
        tenant: result.audit.tenant,
        reads: result.audit.reads,
        excluded: result.audit.excluded,
        inventory: result.audit.inventory,
        drift: result.audit.drift,
    };
}

const DRIFT_RULE_ID = "tenant-drift";

/** SARIF as the check writes it, plus one `tenant-drift` result per drift entry (error with --fail-on-drift). */
function toAuditSarif(result: AuditResult, toolVersion?: string, failOnDrift = false) {
    const sarif = toSarif(result, toolVersion);
    const run = sarif.runs[0];
    run.tool.driver.name = "auth0-mcp audit";
    run.automationDetails.id = `auth0-mcp-audit/${result.audit.tenant}/`;
    const drift = result.audit.drift;
    if (drift && drift.entries.length > 0) {
        const level = failOnDrift ? "error" : "warning";
        const ruleIndex = run.tool.driver.rules.length;
        run.tool.driver.rules.push({
            id: DRIFT_RULE_ID,
            name: "TenantDrift",
            shortDescription: { text: "The live tenant differs from what the stack declares." },
            fullDescription: {
                text: "A setting the policy pack cares about differs between the live tenant and the Pulumi program, or is set in the tenant but left out of the program.",
            },
            help: {
                text: "Declare the intended value in the program and deploy it, or revert the change made outside the program.",
                markdown:
                    "Declare the intended value in the program and deploy it, or revert the change made outside the program.",
            },
            defaultConfiguration: { level },
            properties: { tags: ["security", "drift"] },
        });
        for (const d of drift.entries) {
            run.results.push({
                ruleId: DRIFT_RULE_ID,
                ruleIndex,
                level,
                message: { text: `${d.message}\n(${d.urn}, tenant ${result.audit.tenant})` },
                locations: [
                    {
                        physicalLocation: {
                            artifactLocation: { uri: result.files.stackFile, uriBaseId: "%SRCROOT%" },
                            region: { startLine: 1 },
                        },
                        logicalLocations: [{ fullyQualifiedName: d.urn, kind: "resource" }],
                    },
                ],
                partialFingerprints: {
                    "pulumiUrnPolicy/v1": `${result.audit.tenant}:${DRIFT_RULE_ID}:${d.urn}:${d.property}`,
                },
                properties: { stack: drift.stack, urn: d.urn, severity: "medium", unknownValue: d.kind === "unknown" },
            });
        }
    }
    Object.assign(run.properties, {
        tenant: result.audit.tenant,
        reads: result.audit.reads,
        excluded: result.audit.excluded,
        inventory: result.audit.inventory,
        drift: result.audit.drift,
    });
    return sarif;
}

export function renderAudit(result: AuditResult, format: Format, toolVersion?: string, failOnDrift = false): string {
    switch (format) {
        case "json":
            return JSON.stringify(toAuditJson(result), null, 2) + "\n";
        case "sarif":
            return JSON.stringify(toAuditSarif(result, toolVersion, failOnDrift), null, 2) + "\n";
        default:
            return formatAuditText(result);
    }
}

/** Exit status: 1 on a mandatory violation, or on drift when asked to fail on it; else 0. */
export function auditExitCode(result: AuditResult, failOnDrift: boolean): number {
    if (result.summary.mandatory > 0) return 1;
    return failOnDrift && (result.audit.drift?.entries.length ?? 0) > 0 ? 1 : 0;
}

export function auditSummaryLine(result: AuditResult): string {
    const d = result.audit.drift;
    return `${summaryLine(result)}${d ? `; ${d.entries.length} drift difference${d.entries.length === 1 ? "" : "s"}` : ""}`;
}
