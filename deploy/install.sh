#!/usr/bin/env bash
# Installs Kontokiosk on a Debian kiosk machine, as root, from the app tree this script is in
# (prepared with `bash scripts/setup.sh`). Idempotent: a second run changes nothing and says so.
#
#   bash deploy/install.sh [--autologin] [--root DIR [--no-users] [--owner USER:GROUP]]
#
# What it sets up (paths below DIR with --root, or $DESTDIR):
#   users      kontokiosk (system user, no login: runs the server) and kontokiosk-window (runs the
#              kiosk window in its graphical session); --no-users creates neither
#   app        /opt/kontokiosk: the app tree runs where it is; when it is elsewhere,
#              /opt/kontokiosk becomes a link to it (an existing real folder there is never replaced)
#   data       /var/lib/kontokiosk, 0700, the service user's
#   config     /etc/kontokiosk/config.json, 0640 root:kontokiosk, written from the commented
#              template deploy/config.template.jsonc only when absent: never overwritten;
#              the template itself beside it as config.example.jsonc
#   units      /etc/systemd/system/kontokiosk.service, /etc/systemd/user/kontokiosk-window.service
#   health     /usr/local/sbin/kontokiosk-health
#   autologin  (--autologin) lightdm's drop-in and the "kontokiosk" X session for the window user
# Without --root, on a machine whose init is systemd, the server is enabled and started.
#
# --root installs into a scratch tree for a test: nothing outside it is touched and no systemctl
# runs. Ownership there: USER:GROUP of --owner when given, else the service user's when it exists,
# else left to the installing user.
set -euo pipefail

APP="$(cd "$(dirname "$0")/.." && pwd -P)"
ROOT="${DESTDIR:-}"
CREATE_USERS=1
OWNER_OVERRIDE=""
AUTOLOGIN=0
while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT="${2:?--root needs a directory}"; shift 2 ;;
    --no-users) CREATE_USERS=0; shift ;;
    --owner) OWNER_OVERRIDE="${2:?--owner needs USER:GROUP}"; shift 2 ;;
    --autologin) AUTOLOGIN=1; shift ;;
    -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
ROOT="${ROOT%/}"
if [ -n "$ROOT" ]; then
  mkdir -p "$ROOT"
  ROOT="$(cd "$ROOT" && pwd -P)"
fi
IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1
if [ -z "$ROOT" ] && [ "$IS_ROOT" -eq 0 ]; then
  echo "install: run as root (or with --root DIR for a scratch tree)" >&2
  exit 1
fi

CHANGES=0
note() {
  CHANGES=$((CHANGES + 1))
  echo "  $*"
}

# --- the app tree ----------------------------------------------------------------------------
node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); console.log(a>20||(a===20&&b>=19)?1:0)' 2>/dev/null || echo 0)
if [ "$node_ok" != 1 ]; then
  echo "install: Node.js 20.19 or newer is needed (Debian: apt-get install nodejs, or NodeSource)" >&2
  exit 1
fi
case "$(command -v node)" in
  /home/* | /root/*)
    echo "install: node is in a home folder ($(command -v node)), which the service cannot see (ProtectHome): install Node.js system-wide" >&2
    exit 1
    ;;
esac
if [ ! -f "$APP/package.json" ] || ! grep -q '"name": "kontokiosk"' "$APP/package.json"; then
  echo "install: $APP is not a Kontokiosk app tree" >&2
  exit 1
fi
if [ ! -d "$APP/node_modules/tsx" ]; then
  echo "install: $APP has no dependencies installed: run bash scripts/setup.sh there first" >&2
  exit 1
fi
case "$APP/" in
  /home/* | /root/* | /run/user/*)
    echo "install: the app tree $APP is in a home folder, which the service cannot see (ProtectHome): put it at /opt/kontokiosk" >&2
    exit 1
    ;;
esac
if [ ! -f "$APP/dist/renderer/index.html" ] || [ ! -f "$APP/dist/counter/index.html" ]; then
  echo "install: building the renderer in $APP"
  (cd "$APP" && npm run --silent build:renderer >/dev/null)
  note "built $APP/dist"
fi
if [ -n "$(find "$APP" -maxdepth 1 -perm /o+w -print -quit)" ]; then
  echo "install: warning: $APP (or a file at its top) is writable by every user: the service would run code anyone can change" >&2
fi

# --- users -----------------------------------------------------------------------------------
if [ "$CREATE_USERS" -eq 1 ]; then
  if ! getent passwd kontokiosk >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/kontokiosk --no-create-home \
      --shell /usr/sbin/nologin --comment "Kontokiosk server" kontokiosk
    note "created the system user kontokiosk"
  fi
  if ! getent passwd kontokiosk-window >/dev/null; then
    useradd --system --user-group --create-home --home-dir /var/lib/kontokiosk-window \
      --shell /usr/sbin/nologin --comment "Kontokiosk window" kontokiosk-window
    note "created the system user kontokiosk-window"
  fi
  # lightdm's auto-login refuses an account whose shell is nologin or false. The password stays
  # locked: only the auto-login opens this account's session.
  if [ "$AUTOLOGIN" -eq 1 ]; then
    case "$(getent passwd kontokiosk-window | cut -d: -f7)" in
      */nologin | */false)
        usermod --shell /bin/sh kontokiosk-window
        note "shell /bin/sh for kontokiosk-window (auto-login)"
        ;;
    esac
  fi
