/** Narrows a value a test expects to be present; throws (failing the test) with what was missing. */
export function defined<T>(value: T | undefined | null, what: string): T {
    if (value === undefined || value === null) throw new Error(`expected ${what}`);
    return value;
}
