/**
 * Runs `task(i)` for i = 0…count-1 with at most `limit` running at once, in index order of starting. Rejects with
 * the first failure; after it no further task starts (those running finish on their own).
 */
export function forEachBounded(count: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
        let next = 0;
        let running = 0;
        let failed = false;
        const pump = (): void => {
            while (!failed && running < limit && next < count) {
                const i = next++;
                running++;
                let started: Promise<void>;
                try {
                    started = task(i);
                } catch (e) {
                    started = Promise.reject(e);
                }
                started.then(
                    () => {
                        running--;
                        if (!failed && next >= count && running === 0) resolve();
                        else pump();
                    },
                    (e: unknown) => {
                        running--;
                        if (!failed) {
                            failed = true;
                            reject(e);
                        }
                    },
                );
            }
        };
        if (count === 0) resolve();
        else pump();
    });
}
