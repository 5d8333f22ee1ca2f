#!/usr/bin/env node
"use strict";
// `auth0-mcp check …` — the compiled CLI lives in dist/ (built by `npm run build`, which `npm ci` runs via `prepare`).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bin script
const path = require("node:path");
let cli;
try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built CLI by computed path, so a missing build is reported
    cli = require(path.join(__dirname, "..", "dist", "src", "check", "cli.js"));
} catch (e) {
    if (e && e.code === "MODULE_NOT_FOUND" && String(e.message).includes("cli.js")) {
        process.stderr.write(
            `auth0-mcp: error: the CLI is not built (${path.join(__dirname, "..", "dist")}): run 'npm run build' in ${path.join(__dirname, "..")}\n`,
        );
        process.exit(2);
    }
    throw e;
}
cli.main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});
