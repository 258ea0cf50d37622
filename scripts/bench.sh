#!/usr/bin/env bash
# Runs the benchmark and writes docs/benchmarks.md, docs/*.png and docs/benchmarks.json.
# Default run is sized for about 10 minutes on 2 cores; pass --full for every reference, size and step count,
# --denoiser PATH for another model bundle, --denoiser none for the classical baselines only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mvn -q -B -DskipTests compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec java -Xmx6g -Djava.awt.headless=true -cp "target/classes:$(cat target/bench.classpath)" \
    org.diffdenoise.bench.BenchmarkCommand "$@"
