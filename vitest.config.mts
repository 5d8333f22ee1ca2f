import { defineConfig } from "vitest/config";

/**
 * Test files that change process-wide state between their hooks (process.env, PULUMI_NODEJS_TRANSPILE_ONLY for the
 * program runs they start) run in a fresh module registry each, as vitest does by default. Every other file shares
 * its worker's modules with the files before it: they call functions, run Pulumi mocks (each runUnderMocks resets
 * them) and spawn processes, and re-importing @pulumi/policy, @pulumi/pulumi and the sources for each of them was a
 * third of the suite's CPU time.
 */
const ISOLATED = [
    "test/audit/audit.test.ts",
    "test/check/compile-cache.test.ts",
    "test/check/program-fidelity.test.ts",
    "test/check/streaming.test.ts",
    "test/check/workflow.test.ts",
];

export default defineConfig({
    test: {
        testTimeout: 60_000,
        hookTimeout: 60_000,
        pool: "forks",
        // vitest's default on a 2-core machine is one worker (cores - 1, keeping one for itself); its main process is
        // idle while the tests run, and most of the suite's time is spent in program and pack child processes.
        maxWorkers: 2,
        // Program runs fork a runner compiled once per session from the current source (test/setup/global.ts).
        globalSetup: ["test/setup/global.ts"],
        setupFiles: ["test/setup/session-env.ts"],
        // The Node.js language host type-checks a program unless PULUMI_NODEJS_TRANSPILE_ONLY is set (cmd/run/run.ts), and
        // so does the offline check. Type-checking a program costs seconds of CPU per run and is not what most end-to-end
        // tests are about, so the suite runs programs transpile-only; the tests of type-checking itself unset it
        // (test/check/program-fidelity.test.ts).
        env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
        projects: [
            { extends: true, test: { name: "isolated", include: ISOLATED } },
            {
                extends: true,
                test: { name: "shared", include: ["test/**/*.test.ts"], exclude: ISOLATED, isolate: false },
            },
        ],
    },
});
