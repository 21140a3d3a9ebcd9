#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for Playwright (npx playwright install can't
# download here; see docs/decisions/005-test-strategy.md).
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing at $CHROMIUM: install it with 'sudo apt-get install -y chromium' or set CHROMIUM_PATH" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "> Installing Debian's chromium (apt-get)…"
timeout 300 apt-get update -qq
timeout 900 apt-get install -y -qq chromium >/dev/null
"$CHROMIUM" --version
