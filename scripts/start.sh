#!/usr/bin/env bash
# Starts Kontokiosk: the Electron shell where an Electron binary is installed, otherwise the
# browser shell (Chromium in app mode when a display exists, else its single-use launch URL is
# printed). As root, Chromium runs as the account kontokiosk-window (scripts/setup.sh creates it).
# Closing Chromium stops the browser shell, except in kiosk mode (kiosk.enabled), where a watchdog
# reopens it; Ctrl-C or SIGTERM stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

if node -e "require('electron')" >/dev/null 2>&1; then
  echo "Electron binary found: starting the Electron shell."
  exec npx electron-forge start
fi

echo "No Electron binary on this machine (where the network allows, 'npm run electron:install' fetches it): starting the browser shell instead."
npm run --silent build:renderer >/dev/null
exec node --import tsx src-main/shell/browser/cli.ts "$@"
