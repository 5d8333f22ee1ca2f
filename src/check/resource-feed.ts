/**
 * The program's resources in the order it registers them, handed to the analyzer while the program still runs:
 * the engine analyzes each registration as it arrives (step_generator.go GenerateSteps calls the analyzers for
 * every RegisterResource event), so a large program's analysis overlaps its run instead of following it.
 *
 * A feed ends one of three ways: {@link end} with the program's final resources (components' registered outputs
 * arrive only then), {@link fail} with the program's error, or {@link restart} when the program is run again from
 * the start (the compile cache could not answer for all of it). A restart after the analyzer has taken a resource
 * cannot be undone (a pack may keep state between calls), so the feed then fails with {@link FeedRestarted} and the
 * caller analyzes the second run with a fresh pack.
 */
import type { RecordedResource } from "./types";

/** The feed's program was run again after the analyzer had taken some of its resources. */
export class FeedRestarted extends Error {
    constructor() {
        super("the program was run again after its first resources were analyzed");
    }
}

interface Ended {
    resources: RecordedResource[];
    /** Indexes of resources whose outputs were registered after they were streamed (components' registerOutputs). */
    outputsChanged: Set<number>;
}

export class ResourceFeed {
    private items: RecordedResource[] = [];
    private taken = 0;
    private ended: Ended | undefined;
    private failure: { error: unknown } | undefined;
    private wake: (() => void) | undefined;

    /** A feed of resources that are all known already (the audit's tenant, a finished program run). */
    static of(resources: RecordedResource[]): ResourceFeed {
        const feed = new ResourceFeed();
        feed.push(resources);
        feed.end(resources, new Set());
        return feed;
    }

    push(resources: RecordedResource[]): void {
        if (this.ended || this.failure) return;
        this.items.push(...resources);
        this.notify();
    }

    end(resources: RecordedResource[], outputsChanged: Set<number>): void {
        if (this.ended || this.failure) return;
        if (resources.length < this.items.length) {
            this.fail(
                new Error(
                    `the program run ended with ${resources.length} resources after streaming ${this.items.length}`,
                ),
            );
            return;
        }
        // Whatever was not streamed (a run that replied without streaming) is fed now.
        this.items.push(...resources.slice(this.items.length));
        this.ended = { resources, outputsChanged };
        this.notify();
    }

    fail(error: unknown): void {
        if (this.ended || this.failure) return;
        this.failure = { error };
        this.notify();
    }

    /** Whether `error` is what the feed failed with (the program's failure, or {@link FeedRestarted}). */
    failed(error: unknown): boolean {
        return this.failure !== undefined && this.failure.error === error;
    }

    /** The program starts over: forget what was streamed, or fail when the analyzer already took some of it. */
    restart(): void {
        if (this.taken > 0) {
            this.fail(new FeedRestarted());
            return;
        }
        this.items = [];
    }

    /** The next resource in registration order with its index, or undefined once the program ended and all were taken. */
    async next(): Promise<{ resource: RecordedResource; index: number } | undefined> {
        for (;;) {
            if (this.failure) throw this.failure.error;
            if (this.taken < this.items.length) {
                const index = this.taken++;
                const resource = this.items[index];
                if (resource) return { resource, index };
            }
            if (this.ended) return undefined;
            await new Promise<void>((resolve) => (this.wake = resolve));
        }
    }

    /** The program's final resources, once {@link next} returned undefined. */
    final(): Ended {
        if (!this.ended) throw new Error("the resource feed has not ended");
        return this.ended;
    }

    private notify(): void {
        const wake = this.wake;
        this.wake = undefined;
        wake?.();
    }
}
