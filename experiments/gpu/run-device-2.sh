#!/usr/bin/env bash
# Second, short accelerator run: continues the two from-scratch networks of run-device.sh (their EMA weights) for
# MINUTES more minutes side by side, for a second point on their learning curves.
set -u
M=${1:-2.5}
D=.gpu-carry
W=/tmp/w
cd "$(dirname "$0")"/../..
mkdir -p $W
R="python3 -u experiments/gpu/replica.py train --data $D/data.bin --out $W --minutes $M --warmup 50"
$R --name wide2 --channels 64,128,192 --init $D/wide.ddw --lr 2e-4 --batch 64 --seed 23 > $W/wide2.out 2>&1 &
$R --name scratch2 --init $D/scratch.ddw --lr 2e-4 --batch 64 --seed 24 > $W/scratch2.out 2>&1 &
wait
cp $W/*.ddw "$OUT"/
tar czf "$OUT/logs2.tgz" -C $W $(cd $W && ls *.json *.out)
tail -n 2 $W/*.out
