import type { CheckResult } from "../types";

/** A file relative to the repository root and a 1-based line. */
export interface ReportLocation {
    file: string;
    line: number;
}

/** Each resource's location (the user's declaring line), by URN; resources without one are absent. */
export function locationsByUrn(result: CheckResult): Map<string, ReportLocation> {
    return new Map(result.resources.flatMap((r) => (r.location ? [[r.urn, { ...r.location }] as const] : [])));
}

/** `file:line`, the form editors and terminals open. */
export function fileLine(loc: ReportLocation): string {
    return `${loc.file}:${loc.line}`;
}

/** `1 resource`, `2 resources`, `0 resources`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
    return `${n} ${n === 1 ? singular : plural}`;
}
