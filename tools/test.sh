#!/usr/bin/env bash
# Runs every test of Fulcrum. Installs what it needs on a fresh Debian machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

# The desktop shell links WebKitGTK; its end-to-end tests need Xvfb and WebKitWebDriver.
desktop_packages=(libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev xvfb webkit2gtk-driver xauth fonts-dejavu-core)
missing=()
for p in "${desktop_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing ${missing[*]}"
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get -y -q install "${missing[@]}"
fi
if ! command -v tauri-driver >/dev/null && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  echo "== installing tauri-driver"
  cargo install tauri-driver --version ^2 --locked
fi

# One build for everything: the end-to-end tests are #[ignore]d in a plain `cargo test`
# (they need a display), so they are included here, under Xvfb.
echo "== engine, command layer, security policy, and the desktop app end to end (Xvfb, tauri-driver)"
xvfb-run --auto-servernum --server-args="-screen 0 1600x1000x24" \
  cargo test --locked --workspace -- --include-ignored
echo "screenshots of each view: tests/artifacts/"
