/**
 * Canned results for the program's invokes (data sources such as `auth0.getClient`), which need the provider and
 * Auth0 and cannot run offline. The file passed with `--invoke-results FILE` is JSON:
 *
 *     {
 *       "auth0:index/getTenant:getTenant": { "domain": "example.eu.auth0.com" },
 *       "auth0:index/getClient:getClient": [
 *         { "args": { "name": "dashboard" }, "result": { "clientId": "abc123", "name": "dashboard" } },
 *         { "result": { "clientId": "fallback" } }
 *       ]
 *     }
 *
 * A function token maps to the result object for every call, or to a list of cases tried in order: a case
 * applies when every key of its `args` equals the call's argument (a case without `args` applies to any call).
 */
import * as fs from "node:fs";
import { CheckInputError } from "../errors";
// Not ../project's isRecord: that module brings the YAML parsers into the program child.
import { isPlainObject as isRecord } from "../provider/wire";

interface InvokeCase {
    args?: Record<string, unknown>;
    result: Record<string, unknown>;
}

/** Token → cases, in file order. Plain data: crosses IPC to the program child. */
export type InvokeResults = Record<string, InvokeCase[]>;

const TOKEN = /^[^:]+:[^:]*:[^:]+$/;

export function readInvokeResultsFile(file: string): InvokeResults {
    let doc: unknown;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        const why =
            (e as NodeJS.ErrnoException).code === "ENOENT"
                ? "does not exist"
                : `is not valid JSON: ${(e as Error).message}`;
        throw new CheckInputError(
            `the invoke results file ${why}`,
            file,
            "pass --invoke-results a JSON file mapping function tokens to results",
        );
    }
    return parseInvokeResults(doc, file);
}

export function parseInvokeResults(doc: unknown, file: string): InvokeResults {
    const fail = (what: string, fix: string): never => {
        throw new CheckInputError(`invalid invoke results: ${what}`, file, fix);
    };
    if (!isRecord(doc)) {
        fail(
            "the file is not a JSON object",
            'write { "<package>:<module>:<function>": <result object> | [{ "args": {…}, "result": {…} }] }',
        );
    }
    const out: InvokeResults = {};
    for (const [token, value] of Object.entries(doc as Record<string, unknown>)) {
        if (!TOKEN.test(token)) {
            fail(
                `'${token}' is not a function token`,
                "use the token the SDK invokes, e.g. auth0:index/getClient:getClient",
            );
        }
        if (isRecord(value)) {
            out[token] = [{ result: value }];
            continue;
        }
        if (!Array.isArray(value) || value.length === 0) {
            fail(
                `${token} must be a result object or a non-empty list of { "args", "result" } cases`,
                "fix that entry",
            );
        }
        out[token] = (value as unknown[]).map((c, i) => {
            if (!isRecord(c) || !isRecord(c["result"]) || (c["args"] !== undefined && !isRecord(c["args"]))) {
                return fail(`${token}[${i}] must be { "args"?: object, "result": object }`, "fix that case");
            }
            const extra = Object.keys(c).filter((k) => k !== "args" && k !== "result");
            if (extra.length > 0) {
                return fail(
                    `${token}[${i}] has unknown key${extra.length > 1 ? "s" : ""} ${extra.join(", ")}`,
                    'a case has only "args" and "result"',
                );
            }
            return {
                ...(c["args"] ? { args: c["args"] as Record<string, unknown> } : {}),
                result: c["result"] as Record<string, unknown>,
            };
        });
    }
    return out;
}

function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) {
        return true;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
        return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
    }
    if (isRecord(a) && isRecord(b)) {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        return [...keys].every((k) => deepEqual(a[k], b[k]));
    }
    return false;
}

/** The canned result for one call, or undefined when no case applies. `args` are plain values (secrets unwrapped). */
export function findInvokeResult(
    results: InvokeResults,
    token: string,
    args: Record<string, unknown>,
): Record<string, unknown> | undefined {
    for (const c of results[token] ?? []) {
        if (!c.args || Object.entries(c.args).every(([k, v]) => deepEqual(args[k], v))) {
            return c.result;
        }
    }
    return undefined;
}
