import type { CheckResult, OutputsMode, Remediation, Waiver } from "../types";

/** The machine-readable report: exactly the documented shape. */
export interface JsonReport {
    project: string;
    stack: string;
    /** The config file in force (null: none found, the pack's declared levels and schema defaults apply). */
    policyConfig: { file: string | null; lookedFor: string | null };
    outputsMode: OutputsMode;
    waivers: Waiver[];
    remediations: Remediation[];
    resources: Array<{ urn: string; type: string; name: string }>;
    violations: Array<{ policy: string; enforcementLevel: "mandatory" | "advisory"; severity: string; urn: string; message: string }>;
    summary: { mandatory: number; advisory: number };
}

export function toJsonReport(result: CheckResult): JsonReport {
    return {
        project: result.project,
        stack: result.stack,
        policyConfig: { ...result.policyConfig },
        outputsMode: result.outputsMode,
        waivers: result.waivers.map((w) => ({ ...w })),
        remediations: result.remediations.map((r) => ({ ...r, changed: [...r.changed] })),
        resources: result.resources.map(({ urn, type, name }) => ({ urn, type, name })),
        violations: result.violations.map(({ policy, enforcementLevel, severity, urn, message }) => ({ policy, enforcementLevel, severity, urn, message })),
        summary: { ...result.summary },
    };
}

export function formatJson(result: CheckResult): string {
    return JSON.stringify(toJsonReport(result), null, 2) + "\n";
}
