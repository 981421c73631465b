#!/usr/bin/env bash
# `npm start`: the desktop app. Needs a display and, once, internet access so that the electron package can
# fetch its binary (install scripts are off by default for reproducible installs; this runs electron's own).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/with-node.sh node node_modules/electron/install.js
exec bash scripts/with-node.sh npx electron-vite preview
