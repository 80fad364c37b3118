#!/usr/bin/env bash
# Installs what Banner needs on a fresh Debian/Ubuntu machine, then returns.
# Idempotent: every step checks before it acts, so running it again is cheap.
# Later parts of the project (the desktop app, its tests) add their packages
# here, so that one command keeps preparing any machine.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'bootstrap: %s\n' "$*"; }

if ! command -v cargo >/dev/null 2>&1; then
  say "Rust is not installed. Install it with rustup (https://rustup.rs), then run this again."
  exit 1
fi

# rustfmt and clippy are part of the test command.
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  if command -v rustup >/dev/null 2>&1; then
    say "adding the rustfmt and clippy components"
    rustup component add rustfmt clippy
  else
    say "cargo fmt and cargo clippy are missing; install the rustfmt and clippy components."
    exit 1
  fi
fi

# Debian packages. chromium runs the widget's browser tests (driven by
# playwright-core, never a downloaded browser); fonts-noto-color-emoji lets it
# draw the emoji picker. Node.js builds the UI: Debian's nodejs is used only
# when the machine has no node at all.
apt_packages=(chromium fonts-noto-color-emoji)
# The desktop app (Tauri v2 on WebKitGTK 4.1): its build libraries; xvfb, xauth
# and webkit2gtk-driver run the real window headless under WebDriver;
# imagemagick takes its screenshots; dbus-x11, dbus-bin (dbus-run-session,
# dbus-send) and dunst (with dunstctl) give the notification test
# (src-tauri/tests/notifications.rs) a private session bus and a daemon.
apt_packages+=(libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev
  libsoup-3.0-dev libssl-dev libxdo-dev build-essential file xvfb xauth webkit2gtk-driver
  imagemagick dbus-x11 dbus-bin dunst)
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs npm)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  say "installing ${missing[*]} (apt)"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# tauri-driver: the WebDriver server the desktop app's end-to-end test talks
# to; it starts WebKitWebDriver (webkit2gtk-driver) for each session.
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  say "installing tauri-driver (cargo install)"
  cargo install tauri-driver --locked --quiet
fi

# Vite (the agent UI's build) needs Node.js 20.19 or later.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  say "Node.js $(node --version) is too old for the UI build; install Node.js 20.19 or later."
  exit 1
fi

# The UI's packages, exactly as package-lock.json pins them. `npm ci` wipes
# node_modules, so it runs only when the lock file changed since the last one.
stamp=ui/node_modules/.banner-lock
if ! cmp -s ui/package-lock.json "$stamp" 2>/dev/null; then
  say "installing the UI's packages (npm ci)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  cp ui/package-lock.json "$stamp"
fi

# The widget, served by banner-server from ui/dist (about a second), and the
# agent UI (ui/dist/banner), which the desktop app bundles.
say "building the widget and the agent UI"
(cd ui && npm run --silent build && npm run --silent build:banner)

say "ready ($(cargo --version), node $(node --version), $(chromium --version 2>/dev/null || echo 'no chromium'))"
