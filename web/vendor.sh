#!/usr/bin/env bash
# Copies the dashboard's browser dependencies, installed by `npm ci` from package-lock.json, into the server's embedded
# assets. Run after changing package.json; tests/Rampart.Dashboard.Tests checks the copies equal the npm files byte for byte.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../src/Rampart.Server/Dashboard/assets/vendor"
cd "$here"
npm ci --no-audit --no-fund
mkdir -p "$out"
cp node_modules/chart.js/dist/chart.umd.min.js "$out/chart.umd.min.js"
{ cat node_modules/chart.js/LICENSE.md; printf '\n\nchart.umd.min.js bundles @kurkle/color:\n\n'; cat node_modules/@kurkle/color/LICENSE.md; } > "$out/chart.js.LICENSE.md"
echo "copied chart.js $(node -p 'require("./node_modules/chart.js/package.json").version') into $out"
