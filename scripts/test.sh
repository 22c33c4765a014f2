#!/usr/bin/env bash
# Every check and test of the project, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== lint, types, format"
npm run --silent lint
npm run --silent typecheck
npm run --silent format:check

echo "== unit, contract and integration tests"
npx vitest run

echo "== end-to-end tests (Chromium through the browser shell; Electron where a binary exists)"
npm run --silent build:renderer >/dev/null
KONTOKIOSK_SCREENSHOTS="${KONTOKIOSK_SCREENSHOTS:-}" npx playwright test
