/**
 * A caller that no longer needs a pack it is starting (the audit after a failed read) aborts the launch: the pack
 * process is killed at once instead of being left running, or keeping the CLI alive until it is up.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { startPack } from "../../src/check/pack-host";
import { REPO } from "./helpers";

const PACK = path.join(REPO, "policy");
const WHO = { project: "cancel-test", stack: "dev", organization: "organization", config: [], tags: {} };

describe("cancelling a pack launch", () => {
    it("kills a pack that is still starting: the launch rejects once the process has exited", async () => {
        const cancel = new AbortController();
        const starting = startPack(PACK, WHO, undefined, cancel.signal);
        setTimeout(() => cancel.abort(), 20);
        await expect(starting).rejects.toThrow("the policy pack launch was cancelled");
    });

    it("does not launch at all when already cancelled", async () => {
        const cancel = new AbortController();
        cancel.abort();
        await expect(startPack(PACK, WHO, undefined, cancel.signal)).rejects.toThrow(
            "the policy pack launch was cancelled",
        );
    });

    it("an unused signal changes nothing: the pack starts and answers", async () => {
        const pack = await startPack(PACK, WHO, undefined, new AbortController().signal);
        try {
            expect(pack.argv.at(-1)).toBe(PACK);
        } finally {
            pack.close();
        }
    });
});
