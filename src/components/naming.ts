/**
 * Stable Pulumi logical names derived from the values that identify a resource in Auth0, so a name changes
 * only when the Auth0 object itself would (identifiers and metadata URLs are immutable there anyway).
 */
export function slugFromUrl(value: string): string {
    const withoutScheme = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
    return withoutScheme
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "");
}
