/**
 * Where compile-cache entries live and how they are read and written: one JSON file per key under
 * `<programDir>/node_modules/.cache/auth0-mcp/` (a real node_modules directory of the program's own), else under
 * `<os.tmpdir()>/auth0-mcp-compile-cache/<program hash>/`. Writes go to a temporary file renamed into place, so a
 * concurrent check sees a whole entry or none; an entry that cannot be read or parsed is a miss, never an error.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Observations } from "./compile-cache-fs";
import { sha256 } from "./compile-cache-fs";

export const CACHE_FORMAT = 1;

/** How one file went through ts-node: compiled (the code ts-node handed to `_compile`) or passed on untouched. */
export type CachedFile = { output: string; inputSha256: string } | { passthrough: true };

export interface CacheEntry {
    format: number;
    key: string;
    tsNodeVersion: string;
    /** The options run.js passed to ts-node's `register`, as JSON. */
    registerOptions: string;
    /** `require.extensions` keys before and after registration, and the ones ts-node hooked. */
    extensionsBefore: string[];
    extensionsAfter: string[];
    hooked: string[];
    files: Record<string, CachedFile>;
    observations: Observations;
}

function cacheDir(programDir: string): string {
    const nodeModules = path.join(programDir, "node_modules");
    let own: boolean;
    try {
        own = fs.lstatSync(nodeModules).isDirectory();
    } catch {
        own = false;
    }
    return own
        ? path.join(nodeModules, ".cache", "auth0-mcp")
        : path.join(os.tmpdir(), "auth0-mcp-compile-cache", sha256(path.resolve(programDir)).slice(0, 16));
}

export function entryFile(programDir: string, key: string): string {
    return path.join(cacheDir(programDir), `compile-${sha256(key).slice(0, 32)}.json`);
}

function isEntry(v: unknown, key: string): v is CacheEntry {
    const e = v as Partial<CacheEntry> | null;
    return (
        typeof e === "object" &&
        e !== null &&
        e.format === CACHE_FORMAT &&
        e.key === key &&
        typeof e.registerOptions === "string" &&
        typeof e.tsNodeVersion === "string" &&
        Array.isArray(e.extensionsBefore) &&
        Array.isArray(e.extensionsAfter) &&
        Array.isArray(e.hooked) &&
        typeof e.files === "object" &&
        e.files !== null &&
        Array.isArray(e.observations?.paths) &&
        Array.isArray(e.observations?.resolutions)
    );
}

/** The stored entry for this key, or undefined (none, unreadable, corrupt, or stored for another key). */
export function readEntry(file: string, key: string): CacheEntry | undefined {
    try {
        const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
        return isEntry(parsed, key) ? parsed : undefined;
    } catch {
        return undefined;
    }
}

/** Stores an entry atomically; a cache that cannot be written is skipped silently (the check does not need it). */
export function writeEntry(file: string, entry: CacheEntry): void {
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(tmp, JSON.stringify(entry));
        fs.renameSync(tmp, file);
    } catch {
        try {
            fs.rmSync(tmp, { force: true });
        } catch {
            // nothing left to clean up
        }
    }
}
