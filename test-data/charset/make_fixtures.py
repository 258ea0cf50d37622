"""Writes one small DICOM image per character-set case into OUT_DIR/<case>/IM1.dcm (DerivedTextTest, audit.sh).

Sources: every sample pydicom ships in data/charset_files. Samples with pixels are copied as they are; the three
without pixel data (chrJapMulti*, chrKoreanMulti) get a 32x32 16-bit ramp over 0-511; the two holding only a sequence
(chrSQEncoding*) get the image modules of chrFren.dcm around their own elements. The cases of issue 13 and a few
more put a non-ASCII Series Description into a sample of each set (pydicom encodes it in the declared set).
Every image gets Gaussian noise (sigma 6 stored values, fixed seed) so that the default pipeline denoises it (the
samples are flat: "no measurable noise").
Usage: /usr/bin/python3 make_fixtures.py OUT_DIR
"""
import os
import random
import sys

import pydicom
from pydicom.data import get_charset_files

out_dir = sys.argv[1]
files = {os.path.basename(f): f for f in get_charset_files("*.dcm")}


def noisy(ds):
    """the pixels plus Gaussian noise of sigma 6, clipped to the stored range (8 or 12 bits)"""
    rng = random.Random(13)
    if ds.BitsAllocated == 8:
        ds.PixelData = bytes(min(255, max(0, round(v + rng.gauss(0, 6)))) for v in ds.PixelData)
    else:
        top = (1 << ds.BitsStored) - 1
        raw = ds.PixelData
        out = bytearray()
        for i in range(0, len(raw), 2):
            v = min(top, max(0, round(raw[i] + (raw[i + 1] << 8) + rng.gauss(0, 6))))
            out += bytes((v & 0xFF, v >> 8))
        ds.PixelData = bytes(out)


def save(case, ds):
    noisy(ds)
    d = os.path.join(out_dir, case)
    os.makedirs(d, exist_ok=True)
    ds.save_as(os.path.join(d, "IM1.dcm"), write_like_original=False)


def read(name):
    return pydicom.dcmread(files[name])


for name in sorted(files):
    ds = read(name)
    case = name[:-4]
    if "PixelData" in ds:
        save(case, ds)
    elif "Rows" in ds:
        # a CR header without pixels: a ramp of the declared size over 0-511, so that the noise (sigma 6) is about 1 %
        # of its range (over 0-4095 it was fainter than the model denoises, and the image was left as it was)
        n = ds.Rows * ds.Columns
        ds.PixelData = bytes(b for i in range(n) for b in (((i * 37) % 512) & 0xFF, ((i * 37) % 512) >> 8))
        ds["PixelData"].VR = "OW"
        save(case, ds)
    else:
        # a sequence with its own character set and nothing else: the image modules of chrFren around it
        image = read("chrFren.dcm")
        for elem in image:
            if elem.tag not in ds and elem.keyword not in ("PatientName", "OtherPatientNames", "SpecificCharacterSet"):
                ds.add(elem)
        ds.file_meta = image.file_meta
        save(case, ds)

# the cases of issue 13 and one Series Description per ISO 2022 family
for case, name, description in [
        ("desc_iso_ir_100", "chrGerm.dcm", "Schädel Übersicht"),
        ("desc_gb18030", "chrX2.dcm", "头部扫描"),
        ("desc_iso_ir_192", "chrX1.dcm", "头部 Übersicht 頭部"),
        ("desc_iso2022_ir87", "chrH31.dcm", "頭部 MR 撮影"),
        ("desc_iso2022_ir13_ir87", "chrH32.dcm", "ﾄｳﾌﾞ 頭部"),
        ("desc_iso2022_ir149", "chrI2.dcm", "두부 검사"),
        ("desc_iso_ir_144", "chrRuss.dcm", "Голова"),
        ("desc_iso_ir_126", "chrGreek.dcm", "Κεφάλι")]:
    ds = read(name)
    ds.SeriesDescription = description
    save(case, ds)

# not conformant, but common: Latin-1 bytes with no Specific Character Set
ds = read("chrFren.dcm")
del ds.SpecificCharacterSet
ds.SeriesDescription = b"Sch\xe4del \xdcbersicht"
ds.PatientName = b"Buc^J\xe9r\xf4me"
save("undeclared_latin1", ds)
