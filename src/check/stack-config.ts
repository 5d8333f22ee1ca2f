import * as fs from "node:fs";
import * as path from "node:path";
import { CheckInputError, firstLine } from "./errors";
import { loadGoYaml, NonFiniteFloat, OffsetTimestamp, WideInteger } from "./go-yaml";
import { isRecord, type ProjectFile } from "./project";
import type { ConfigEntry } from "./types";
import { REDACTED } from "./secrets";

export interface StackFile {
    /** Absolute path of Pulumi.<stack>.yaml. */
    file: string;
    entries: ConfigEntry[];
}

const CONFIG_TYPES = new Set(["string", "integer", "boolean", "array", "object"]);

/**
 * Reads `Pulumi.<stack>.yaml` next to Pulumi.yaml and merges it over the project's config defaults, the way the
 * Pulumi CLI builds a stack's configuration (without decrypting anything).
 */
export function readStackFile(project: ProjectFile, stack: string): StackFile {
    const file = stackFilePath(project, stack);
    const invalid = (what: string, fix: string) => new CheckInputError(`invalid stack config: ${what}`, file, fix);
    const raw = readConfigMapping(file, invalid);
    const { values, declaredTypes } = projectDeclarations(project);
    for (const [rawKey, value] of Object.entries(raw)) {
        const key = qualify(rawKey, project.name, () =>
            invalid(
                `key '${rawKey}' is not of the form <namespace>:<name>`,
                "write keys as `name` or `<namespace>:<name>`",
            ),
        );
        const type = declaredTypes.get(key);
        if (type && !hasType(value, type)) {
            throw invalid(
                `'${rawKey}' must be of type ${type} (declared in Pulumi.yaml)`,
                `change the value of '${rawKey}'`,
            );
        }
        values.set(key, toEntry(key, value, false, file));
    }
    for (const [key] of declaredTypes) {
        if (!values.has(key)) {
            throw invalid(`missing required configuration value '${key}'`, `set '${key}' in the stack file`);
        }
    }
    return { file, entries: [...values.values()].sort((a, b) => a.key.localeCompare(b.key)) };
}

/** workspace/paths.go ProjectStackPath: Pulumi.<stack> with Pulumi.yaml's own extension, in stackConfigDir; it must exist. */
function stackFilePath(project: ProjectFile, stack: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new CheckInputError(
            `invalid stack name ${JSON.stringify(stack)}`,
            project.dir,
            "use letters, digits, '-', '_' or '.'",
        );
    }
    const file = path.join(project.stackConfigDir, `Pulumi.${stack}${path.extname(project.file)}`);
    if (!fs.existsSync(file)) {
        throw new CheckInputError(
            `no stack file for stack '${stack}'`,
            file,
            "create it (it may be just `config: {}`) or pass --stack with an existing stack",
        );
    }
    return file;
}

/** The stack file's `config:` mapping (empty when the file or the key is empty). */
function readConfigMapping(
    file: string,
    invalid: (what: string, fix: string) => CheckInputError,
): Record<string, unknown> {
    let doc: unknown;
    try {
        doc = loadGoYaml(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw invalid(`not valid YAML: ${firstLine(e)}`, "fix the YAML syntax");
    }
    if (doc === undefined || doc === null) {
        doc = {};
    }
    if (!isRecord(doc)) {
        throw invalid("the file is not a YAML mapping", "write a `config:` mapping");
    }
    if (doc["environment"] !== undefined) {
        throw invalid(
            "it imports Pulumi ESC environments (`environment:`), which need Pulumi Cloud",
            "inline the values the program needs under `config:` for the offline check",
        );
    }
    const raw = doc["config"] ?? {};
    if (!isRecord(raw)) {
        throw invalid("`config` is not a mapping", "write `config:` as `<namespace>:<key>: value` pairs");
    }
    return raw;
}

/** Project-level declarations, which come first: defaults, and the types stack values must have. */
function projectDeclarations(project: ProjectFile): {
    values: Map<string, ConfigEntry>;
    declaredTypes: Map<string, string>;
} {
    const values = new Map<string, ConfigEntry>();
    const declaredTypes = new Map<string, string>();
    for (const [rawKey, decl] of Object.entries(project.config)) {
        const key = qualify(rawKey, project.name, () => invalidDecl(project, rawKey));
        if (isRecord(decl) && ("type" in decl || "default" in decl || "description" in decl || "secret" in decl)) {
            const type = decl["type"];
            if (type !== undefined) {
                if (typeof type !== "string" || !CONFIG_TYPES.has(type)) {
                    throw new CheckInputError(
                        `config '${rawKey}' declares unknown type ${JSON.stringify(type)}`,
                        project.file,
                        "use string, integer, boolean, array or object",
                    );
                }
                declaredTypes.set(key, type);
            }
            if ("default" in decl) {
                values.set(key, toEntry(key, decl["default"], decl["secret"] === true, project.file));
            }
        } else {
            values.set(key, toEntry(key, decl, false, project.file));
        }
    }
    return { values, declaredTypes };
}

function invalidDecl(project: ProjectFile, key: string): CheckInputError {
    return new CheckInputError(
        `config key '${key}' is not of the form <namespace>:<name>`,
        project.file,
        "fix the key in Pulumi.yaml",
    );
}

/** `name` → `<project>:name`; `ns:name` stays; anything else is invalid. */
function qualify(key: string, project: string, fail: () => Error): string {
    const parts = key.split(":");
    if (parts.some((p) => p === "")) {
        throw fail();
    }
    if (parts.length === 1) {
        return `${project}:${key}`;
    }
    if (parts.length === 2) {
        return key;
    }
    // Legacy `<ns>:config:<name>` form is accepted by Pulumi.
    if (parts.length === 3 && parts[1] === "config") {
        return `${parts[0]}:${parts[2]}`;
    }
    throw fail();
}

function hasType(value: unknown, type: string): boolean {
    if (isSecure(value)) {
        return true;
    }
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return (typeof value === "number" && Number.isInteger(value)) || value instanceof WideInteger;
        case "boolean":
            return typeof value === "boolean";
        case "array":
            return Array.isArray(value);
        case "object":
            return isRecord(value);
    }
    return true;
}