fi

SERVICE_OWNER=""
if [ -n "$OWNER_OVERRIDE" ]; then
  SERVICE_OWNER="$OWNER_OVERRIDE"
elif getent passwd kontokiosk >/dev/null && getent group kontokiosk >/dev/null; then
  SERVICE_OWNER="kontokiosk:kontokiosk"
fi
SERVICE_GROUP="${SERVICE_OWNER#*:}"

# numeric uid:gid of USER:GROUP (empty: leave the owner as it is)
ids_of() {
  [ -z "$1" ] && return 0
  local user="${1%%:*}" group="${1#*:}"
  echo "$(id -u "$user"):$(getent group "$group" | cut -d: -f3)"
}

# Sets mode and owner only where they differ, so a second run touches nothing.
ensure() {
  local path="$1" mode="$2" owner="$3"
  local want_ids have
  if [ "$(stat -c '%a' "$path")" != "$mode" ]; then
    chmod "$mode" "$path"
    note "mode $mode on $path"
  fi
  if [ -n "$owner" ] && [ "$IS_ROOT" -eq 1 ]; then
    want_ids="$(ids_of "$owner")"
    have="$(stat -c '%u:%g' "$path")"
    if [ "$have" != "$want_ids" ]; then
      chown "$owner" "$path"
      note "owner $owner on $path"
    fi
  fi
}

dir() {
  if [ ! -d "$1" ]; then
    mkdir -p "$1"
    note "created $1"
  fi
  ensure "$1" "$2" "${3:-}"
}

# Copies only when the content differs.
put() {
  local src="$1" dest="$2" mode="$3" owner="${4:-}"
  if [ ! -f "$dest" ] || ! cmp -s "$src" "$dest"; then
    mkdir -p "$(dirname "$dest")"
    cp "$src" "$dest.tmp-install"
    mv -f "$dest.tmp-install" "$dest"
    note "wrote $dest"
  fi
  ensure "$dest" "$mode" "$owner"
}

# --- /opt/kontokiosk ---------------------------------------------------------------------------
TARGET="$ROOT/opt/kontokiosk"
if [ "$APP" != "$TARGET" ]; then
  if [ -L "$TARGET" ]; then
    if [ "$(readlink "$TARGET")" != "$APP" ]; then
      ln -sfn "$APP" "$TARGET"
      note "linked $TARGET -> $APP"
    fi
  elif [ -e "$TARGET" ]; then
    echo "install: $TARGET exists and is not this app tree ($APP): move one of them (nothing was changed there)" >&2
    exit 1
  else
    mkdir -p "$(dirname "$TARGET")"
    ln -s "$APP" "$TARGET"
    note "linked $TARGET -> $APP"
  fi
fi

