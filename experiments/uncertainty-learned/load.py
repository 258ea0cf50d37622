import numpy as np, os
from scipy.ndimage import uniform_filter, sobel
D = os.environ.get('DUMP', '/tmp/udump')
FAM = {'RICIAN_MR': 0, 'POISSON_GAUSSIAN_XRAY': 1, 'GAUSSIAN_CT': 2}

def cases():
    out = []
    for line in open(os.path.join(D, 'index.tsv')):
        p = line.rstrip('\n').split('\t')
        cid, kind, fam, case, name, w, h, n, level, corr, scale = p
        w, h = int(w), int(h)
        a = np.fromfile(os.path.join(D, cid + '.f32'), dtype='<f4')
        k = a.size // (w * h)
        arr = a.reshape(k, h, w)
        d = dict(id=cid, kind=kind, fam=fam, case=case if kind == 'bench' else name.split(',')[0], name=name, w=w, h=h,
                 level=float(level), corr=float(corr), scale=float(scale),
                 ref=arr[0], noisy=arr[1], mean=arr[2], spread=arr[3], sigma=arr[4])
        if kind == 'cal':
            d['realistic'] = case == 'true'
            d['image'] = name.split(',')[0]
        else:
            d['map'] = arr[5]; d['mean2'] = arr[6]
        out.append(d)
    return out

def features(d):
    s = np.maximum(d['sigma'], 1e-12)
    m, y, sp = d['mean'], d['noisy'], d['spread']
    r2 = ((y - m) / s) ** 2
    f = {}
    f['lsp'] = np.log(sp / s + 1e-4)
    f['snr'] = np.clip(m / s, -5, 60)
    f['llev'] = np.full(s.shape, np.log(d['level']))
    f['lcorr'] = np.full(s.shape, np.log(max(d['corr'], 1e-3)))
    for k in (3, 7, 15):
        f['r2_%d' % k] = np.log(uniform_filter(r2, k, mode='reflect') + 1e-4)
    mn = m / s
    for k in (3, 7):
        mu = uniform_filter(mn, k, mode='reflect'); v = uniform_filter(mn * mn, k, mode='reflect') - mu * mu
        f['var_%d' % k] = np.log(np.maximum(v, 0) + 1e-3)
    g = np.hypot(sobel(m, 0), sobel(m, 1)) / s
    f['lgrad'] = np.log(g + 1e-3)
    f['lsp5'] = np.log(uniform_filter(sp / s, 5, mode='reflect') + 1e-4)
    fam = np.zeros(3); fam[FAM[d['fam']]] = 1
    for i in range(3): f['fam%d' % i] = np.full(s.shape, fam[i])
    return f

def reliability(sd, err):
    n = sd.size
    o = np.argsort(sd, kind='stable')
    sd_s, e_s = sd[o], err[o]
    worst = 1.0
    for b in range(10):
        a, z = b * n // 10, (b + 1) * n // 10
        ms = sd_s[a:z].mean(); re = np.sqrt((e_s[a:z].astype(np.float64) ** 2).mean())
        if ms == 0 and re == 0: continue
        if ms == 0 or re == 0: return np.inf, 0
        worst = max(worst, re / ms, ms / re)
    cov = np.mean(np.abs(err) <= 2 * sd)
    return worst, cov
