#!/usr/bin/env bash
# Builds the web UI into web/dist (installs only when the lock file changed). `npm install` with
# the committed lock, not `npm ci`: the registry mirror here lacks other platforms' optional
# packages (rollup binaries), which `npm ci` insists on finding in the lock. Skips when web/ has no
# package.json yet.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f web/package.json ] || exit 0
stamp=web/node_modules/.lf-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
  (cd web && npm install --no-audit --no-fund --loglevel=error)
  cp web/package-lock.json "$stamp"
fi
newest_src=$(find web/src web/index.html web/package.json -newer web/dist/index.html 2>/dev/null | head -1 || true)
if [ ! -f web/dist/index.html ] || [ -n "$newest_src" ]; then
  (cd web && npm run --silent build)
fi
