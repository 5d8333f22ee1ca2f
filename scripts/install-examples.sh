#!/usr/bin/env bash
# Installs examples/consumer the way the README tells another team to: a tarball of this package (`npm pack`, from
# the dist/ and policy/bin that `npm ci` built), installed with `npm install` in the consumer's directory next to its
# own pinned Pulumi dependencies. Skipped when the tarball and the consumer's package.json are unchanged since the
# last install, so `npm test` pays for it once per change.
set -euo pipefail
cd "$(dirname "$0")/.."
consumer=examples/consumer
version=$(node -p 'require("./package.json").version')
tarball="auth0-mcp-${version}.tgz"
mkdir -p "$consumer/vendor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# dist/ and policy/bin are already built (npm ci runs prepare); do not build twice.
npm pack --ignore-scripts --pack-destination "$tmp" --loglevel=error >/dev/null
stamp="$consumer/node_modules/.auth0-mcp-install-stamp"
want="$(sha256sum "$tmp/$tarball" "$consumer/package.json" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
echo "installing $consumer (npm pack + npm install, as the README says)" >&2
cp "$tmp/$tarball" "$consumer/vendor/$tarball"
npm install --prefix "$consumer" --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
