#!/usr/bin/env bash
# Installs what Banner needs on a fresh Debian/Ubuntu machine, then returns.
# Idempotent: every step checks before it acts, so running it again is cheap.
# Later parts of the project (the widget, the desktop app, browser tests) add
# their packages here, so that one command keeps preparing any machine.
set -euo pipefail

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

say "ready ($(cargo --version))"
