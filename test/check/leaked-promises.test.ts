/**
 * The Pulumi SDK's promise-leak check (runtime/debuggable.ts: the `exit` handler debuggablePromise installs, which
 * calls leakedPromises() and sets exit code 1) fails `pulumi preview` for a program whose event loop drained with
 * promises pending. The resources waiting on them were never registered, so the check refuses to judge the rest.
 */
import { describe, expect, it } from "vitest";
import { CheckInputError } from "../../src/check/errors";
import { cli, program, runDevStack } from "./helpers";

describe("a program that leaves Pulumi promises pending (SDK runtime/debuggable.ts leakedPromises)", () => {
    it("is exit 2 with the SDK's own account of the registration that never completed", async () => {
        const refused = await runDevStack(program("leaked-promise")).then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(refused).toBeInstanceOf(CheckInputError);
        const text = (refused as CheckInputError).oneLine();
        expect(text).toContain("still pending, so the Pulumi SDK fails the run (exit code 1)");
        expect(text).toContain('"never-registered" [auth0:index/resourceServer:ResourceServer]');
        expect(text).toContain('its input property "identifier"');
        expect(text).toContain("PULUMI_DEBUG_PROMISE_LEAKS=1");

        const run = await cli("--dir", program("leaked-promise"), "--stack", "dev");
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("never-registered");
    }, 120_000);
});
