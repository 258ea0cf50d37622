"""Checks derived instances against their sources with pydicom (run by CharacterSetTest).

Reads lines "MODE<TAB>SOURCE<TAB>DERIVED<TAB>MODEL_NAME<TAB>SHOWN_NAME" from stdin; prints one line per problem, then "checked N".
MODE keep: the derived instance declares the source's Specific Character Set, every copied text attribute decodes
to the source's value (SH, LO, PN, UC at the top level with the same bytes), and nothing decodes with a warning.
MODE utf8: it declares ISO_IR 192 and every copied text attribute decodes to the source's value.
MODE bytes: the source's text cannot be decoded (no declared set): copied text keeps its bytes.
In all modes the Series Description is the source's plus " (DiffDenoise)", SHOWN_NAME (the model name, or what of it
the set holds) appears in the Derivation Description and MODEL_NAME as "modelName" in the provenance JSON.
"""
import json
import sys
import warnings

import pydicom

TEXT_VRS = {"SH", "LO", "ST", "LT", "UT", "PN", "UC"}
# attributes the derivation replaces (docs/dicom.md); the private block is removed and replaced by ours
REPLACED = {"SeriesDescription", "DerivationDescription", "SourceImageSequence", "DerivationCodeSequence",
            "ReferencedSeriesSequence", "IconImageSequence", "SpecificCharacterSet"}
SUFFIX = " (DiffDenoise)"


def value(elem):
    v = elem.value
    if isinstance(v, (list, pydicom.multival.MultiValue)):
        return [str(x) for x in v]
    return "" if v is None else str(v)


def texts(ds, prefix=""):
    """path -> decoded value of every text element, sequences included (private and replaced ones left out)."""
    out = {}
    for elem in ds:
        if elem.tag.is_private or (not prefix and elem.keyword in REPLACED):
            continue
        if elem.VR == "SQ":
            for i, item in enumerate(elem.value):
                out.update(texts(item, f"{prefix}{elem.keyword}[{i}]."))
        elif elem.VR in TEXT_VRS:
            out[prefix + (elem.keyword or str(elem.tag))] = value(elem)
    return out


def raw_top(path):
    """keyword -> value bytes (trailing padding removed) of the top-level text elements, as stored."""
    ds = pydicom.dcmread(path)
    out = {}
    for tag in list(ds.keys()):
        raw = ds.get_item(tag)
        if raw is None or getattr(raw, "VR", None) not in TEXT_VRS or raw.tag.is_private:
            continue
        out[pydicom.datadict.keyword_for_tag(tag) or str(tag)] = (raw.value or b"").rstrip(b" \x00")
    return out


def check(mode, src, dst, model, shown):
    problems = []
    with warnings.catch_warnings():
        if mode != "bytes":
            warnings.simplefilter("error")  # a decoding warning means bytes that do not fit the declared set
        try:
            a, b = pydicom.dcmread(src), pydicom.dcmread(dst)
            ta, tb = texts(a), texts(b)
            db = str(b.get("DerivationDescription", ""))
            desc_a, desc_b = str(a.get("SeriesDescription", "")).strip(), str(b.get("SeriesDescription", ""))
            prov = json.loads(b[0x0011, 0x1001].value)
        except Exception as e:  # reported as a problem of this pair
            return [f"cannot decode: {e!r}"]
    cs_a, cs_b = a.get("SpecificCharacterSet"), b.get("SpecificCharacterSet")
    if mode == "keep" and cs_a != cs_b:
        problems.append(f"Specific Character Set {cs_a!r} became {cs_b!r}")
    if mode == "utf8" and cs_b != "ISO_IR 192":
        problems.append(f"Specific Character Set {cs_b!r}, expected ISO_IR 192")
    ra, rb = raw_top(src), raw_top(dst)
    if mode in ("keep", "utf8"):
        for path, v in ta.items():
            if path not in tb:
                problems.append(f"{path} missing")
            elif tb[path] != v:
                problems.append(f"{path}: {v!r} became {tb[path]!r}")
        if desc_b != (desc_a + SUFFIX).strip():
            problems.append(f"Series Description {desc_a!r} became {desc_b!r}")
    if mode in ("keep", "bytes"):
        for kw, v in ra.items():
            if kw in REPLACED or kw not in rb:
                continue
            if pydicom.datadict.dictionary_VR(kw) in ("SH", "LO", "PN", "UC") and rb[kw] != v:
                problems.append(f"{kw}: bytes {v!r} became {rb[kw]!r}")
    if mode == "bytes":
        want = (ra.get("SeriesDescription", b"") + SUFFIX.encode()).strip()
        if rb.get("SeriesDescription") != want:
            problems.append(f"Series Description bytes {rb.get('SeriesDescription')!r}, expected {want!r}")
    if shown not in db:
        problems.append(f"Derivation Description {db!r} lacks the model name {shown!r}")
    if prov.get("modelName") != model:
        problems.append(f"provenance JSON modelName {prov.get('modelName')!r}, expected {model!r}")
    return problems


n = 0
for line in sys.stdin:
    if not line.strip():
        continue
    mode, src, dst, model, shown = line.rstrip("\n").split("\t")
    for p in check(mode, src, dst, model, shown):
        print(f"{src} -> {dst} ({mode}): {p}")
    n += 1
print(f"checked {n}")
