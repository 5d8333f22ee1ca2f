/**
 * The Pulumi SDK's promise-leak check (runtime/debuggable.ts, the `exit` handler `debuggablePromise` installs):
 * when a program's event loop drains while promises the SDK tracks are still pending (an input that never
 * settles, a cycle between resources), the SDK prints why and sets exit code 1, and `pulumi preview` fails. The
 * resources waiting on those promises were never registered, so judging the rest would judge a partial program.
 * The check runs the same test, with the program's own SDK, once the loop has drained and before it replies.
 */
import * as path from "node:path";
import type { ProgramProblem } from "./problems";

type LeakedPromises = () => [Set<unknown>, string];

/** The problem the SDK's exit handler would fail the run for, or undefined when nothing leaked. */
export function leakedPromisesProblem(sdkDir: string): ProgramProblem | undefined {
    let leaked: LeakedPromises | undefined;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own SDK module, by computed path
        const debuggable = require(path.join(sdkDir, "runtime", "debuggable")) as { leakedPromises?: LeakedPromises };
        leaked = debuggable.leakedPromises;
    } catch {
        return undefined;
    }
    if (typeof leaked !== "function") return undefined;
    const [leaks, message] = leaked();
    if (leaks.size === 0) return undefined;
    return {
        kind: "leaked",
        message:
            `the program's event loop drained with ${leaks.size} Pulumi promise${leaks.size === 1 ? "" : "s"} still ` +
            `pending, so the Pulumi SDK fails the run (exit code 1) as it would fail \`pulumi preview\`: ${message}`,
    };
}
