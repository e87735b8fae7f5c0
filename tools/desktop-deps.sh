#!/usr/bin/env bash
# Installs the Debian packages the desktop app builds and runs with (WebKitGTK), and,
# with `--e2e`, what its end-to-end tests need (Xvfb, WebKitWebDriver, tauri-driver).
# Sourced or run by tools/test.sh and tools/run.sh; does nothing when all are present.
set -euo pipefail
packages=(libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev)
[ "${1:-}" = "--e2e" ] && packages+=(xvfb webkit2gtk-driver xauth fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing ${missing[*]}"
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get -y -q install "${missing[@]}"
fi
if [ "${1:-}" = "--e2e" ] && ! command -v tauri-driver >/dev/null && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  echo "== installing tauri-driver"
  cargo install tauri-driver --version ^2 --locked
fi
