#!/usr/bin/env bash
# Sets up a fresh machine (idempotent) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mvn -B -ntp verify
