#!/usr/bin/env bash
# npm run make: the Electron shell as a Debian package (out/make/deb/…/*.deb) through Electron
# Forge's deb maker (forge.config.ts). Without an Electron binary there is nothing to package: it
# says so and exits 0, since such a machine runs the browser shell, which is installed without a
# package (deploy/install.sh). `npm run make -- --require` exits 3 instead, for a release build
# that must produce the package.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! node -e "require('electron')" >/dev/null 2>&1; then
  echo "npm run make: skipped, no .deb was built: there is no Electron binary on this machine"
  echo "  ('npm run electron:install' fetches it where the network allows). The browser shell needs no package:"
  echo "  bash deploy/install.sh installs it as a service (README: Installing on a kiosk machine)."
  if [[ " $* " == *" --require "* ]]; then exit 3; fi
  exit 0
fi
missing=()
command -v dpkg >/dev/null 2>&1 || missing+=(dpkg)
command -v fakeroot >/dev/null 2>&1 || missing+=(fakeroot)
if [ ${#missing[@]} -gt 0 ]; then
  echo "npm run make: the deb maker needs ${missing[*]} (apt-get install -y ${missing[*]})" >&2
  exit 1
fi
exec npx electron-forge make --targets @electron-forge/maker-deb
