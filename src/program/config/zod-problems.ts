import { z } from "zod";
import { Problem, joinPath } from "../../components/problems";

type Segment = PropertyKey;

function unwrap(schema: z.ZodType): z.ZodType {
    let current = schema;
    while (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
    return current;
}

/** The sub-schema a zod issue path points at, to quote its `describe()` text as the expected form. */
function schemaAt(schema: z.ZodType, path: readonly Segment[]): z.ZodType | undefined {
    let current: z.ZodType | undefined = schema;
    for (const segment of path) {
        if (current === undefined) return undefined;
        const inner: z.ZodType = unwrap(current);
        if (inner instanceof z.ZodObject) current = (inner.shape as Record<string, z.ZodType>)[String(segment)];
        else if (inner instanceof z.ZodArray) current = inner.element as z.ZodType;
        else if (inner instanceof z.ZodRecord) current = inner.valueType as z.ZodType;
        else return undefined;
    }
    return current;
}

function describedAt(schema: z.ZodType, path: readonly Segment[]): string | undefined {
    const target = schemaAt(schema, path);
    if (target === undefined) return undefined;
    return target.description ?? unwrap(target).description;
}

function valueAt(input: unknown, path: readonly Segment[]): unknown {
    let current = input;
    for (const segment of path) {
        if (current === null || typeof current !== "object") return undefined;
        current = (current as Record<PropertyKey, unknown>)[segment];
    }
    return current;
}

function show(value: unknown): string {
    if (value === undefined) return "nothing";
    if (Array.isArray(value)) return "a list";
    if (value === null) return "null";
    if (typeof value === "object") return "an object";
    return `${typeof value} ${JSON.stringify(value)}`;
}

function pathOf(base: string, path: readonly Segment[]): string {
    return path.reduce<string>(
        (acc, segment) => joinPath(acc, typeof segment === "number" ? segment : String(segment)),
        base,
    );
}

/** Parses `input`; on failure turns every zod issue into a Problem whose path starts with `base` (a config key). */
export function parseWithProblems<S extends z.ZodType>(
    schema: S,
    input: unknown,
    base: string,
): { value: z.infer<S>; problems: [] } | { value: undefined; problems: Problem[] } {
    const result = schema.safeParse(input);
    if (result.success) return { value: result.data, problems: [] };
    const problems: Problem[] = [];
    for (const issue of result.error.issues) {
        const expected = describedAt(schema, issue.path);
        const expectation = expected ? `expected ${expected}` : issue.message;
        if (issue.code === "unrecognized_keys") {
            const container = unwrap(schemaAt(schema, issue.path) ?? schema);
            const allowed = container instanceof z.ZodObject ? Object.keys(container.shape).join(", ") : "";
            for (const key of issue.keys) {
                problems.push({
                    path: pathOf(base, [...issue.path, key]),
                    message: `is not a known key (misspelt?); allowed keys here: ${allowed}`,
                });
            }
            continue;
        }
        const actual = valueAt(input, issue.path);
        let message: string;
        if (issue.code === "invalid_type" && actual === undefined) message = `is required; ${expectation}`;
        else if (issue.code === "too_small" && (actual === "" || (Array.isArray(actual) && actual.length === 0)))
            message = `is empty; ${expectation}`;
        else message = `got ${show(actual)}; ${expectation}`;
        problems.push({ path: pathOf(base, issue.path), message });
    }
    return { value: undefined, problems };
}