# --- data directory and configuration ----------------------------------------------------------
dir "$ROOT/var/lib/kontokiosk" 700 "$SERVICE_OWNER"
CONFIG_OWNER=""
[ -n "$SERVICE_GROUP" ] && CONFIG_OWNER="root:$SERVICE_GROUP"
dir "$ROOT/etc/kontokiosk" 750 "$CONFIG_OWNER"
CONFIG="$ROOT/etc/kontokiosk/config.json"
if [ ! -e "$CONFIG" ]; then
  # Whole-line // comments and trailing commas are dropped: the file itself is plain JSON.
  (umask 077 && node -e '
    const text = require("node:fs").readFileSync(process.argv[1], "utf8");
    const json = text.split("\n").filter((l) => !/^\s*\/\//.test(l)).join("\n").replace(/,(\s*[}\]])/g, "$1");
    process.stdout.write(JSON.stringify(JSON.parse(json), null, 2) + "\n");
  ' "$APP/deploy/config.template.jsonc" >"$CONFIG.tmp-install")
  mv "$CONFIG.tmp-install" "$CONFIG"
  note "wrote $CONFIG from the template"
  ensure "$CONFIG" 640 "$CONFIG_OWNER"
else
  # The operator's file: content, mode and owner stay as they are; an exposed one is named.
  if [ $((8#$(stat -c '%a' "$CONFIG") & 8#027)) -ne 0 ]; then
    echo "install: warning: $CONFIG is writable by its group or readable by others (it may hold passwords): chmod 640 it" >&2
  fi
fi
put "$APP/deploy/config.template.jsonc" "$ROOT/etc/kontokiosk/config.example.jsonc" 644 root:root

# --- the kiosk window's Chromium policy ---------------------------------------------------------
# Chromium reads managed policies from here: only the server's origin may open, no file://, no
# new windows, downloads or developer tools (src-main/shell/browser/kiosk-policy.ts). The window
# command refuses to start without it. It names the configured fixed port (and printer).
# One value per call, exactly as the file holds it (a printer name may have spaces or start with a
# dash); a value that cannot be passed on whole stops the run, naming the setting, never its value.
config_value() {
  node -e '
    const [file, name] = process.argv.slice(1);
    let c;
    try {
      c = JSON.parse(require("node:fs").readFileSync(file, "utf8"));
    } catch {
      console.error(`install: ${file} is not plain JSON (comments are not allowed there)`);
      process.exit(1);
    }
    if (name === "port") {
      const port = c.browserShell?.port;
      process.stdout.write(String(Number.isInteger(port) && port > 0 && port < 65536 ? port : 0));
    } else {
      const printer = c.kiosk?.printerName ?? "";
      if (typeof printer !== "string" || /[\u0000-\u001f\u007f]/.test(printer)) {
        console.error(`install: kiosk.printerName in ${file} is not a text on one line: correct it and run install.sh again`);
        process.exit(1);
      }
      process.stdout.write(printer);
    }
  ' "$CONFIG" "$1"
}
PORT="$(config_value port)"
PRINTER="$(config_value printer)"
if [ "$PORT" -gt 0 ]; then
  POLICY_TMP="$(mktemp)"
  # --printer=NAME: the name is the option's value even when it looks like an option itself.
  (cd "$APP" && node --import tsx src-main/shell/browser/policy-cli.ts --stdout --port "$PORT" ${PRINTER:+"--printer=$PRINTER"}) >"$POLICY_TMP"
  put "$POLICY_TMP" "$ROOT/etc/chromium/policies/managed/kontokiosk.json" 644 root:root
  rm -f "$POLICY_TMP"
else
  echo "install: warning: $CONFIG sets no fixed browserShell.port: the kiosk window cannot be confined to it and will not start" >&2
fi

# --- units and commands ------------------------------------------------------------------------
UNITS_BEFORE=$CHANGES
put "$APP/deploy/systemd/kontokiosk.service" "$ROOT/etc/systemd/system/kontokiosk.service" 644 root:root
put "$APP/deploy/systemd/kontokiosk-window.service" "$ROOT/etc/systemd/user/kontokiosk-window.service" 644 root:root
UNITS_CHANGED=$((CHANGES - UNITS_BEFORE))
put "$APP/deploy/kontokiosk-health" "$ROOT/usr/local/sbin/kontokiosk-health" 755 root:root
if [ "$AUTOLOGIN" -eq 1 ]; then
  put "$APP/deploy/session/50-kontokiosk.conf" "$ROOT/etc/lightdm/lightdm.conf.d/50-kontokiosk.conf" 644 root:root
  put "$APP/deploy/session/kontokiosk.desktop" "$ROOT/usr/share/xsessions/kontokiosk.desktop" 644 root:root
fi

# --- systemd -----------------------------------------------------------------------------------
if [ -z "$ROOT" ] && [ -d /run/systemd/system ]; then
  [ "$UNITS_CHANGED" -gt 0 ] && systemctl daemon-reload
  if ! systemctl is-enabled --quiet kontokiosk.service; then
    systemctl enable kontokiosk.service
    note "enabled kontokiosk.service"
  fi
  if ! systemctl is-active --quiet kontokiosk.service; then
    systemctl start kontokiosk.service
    note "started kontokiosk.service"
  elif [ "$UNITS_CHANGED" -gt 0 ]; then
    systemctl restart kontokiosk.service
    note "restarted kontokiosk.service (its unit changed)"
  fi
elif [ -z "$ROOT" ]; then
  echo "install: systemd is not running here: start the server with systemctl once it is (systemctl enable --now kontokiosk)"
fi

echo "install: $CHANGES change(s) in ${ROOT:-/}"
