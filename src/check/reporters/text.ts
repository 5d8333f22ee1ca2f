import type { CheckResult, Violation, Waiver } from "../types";
import { count, fileLine, locationsByUrn, type ReportLocation } from "./location";

/** The policy config line every report carries: the file in force, or that none was found and what applied. */
export function policyConfigLine(result: CheckResult): string {
    const { file, lookedFor } = result.policyConfig;
    if (file !== null) {
        return file;
    }
    return `none (${lookedFor ? `no ${lookedFor}` : "none given"}): every policy runs at the level its pack declares, with its schema defaults`;
}

/** One waiver in words: the rule, the level the pack declares, the level it runs at, and what set it. */
export function waiverLine(w: Waiver): string {
    const by = w.file === null ? "the pack's own initial config" : `${w.file} ("${w.key}")`;
    return `${w.policy}: declared ${w.declaredLevel}, runs ${w.configuredLevel} (set by ${by})`;
}

export const OUTPUTS_MODE_TEXT: Record<CheckResult["outputsMode"], string> = {
    "planned-update":
        "stack policies saw the resources of the --state file as updates (their prior outputs merged with the inputs after the provider's Check) and the others as creates (computed values unknown)",
    "planned-create":
        "stack policies saw every resource's planned state as a create (inputs after the provider's Check, computed values unknown)",
    "live-state":
        "every policy saw the live tenant's objects as existing resources (inputs and outputs = the state read from the Management API)",
};

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The resources by type (the root stack left out), each with the program line that declared it. */
function resourceLines(result: CheckResult): string[] {
    const listed = result.resources.filter((r) => r.type !== ROOT_STACK_TYPE);
    const byType = new Map<string, typeof listed>();
    for (const r of listed) {
        byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
    }
    // Live objects (audit) have no program line; a program's resource without one is said to have none.
    const where = (r: (typeof listed)[number]) =>
        r.location
            ? `  ${fileLine(r.location)}`
            : result.outputsMode === "live-state"
              ? ""
              : "  (no source line: the SDK reported none)";
    const lines = ["", `Resources: ${count(listed.length, "resource")} of ${count(byType.size, "type")}`];
    for (const [type, rs] of [...byType.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
        lines.push(`  ${type} (${rs.length})`);
        for (const r of rs) {
            lines.push(`    - ${r.name}${where(r)}`);
        }
    }
    return lines;
}

/**
 * Human report: the config and outputs mode in force, the resources by type with their lines, then violations
 * grouped by policy (mandatory first), each with URN, the user's file:line, message and remediation.
 */
export function formatText(result: CheckResult): string {
    const lines: string[] = [];
    lines.push(
        `Policy check of ${result.project}/${result.stack} against ${result.policyPack.name}@${result.policyPack.version} (${count(result.resources.filter((r) => r.type !== ROOT_STACK_TYPE).length, "resource")})`,
    );
    lines.push(`Policy config: ${policyConfigLine(result)}`);
    lines.push(`Outputs: ${result.outputsMode}: ${OUTPUTS_MODE_TEXT[result.outputsMode]}`);
    lines.push(...approximatedLines(result));
    lines.push(...resourceLines(result));
    lines.push(...waiverAndRemediationLines(result));
    lines.push(...violationLines(result));
    lines.push("");
    lines.push(summaryLine(result));
    return lines.join("\n") + "\n";
}

/** Resources whose outputs are their inputs (no provider schema): not a verdict change, but stack policies may have passed on values a real preview leaves unknown. */
function approximatedLines(result: CheckResult): string[] {
    const approximated = result.resources.filter((r) => r.plannedOutputs === "inputs-only");
    if (approximated.length === 0) {
        return [];
    }
    return [
        `Approximated outputs: ${count(approximated.length, "resource")} without a provider schema (outputs = inputs):`,
        ...approximated.map((r) => `  - ${r.urn}${r.plannedOutputsNote ? `: ${r.plannedOutputsNote}` : ""}`),
    ];
}

function waiverAndRemediationLines(result: CheckResult): string[] {
    const lines: string[] = [];
    if (result.waivers.length > 0) {
        lines.push("");
        lines.push(
            `Waivers: ${result.waivers.length} polic${result.waivers.length === 1 ? "y runs" : "ies run"} below the level the pack declares`,
        );
        for (const w of result.waivers) {
            lines.push(`  - ${waiverLine(w)}`);
        }
    }
    if (result.remediations.length > 0) {
        lines.push("");
        lines.push(`Remediated before analysis (as \`pulumi preview\` would):`);
        for (const r of result.remediations) {
            lines.push(`  - ${r.policy}: ${r.urn}${r.changed.length > 0 ? ` (${r.changed.join(", ")})` : ""}`);
        }
    }
    return lines;
}

/** The violations grouped by policy, policies with a mandatory violation first. */
function violationLines(result: CheckResult): string[] {
    const byPolicy = new Map<string, Violation[]>();
    for (const v of result.violations) {
        byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
    }
    const rank = (vs: Violation[]) => (vs.some((v) => v.enforcementLevel === "mandatory") ? 0 : 1);
    const groups = [...byPolicy.entries()].sort((a, b) => rank(a[1]) - rank(b[1]) || a[0].localeCompare(b[0]));
    const meta = new Map(result.policies.map((p) => [p.name, p]));
    const locations = locationsByUrn(result);
    const lines: string[] = [];
    for (const [policy, vs] of groups) {
        const m = meta.get(policy);
        const level = rank(vs) === 0 ? "mandatory" : "advisory";
        lines.push("");
        lines.push(
            `${level === "mandatory" ? "✖" : "⚠"} ${policy} (${level}${m?.severity ? `, ${m.severity}` : ""}): ${count(vs.length, "violation")}`,
        );
        if (m?.description) {
            lines.push(`  ${m.description}`);
        }
        for (const v of vs) {
            lines.push(...oneViolationLines(result, v, level, locations.get(v.urn), m?.description));
        }
        if (m?.remediation) {
            lines.push("  Remediation:");
            for (const l of m.remediation.split("\n")) {
                lines.push(`    ${l}`);
            }
        }
    }
    return lines;
}

/** A violation's URN (with its level when it differs from its group's), where it is, and its message lines. */
function oneViolationLines(
    result: CheckResult,
    v: Violation,
    level: string,
    loc: ReportLocation | undefined,
    description: string | undefined,
): string[] {
    const lines = [`  - ${v.urn}${v.enforcementLevel !== level ? ` [${v.enforcementLevel}]` : ""}`];
    if (loc) {
        lines.push(`    at ${fileLine(loc)}`);
    } else if (result.outputsMode !== "live-state") {
        lines.push(`    at ${result.files.stackFile} (stack ${result.stack}: no program line is known for it)`);
    }
    for (const l of v.message.split("\n")) {
        if (l.trim() && l.trim() !== description) {
            lines.push(`      ${l}`);
        }
    }
    return lines;
}

export function summaryLine(result: CheckResult): string {
    const { mandatory, advisory } = result.summary;
    const verdict = mandatory > 0 ? "FAIL" : "PASS";
    return `${verdict}: ${result.project}/${result.stack} has ${count(mandatory, "mandatory policy violation")} and ${count(advisory, "advisory policy violation")}`;
}
