#!/usr/bin/env bash
# Installs the pinned dependencies of every fixture program that has its own package-lock.json (programs pinned
# to an old and a recent @pulumi/pulumi, each with its own node_modules, as a user's program has). Skips a fixture
# whose install is newer than its lockfile, so `npm test` pays for it once per clone.
set -euo pipefail
cd "$(dirname "$0")/.."
for lock in test/fixtures/programs/*/package-lock.json; do
    dir=$(dirname "$lock")
    installed="$dir/node_modules/.package-lock.json"
    if [ -f "$installed" ] && [ "$installed" -nt "$lock" ]; then
        continue
    fi
    echo "installing $dir (npm ci)" >&2
    npm ci --prefix "$dir" --no-audit --no-fund --ignore-scripts --loglevel=error
done
