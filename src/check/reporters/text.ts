import type { CheckResult, Violation } from "../types";

/** Human report: violations grouped by policy (mandatory first), each with URN, message and remediation. */
export function formatText(result: CheckResult): string {
    const lines: string[] = [];
    lines.push(`Policy check of ${result.project}/${result.stack} against ${result.policyPack.name}@${result.policyPack.version} (${result.resources.length} resources)`);
    const byPolicy = new Map<string, Violation[]>();
    for (const v of result.violations) {
        byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
    }
    const rank = (vs: Violation[]) => (vs.some((v) => v.enforcementLevel === "mandatory") ? 0 : 1);
    const groups = [...byPolicy.entries()].sort((a, b) => rank(a[1]) - rank(b[1]) || a[0].localeCompare(b[0]));
    const meta = new Map(result.policies.map((p) => [p.name, p]));
    for (const [policy, vs] of groups) {
        const m = meta.get(policy);
        const level = rank(vs) === 0 ? "mandatory" : "advisory";
        lines.push("");
        lines.push(`${level === "mandatory" ? "✖" : "⚠"} ${policy} (${level}${m?.severity ? `, ${m.severity}` : ""}): ${vs.length} violation${vs.length === 1 ? "" : "s"}`);
        if (m?.description) {
            lines.push(`  ${m.description}`);
        }
        for (const v of vs) {
            lines.push(`  - ${v.urn}${v.enforcementLevel !== level ? ` [${v.enforcementLevel}]` : ""}`);
            for (const l of v.message.split("\n")) {
                if (l.trim() && l.trim() !== m?.description) {
                    lines.push(`      ${l}`);
                }
            }
        }
        if (m?.remediation) {
            lines.push("  Remediation:");
            for (const l of m.remediation.split("\n")) {
                lines.push(`    ${l}`);
            }
        }
    }
    lines.push("");
    lines.push(summaryLine(result));
    return lines.join("\n") + "\n";
}

export function summaryLine(result: CheckResult): string {
    const { mandatory, advisory } = result.summary;
    const verdict = mandatory > 0 ? "FAIL" : "PASS";
    return `${verdict}: ${result.project}/${result.stack} has ${mandatory} mandatory and ${advisory} advisory policy violation${mandatory + advisory === 1 ? "" : "s"}`;
}
