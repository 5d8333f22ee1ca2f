/**
 * vitest setupFiles: points runProgram at the runner test/setup/program-runner.ts compiled for this session (the
 * variable's name comes from there, so this file loads nothing of src/).
 */
import { inject } from "vitest";

const { env, entry } = inject("compiledRunner");
process.env[env] = entry;
