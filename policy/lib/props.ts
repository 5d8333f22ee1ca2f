/**
 * Small readers for resource properties. They read values normally, so an unknown value (preview) still throws
 * @pulumi/policy's UnknownValueError: never wrap a read in try/catch, or a mandatory rule would pass silently.
 */

/** A non-empty string, or undefined for absent, null, empty or non-string values. */
export function nonEmptyString(value: unknown): string | undefined {
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** A plain (possibly proxied) object, or undefined. */
export function objectValue(value: unknown): Record<string, unknown> | undefined {
    return typeof value === "object" && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
}

/** A value quoted for a message: strings in double quotes (cut at 200 characters), other scalars as text. */
export function quote(value: unknown): string {
    if (value === undefined) return "(not set)";
    if (value === null) return "null";
    if (typeof value === "string") {
        const cut = value.length > 200 ? `${value.slice(0, 200)}…` : value;
        return JSON.stringify(cut);
    }
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return Array.isArray(value) ? "(a list)" : "(an object)";
}
