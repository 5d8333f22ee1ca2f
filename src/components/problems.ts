/**
 * A problem found while validating component args or stack config: where (a path relative to the thing being
 * validated, e.g. `scopes[1].name`) and what is wrong, phrased so the fix is obvious.
 */
export interface Problem {
    path: string;
    message: string;
}

/** Joins a base path and a child segment: `apis[0]` + `identifier` → `apis[0].identifier`; `[1]` attaches bare. */
export function joinPath(base: string, child: string | number): string {
    const segment = typeof child === "number" ? `[${child}]` : child;
    if (!base) return segment;
    if (!segment) return base;
    return segment.startsWith("[") ? `${base}${segment}` : `${base}.${segment}`;
}

export function prefixProblems(prefix: string, problems: readonly Problem[]): Problem[] {
    return problems.map((p) => ({ path: joinPath(prefix, p.path), message: p.message }));
}

export function formatProblems(problems: readonly Problem[]): string {
    return problems.map((p) => `  - ${p.path || "(root)"}: ${p.message}`).join("\n");
}

/** Thrown by a component whose args break a rule; lists every problem, not just the first. */
export class InvalidComponentArgsError extends Error {
    constructor(
        readonly component: string,
        readonly resourceName: string,
        readonly problems: readonly Problem[],
    ) {
        super(
            `${component} "${resourceName}" has invalid arguments (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                formatProblems(problems),
        );
        this.name = "InvalidComponentArgsError";
    }
}

/** Throws InvalidComponentArgsError when `problems` is non-empty. */
export function assertNoProblems(component: string, resourceName: string, problems: readonly Problem[]): void {
    if (problems.length > 0) throw new InvalidComponentArgsError(component, resourceName, problems);
}
