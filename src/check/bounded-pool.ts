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

/**
 * {@link forEachBounded} over items that arrive over time: `next()` resolves the next item, or undefined after the
 * last. Items start in arrival order with at most `limit` running; rejects with the first failure once the tasks
 * started before it have settled, and starts none after it.
 */
export async function forEachArriving<T>(
    next: () => Promise<T | undefined>,
    limit: number,
    task: (item: T) => Promise<void>,
): Promise<void> {
    const running = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    for (;;) {
        while (running.size >= limit) await Promise.race(running);
        if (failure) break;
        let item: T | undefined;
        try {
            item = await next();
        } catch (error) {
            failure ??= { error };
            break;
        }
        if (item === undefined) break;
        const settled: Promise<void> = (async () => task(item))()
            .catch((error: unknown) => {
                failure ??= { error };
            })
            .finally(() => running.delete(settled));
        running.add(settled);
    }
    await Promise.all(running);
    if (failure) throw failure.error;
}