function isSecure(v: unknown): v is { secure: unknown } {
    return isRecord(v) && Object.keys(v).length === 1 && "secure" in v;
}

function toEntry(key: string, value: unknown, secretDecl: boolean, file: string): ConfigEntry {
    let secret = secretDecl;
    const replaceSecure = (v: unknown, at: string): unknown => {
        if (isSecure(v)) {
            if (typeof v.secure !== "string") {
                throw new CheckInputError(
                    `invalid stack config: '${at}' has a non-string \`secure\` value`,
                    file,
                    "re-run `pulumi config set --secret`",
                );
            }
            secret = true;
            return REDACTED; // ciphertext is never decrypted nor passed on: the program and the pack see this, marked secret
        }
        if (Array.isArray(v)) {
            return v.map((e, i) => replaceSecure(e, `${at}[${i}]`));
        }
        if (isRecord(v) && Object.getPrototypeOf(v) === Object.prototype) {
            return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, replaceSecure(e, `${at}.${k}`)]));
        }
        return v;
    };
    const clean = replaceSecure(value, key);
    return { key, value: configText(clean, key, file), secret };
}

/**
 * The text the CLI stores for a config value (config/object.go MarshalString): strings as they are, scalars and
 * `null` as JSON, structured values as Go's json.Marshal writes them (map keys sorted, <, > and & escaped).
 */
function configText(value: unknown, key: string, file: string): string {
    const unrepresentable = (what: string, fix: string) =>
        new CheckInputError(`invalid stack config: '${key}' ${what}`, file, fix);
    const toJson = (v: unknown): unknown => {
        if (v instanceof NonFiniteFloat) {
            throw unrepresentable(
                `is ${v.text}, which the Pulumi CLI cannot store (json: unsupported value)`,
                "use a finite number or quote it",
            );
        }
        if (v instanceof OffsetTimestamp) {
            throw unrepresentable(
                `is the timestamp ${v.text}: with a numeric UTC offset the CLI's text for it depends on the machine's local time zone`,
                "quote it, or write it in UTC (…Z)",
            );
        }
        if (v instanceof WideInteger) {
            throw unrepresentable(`is the integer ${v.text}, beyond what the check represents exactly`, "quote it");
        }
        if (Array.isArray(v)) {
            return v.map(toJson);
        }
        if (isRecord(v)) {
            return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, toJson(e)]));
        }
        return v;
    };
    if (typeof value === "string") {
        return value;
    }
    if (value === undefined) {
        return "null";
    }
    return goJson(toJson(value));
}

/** Go's json.Marshal text for plain data: object keys sorted, <, >, &, U+2028 and U+2029 escaped. */
export function goJson(value: unknown): string {
    const sorted = (v: unknown): unknown =>
        Array.isArray(v)
            ? v.map(sorted)
            : isRecord(v)
              ? Object.fromEntries(
                    Object.keys(v)
                        .sort()
                        .map((k) => [k, sorted(v[k])]),
                )
              : v;
    return JSON.stringify(sorted(value))
        .replace(/</g, "\\u003c")
        .replace(/>/g, "\\u003e")
        .replace(/&/g, "\\u0026")
        .replace(/\u2028/g, "\\u2028")
        .replace(/\u2029/g, "\\u2029");
}
