#!/usr/bin/env bash
# Makes sure nginx is installed for the multi-instance suite, which runs it with deploy/nginx as-is.
set -euo pipefail
command -v nginx >/dev/null 2>&1 && exit 0
[ -x /usr/sbin/nginx ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "nginx is missing: install it with 'sudo apt-get install -y nginx'" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "> Installing Debian's nginx (apt-get)…"
timeout 300 apt-get update -qq
# Only the binary is wanted: keep the package's own service from starting on port 80.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
timeout 900 apt-get install -y -qq --no-install-recommends nginx >/dev/null
/usr/sbin/nginx -v
