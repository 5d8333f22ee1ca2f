/**
 * vitest setupFiles: points runProgram at the runner test/setup/global.ts compiled for this session (the
 * variable's name comes from there, so this file loads nothing of src/).
 */
import { inject } from "vitest";

const { runnerEnv, runner } = inject("session");
process.env[runnerEnv] = runner;
