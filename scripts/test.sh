#!/usr/bin/env bash
# The whole check, as CI runs it: lint (layering rules), formatter, typecheck of both configs, build,
# then every test (unit, integration against a private mariadbd, e2e in Chromium, and the package check:
# the app packed by electron-builder, its CLI and job entry run from the archive — docs/packaging.md).
# Ends with vitest's summary and the plain line "N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { printf '\n== %s\n' "$*"; }

step "lint";       npx eslint --max-warnings 0 .
step "format";     npx prettier --check . >/dev/null || { npx prettier --check . ; exit 1; }
step "typecheck";  npx tsc -p tsconfig.node.json --noEmit && npx tsc -p tsconfig.web.json --noEmit
step "build";      npx electron-vite build >/dev/null
step "tests";      npx vitest run "$@"
