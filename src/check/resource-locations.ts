/**
 * Where a person should look for each resource: the line of *their* program that declared it, inside their
 * repository. A resource created inside one of this package's components is declared by the component's code, so
 * it is located where the program constructed the component (`new TenantMcpSettings(...)`), not in our package.
 */
import * as path from "node:path";
import type { RecordedResource } from "./types";

/** A file (relative to the repository root, `/`-separated) and a 1-based line. */
interface SourceLine {
    file: string;
    line: number;
}

/**
 * The type prefix of this package's components (src/components/mcp-api/component.ts MCP_API_TYPE,
 * src/components/tenant/component.ts TENANT_MCP_SETTINGS_TYPE); not imported, so the CLI does not load the Pulumi SDK.
 */
export const COMPONENT_TYPE_PREFIX = "auth0-mcp:";

interface LocationScope {
    /** The repository root: a location outside it is never used. */
    repoRoot: string;
    /** Directories of library code, never a user's line (this package's src/ and dist/ unless the program is this package). */
    libraryDirs: string[];
}

function isInside(file: string, dir: string): boolean {
    const rel = path.relative(dir, file);
    return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** The directories whose code is this package's rather than the program's. */
export function libraryDirsFor(packageRoot: string, programDir: string): string[] {
    const dist = path.join(packageRoot, "dist");
    return path.resolve(programDir) === path.resolve(packageRoot) ? [dist] : [path.join(packageRoot, "src"), dist];
}

/**
 * Each resource's location, by URN, for those that have one: walking from the resource up its parents, skipping
 * resources whose parent is one of this package's components, the first position (the SDK's source position, then
 * the frames of the registration's call stack) inside the repository and outside library code.
 */
export function locateResources(resources: RecordedResource[], scope: LocationScope): Map<string, SourceLine> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const isOurComponent = (urn: string) => byUrn.get(urn)?.type.startsWith(COMPONENT_TYPE_PREFIX) ?? false;
    // Every resource's positions name the same few files: each file is judged once.
    const userFiles = new Map<string, string | undefined>();
    const userFile = (uri: string): string | undefined => {
        if (userFiles.has(uri)) {
            return userFiles.get(uri);
        }
        const file = path.resolve(scope.repoRoot, uri);
        const user =
            !isInside(file, scope.repoRoot) ||
            scope.libraryDirs.some((d) => isInside(file, d)) ||
            file.split(path.sep).includes("node_modules")
                ? undefined
                : path.relative(scope.repoRoot, file).split(path.sep).join("/");
        userFiles.set(uri, user);
        return user;
    };
    const userLine = (pos: { uri: string; line: number }): SourceLine | undefined => {
        const file = userFile(pos.uri);
        return file === undefined ? undefined : { file, line: Math.max(1, pos.line) };
    };
    const locations = new Map<string, SourceLine>();
    for (const resource of resources) {
        const seen = new Set<string>();
        for (let r: RecordedResource | undefined = resource; r && !seen.has(r.urn); r = byUrn.get(r.parent)) {
            seen.add(r.urn);
            if (isOurComponent(r.parent)) {
                continue;
            }
            const found = firstDefined([...(r.source ? [r.source] : []), ...(r.callStack ?? [])], userLine);
            if (found) {
                locations.set(resource.urn, found);
                break;
            }
        }
    }
    return locations;
}

function firstDefined<T, U>(items: T[], f: (item: T) => U | undefined): U | undefined {
    for (const item of items) {
        const u = f(item);
        if (u !== undefined) {
            return u;
        }
    }
    return undefined;
}
