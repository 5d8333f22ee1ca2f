/**
 * The program child remembers source-map-support's text of a message-less, unlimited stack capture (the SDK's
 * `Resource.callsites`, once per resource) by its raw frames: every remembered text must be the text the library
 * itself makes of those frames, and frames that differ in anything the library prints must not share a text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoizedStacks } from "../../src/check/program/stack-traces";

type Prepare = (err: Error, frames: NodeJS.CallSite[]) => unknown;

interface SourceMapSupport {
    install(options: { environment: string; handleUncaughtExceptions: boolean }): void;
    uninstall(): void;
}

/** A message-less error and its raw frames, captured with an unlimited stack trace limit (as the SDK does). */
function capture(): { err: Error; frames: NodeJS.CallSite[] } {
    const [prepare, limit] = [Error.prepareStackTrace, Error.stackTraceLimit];
    Error.prepareStackTrace = (_e, frames) => frames;
    Error.stackTraceLimit = Number.POSITIVE_INFINITY;
    try {
        const err = new Error();
        return { err, frames: err.stack as unknown as NodeJS.CallSite[] };
    } finally {
        Error.prepareStackTrace = prepare;
        Error.stackTraceLimit = limit;
    }
}

class Base {
    site(): { err: Error; frames: NodeJS.CallSite[] } {
        return capture();
    }
}
class Derived extends Base {}

describe("MemoizedStacks", () => {
    const saved = Error.prepareStackTrace;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS module ts-node installs, as the SDK loads it
    const support = require("@cspotcode/source-map-support") as SourceMapSupport;
    let mapped: Prepare;

    beforeAll(() => {
        support.install({ environment: "node", handleUncaughtExceptions: false });
        mapped = Error.prepareStackTrace as Prepare;
    });
    afterAll(() => {
        support.uninstall();
        Error.prepareStackTrace = saved;
    });

    it("memoizes only source-map-support's prepareStackTrace", () => {
        expect(MemoizedStacks.for(mapped)).toBeDefined();
        expect(
            MemoizedStacks.for(function prepareStackTrace(err: Error) {
                return String(err);
            }),
        ).toBeUndefined();
    });

    it("gives the library's own text for every stack, seen before or not", () => {
        const memo = MemoizedStacks.for(mapped);
        const captures = [];
        for (let i = 0; i < 3; i++) {
            captures.push(capture()); // the same stack three times
        }
        captures.push(capture()); // another line
        for (const o of [new Base(), new Derived(), new Base()]) {
            captures.push(o.site()); // the same position, called on receivers of different types
        }
        const texts = captures.map(({ err, frames }) => memo?.format(err, frames));
        expect(texts).toEqual(captures.map(({ err, frames }) => mapped(err, frames)));
        expect(texts[0]).toBe(texts[1]);
        expect(texts[3]).not.toBe(texts[0]);
        expect(texts[4]).toContain("Base.site");
        expect(texts[5]).toContain("Derived.site");
        expect(texts[6]).toBe(texts[4]);
    });
});
