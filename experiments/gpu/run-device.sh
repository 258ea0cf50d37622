#!/usr/bin/env bash
# One accelerator run of the experiment (see README.md here): four trainings side by side on one GPU for
# MINUTES minutes each; the weights (.ddw) and a log archive come back in $OUT. Expects .gpu-carry/data.bin and
# .gpu-carry/shipped.ddw (made by ExperimentIO).
set -u
M=${1:-8}
D=.gpu-carry
W=/tmp/w
cd "$(dirname "$0")"/../..
mkdir -p $W
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader > $W/gpu.txt 2>&1
python3 -c "import torch; print(torch.__version__, torch.cuda.is_available())" >> $W/gpu.txt 2>&1
R="python3 -u experiments/gpu/replica.py train --data $D/data.bin --out $W --minutes $M"
$R --name ft --init $D/shipped.ddw --lr 1e-4 --batch 64 --seed 11 > $W/ft.out 2>&1 &
$R --name attn --attention --init $D/shipped.ddw --lr 1e-4 --batch 64 --seed 12 > $W/attn.out 2>&1 &
$R --name wide --channels 64,128,192 --lr 3e-4 --batch 64 --seed 13 > $W/wide.out 2>&1 &
$R --name scratch --lr 3e-4 --batch 64 --seed 14 > $W/scratch.out 2>&1 &
sleep 90; nvidia-smi >> $W/gpu.txt 2>&1; tail -n 2 $W/*.out
wait
cp $W/*.ddw "$OUT"/
tar czf "$OUT/logs.tgz" -C $W $(cd $W && ls *.json *.out gpu.txt)
tail -n 3 $W/*.out
