#!/usr/bin/env bash
# Sets up a fresh machine (idempotent), builds, and denoises the bundled sample study:
# writes the derived series and a before/after PNG under target/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mvn -B -q -ntp -DskipTests package
rm -rf target/demo
bin/diffdenoise info test-data/phantom-mr
bin/diffdenoise denoise test-data/phantom-mr target/demo/output --preview target/demo/before-after.png
echo "Derived series: $(ls -d target/demo/output/*/)"
echo "Before/after:   target/demo/before-after.png"
