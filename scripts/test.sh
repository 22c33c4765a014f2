#!/usr/bin/env bash
# Every check and test of the project, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

echo "== lint, types, format"
npm run --silent lint
npm run --silent typecheck
npm run --silent format:check

echo "== unit, contract and integration tests"
npx vitest run 2>&1 | tee "$logs/vitest.log"

echo "== mutation testing of the core files changed since the last full run (test/mutation-baseline)"
npm run --silent test:mutation:changed

echo "== end-to-end tests (Chromium through the browser shell; Electron where a binary exists)"
npm run --silent build:renderer >/dev/null
npx playwright test 2>&1 | tee "$logs/playwright.log"

# One closing line for both runners.
strip() { sed -e 's/\x1b\[[0-9;]*m//g' "$1"; }
count() { { grep -oE "$2" || true; } | grep -oE '[0-9]+' | head -n 1; }
unit_passed=$(strip "$logs/vitest.log" | grep -E '^\s*Tests ' | count /dev/stdin '[0-9]+ passed' || true)
unit_skipped=$(strip "$logs/vitest.log" | grep -E '^\s*Tests ' | count /dev/stdin '[0-9]+ skipped' || true)
e2e=$(strip "$logs/playwright.log")
e2e_passed=$(echo "$e2e" | grep -E '^\s+[0-9]+ passed' | count /dev/stdin '[0-9]+ passed' || true)
e2e_skipped=$(echo "$e2e" | grep -E '^\s+[0-9]+ skipped' | count /dev/stdin '[0-9]+ skipped' || true)
echo "tests: $(( ${unit_passed:-0} + ${e2e_passed:-0} )) passed, 0 failed, $(( ${unit_skipped:-0} + ${e2e_skipped:-0} )) skipped"
