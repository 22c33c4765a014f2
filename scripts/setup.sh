#!/usr/bin/env bash
# Installs what Kontokiosk needs on a Debian machine (as root): Debian's Chromium for the browser
# shell and its tests, poppler-utils to read PDF letters and zbar-tools to scan the coupon's
# barcode in tests, PostgreSQL (the tests start a throwaway cluster of their own as the
# unprivileged `postgres` user; nothing is started here), and the npm dependencies.
# For the kiosk window: the account `kontokiosk-window` Chromium runs as (never root, never the
# data directory's owner), and Xvfb, openbox, xdotool and xprop for the kiosk's tests on a display.
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
command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)
command -v openbox >/dev/null 2>&1 || missing+=(openbox)
command -v xdotool >/dev/null 2>&1 || missing+=(xdotool)
command -v xprop >/dev/null 2>&1 || missing+=(x11-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Chromium's account: no login shell, a home of its own for what Chromium keeps outside its
# throw-away profile; it owns nothing of Kontokiosk's data.
if ! id kontokiosk-window >/dev/null 2>&1; then
  useradd --system --user-group --create-home --home-dir /var/lib/kontokiosk-window --shell /usr/sbin/nologin kontokiosk-window
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
