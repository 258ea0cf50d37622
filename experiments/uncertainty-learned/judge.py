import numpy as np
from load import reliability

def group_bench(cs):
    g = {}
    for d in cs:
        if d['kind'] == 'bench': g.setdefault(d['case'], []).append(d)
    return g

def judge_case(sl, sdkey_or_fn):
    refs = [d['ref'] for d in sl]
    lo = min(r.min() for r in refs); hi = max(r.max() for r in refs)
    cut = lo + 0.1 * (hi - lo)
    sd = np.concatenate([(sdkey_or_fn(d) if callable(sdkey_or_fn) else d[sdkey_or_fn]).ravel() for d in sl])
    err = np.concatenate([(d['mean'] - d['ref']).ravel() for d in sl])
    inside = np.concatenate([(d['ref'] > cut).ravel() for d in sl])
    mr = sl[0]['fam'] == 'RICIAN_MR'
    if mr: sd, err = sd[inside], err[inside]
    return reliability(sd.astype(np.float64), err.astype(np.float64))

def judge_all(cs, fn, verbose=True):
    g = group_bench(cs); ok = 0; rows = []
    for case, sl in g.items():
        w, c = judge_case(sl, fn)
        p = w <= 1.5 and 0.9 <= c <= 0.98
        ok += p; rows.append((case, w, c, p))
        if verbose: print('  %-34s %5.2f %5.1f%% %s' % (case, w, 100 * c, 'yes' if p else 'NO'))
    print('pass %d of %d' % (ok, len(g)))
    return ok, rows
