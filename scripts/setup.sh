#!/usr/bin/env bash
# Installs what Kontokiosk needs on a Debian machine (as root): Debian's Chromium for the browser
# shell and its tests, poppler-utils to read PDF letters and zbar-tools to scan the coupon's
# barcode in tests, PostgreSQL (the tests start a throwaway cluster of their own as the
# unprivileged `postgres` user; nothing is started here), and the npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "Node.js 20.19 or newer is required (it is not installed)." >&2
  exit 1
fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
