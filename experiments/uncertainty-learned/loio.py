import numpy as np
from judge import reliability
def inside_eval(d, sd):
    err = (d['mean'] - d['ref']).ravel().astype(np.float64); sd = sd.ravel().astype(np.float64)
    if d['fam'] == 'RICIAN_MR':
        r = d['ref']; cut = r.min() + 0.1 * (r.max() - r.min()); k = (r > cut).ravel(); sd, err = sd[k], err[k]
    return reliability(sd, err)
def loio(cal, train_fn, predict_fn, verbose=False):
    imgs = sorted(set((d['fam'], d['image']) for d in cal))
    ok = 0; logs = []; per = {}
    for fam, img in imgs:
        tr = [d for d in cal if not (d['fam'] == fam and d['image'] == img)]
        model = train_fn(tr)
        for d in cal:
            if d['fam'] == fam and d['image'] == img:
                w, c = inside_eval(d, predict_fn(model, d))
                p = w <= 1.5 and 0.9 <= c <= 0.98; ok += p; logs.append(np.log(min(w, 20)))
                per.setdefault(fam, [0, 0]); per[fam][0] += p; per[fam][1] += 1
                if verbose: print('  %-50s %5.2f %5.1f%% %s' % (d['name'], w, 100 * c, 'yes' if p else 'NO'))
    print('LOIO pass %d of %d, geo worst %.3f, by family %s' % (ok, len(logs), np.exp(np.mean(logs)), per))
    return ok
