import { describe, expect, it } from "vitest";
import { forEachBounded } from "../../src/check/bounded-pool";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("forEachBounded", () => {
    it("runs every task once, never more than the limit at a time, starting in index order", async () => {
        let running = 0;
        let peak = 0;
        const started: number[] = [];
        await forEachBounded(10, 3, async (i) => {
            started.push(i);
            running++;
            peak = Math.max(peak, running);
            await tick();
            running--;
        });
        expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(peak).toBe(3);
    });

    it("rejects with the first failure and starts nothing after it", async () => {
        const started: number[] = [];
        const run = forEachBounded(10, 2, async (i) => {
            started.push(i);
            await tick();
            if (i === 1) throw new Error("task 1 failed");
        });
        await expect(run).rejects.toThrow("task 1 failed");
        await tick();
        await tick();
        expect(started).toEqual([0, 1, 2]);
    });

    it("resolves at once with nothing to do, and turns a synchronous throw into the rejection", async () => {
        await expect(forEachBounded(0, 4, () => Promise.reject(new Error("never")))).resolves.toBeUndefined();
        await expect(
            forEachBounded(3, 4, () => {
                throw new Error("sync");
            }),
        ).rejects.toThrow("sync");
    });
});
