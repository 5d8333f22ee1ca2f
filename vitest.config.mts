import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Program runs fork a runner compiled once per session from the current source (test/setup/program-runner.ts).
    globalSetup: ["test/setup/program-runner.ts"],
    setupFiles: ["test/setup/compiled-runner-env.ts"],
    // The Node.js language host type-checks a program unless PULUMI_NODEJS_TRANSPILE_ONLY is set (cmd/run/run.ts), and
    // so does the offline check. Type-checking a program costs seconds of CPU per run and is not what most end-to-end
    // tests are about, so the suite runs programs transpile-only; the tests of type-checking itself unset it
    // (test/check/program-fidelity.test.ts).
    env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
  },
});
