import type { CheckResult, OutputsMode, Remediation, Waiver } from "../types";
import { locationsByUrn, type ReportLocation } from "./location";

/** The machine-readable report: exactly the documented shape. */
interface JsonReport {
    project: string;
    stack: string;
    /** The config file in force (null: none found, the pack's declared levels and schema defaults apply). */
    policyConfig: { file: string | null; lookedFor: string | null };
    outputsMode: OutputsMode;
    waivers: Waiver[];
    remediations: Remediation[];
    /** `location`: the user's declaring line, relative to the repository root; null when none is known. */
    resources: Array<{ urn: string; type: string; name: string; location: ReportLocation | null }>;
    /** `location` as for its resource; `remediation`: the policy's remediation steps ("" when it has none). */
    violations: Array<{
        policy: string;
        enforcementLevel: "mandatory" | "advisory";
        severity: string;
        urn: string;
        message: string;
        location: ReportLocation | null;
        remediation: string;
    }>;
    summary: { mandatory: number; advisory: number };
}

export function toJsonReport(result: CheckResult): JsonReport {
    const locations = locationsByUrn(result);
    const remediation = new Map(result.policies.map((p) => [p.name, p.remediation]));
    return {
        project: result.project,
        stack: result.stack,
        policyConfig: { ...result.policyConfig },
        outputsMode: result.outputsMode,
        waivers: result.waivers.map((w) => ({ ...w })),
        remediations: result.remediations.map((r) => ({ ...r, changed: [...r.changed] })),
        resources: result.resources.map(({ urn, type, name }) => ({
            urn,
            type,
            name,
            location: locations.get(urn) ?? null,
        })),
        violations: result.violations.map(({ policy, enforcementLevel, severity, urn, message }) => ({
            policy,
            enforcementLevel,
            severity,
            urn,
            message,
            location: locations.get(urn) ?? null,
            remediation: remediation.get(policy) ?? "",
        })),
        summary: { ...result.summary },
    };
}

export function formatJson(result: CheckResult): string {
    return JSON.stringify(toJsonReport(result), null, 2) + "\n";
}
