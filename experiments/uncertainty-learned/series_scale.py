"""Can a series' error scale be read from its input? Per MR case (inside the object): the true scale, RMS error / RMS
map (the shipped table, refitted here on the training cases as table.py does; the benchmark's own map for its cases),
against per-series readings of the input and output, and their correlation with log scale on the training cases and on
the benchmark. A reading that holds must correlate alike on both (session 22)."""
import numpy as np
from scipy.ndimage import uniform_filter, sobel, gaussian_filter, binary_erosion
from load import cases
import table

def inside(d):
    r = d['ref']; return r > r.min() + 0.1 * (r.max() - r.min())

def block_mean(a, k):
    h, w = a.shape[0] - a.shape[0] % k, a.shape[1] - a.shape[1] % k
    return a[:h, :w].reshape(h // k, k, w // k, k).mean(axis=(1, 3))

def residual_texture(d):
    """The residual (noisy - output) / sigma 3 px inside the object: log of its scale-4 / scale-1 variance ratio (0 for
    white) and of its low-pass (Gaussian 1.5 px) fraction: lost texture would make it coarser than the noise."""
    k = binary_erosion(inside(d), iterations=3)
    r = np.where(k, (d['noisy'] - d['mean']).astype(np.float64) / np.maximum(d['sigma'], 1e-12), 0.0)
    v1 = np.mean(r[k] ** 2); kb = block_mean(k.astype(float), 4) > 0.999
    lp = gaussian_filter(r, 1.5)
    return np.log(16 * np.mean(block_mean(r, 4)[kb] ** 2) / v1), np.log(np.mean(lp[k] ** 2) / v1)

def readings(d):
    k = inside(d); s = np.maximum(d['sigma'], 1e-12); m = d['mean']
    mn = m / s; mu = uniform_filter(mn, 3); v = uniform_filter(mn * mn, 3) - mu * mu
    g = np.hypot(sobel(m, 0), sobel(m, 1)) / s / 8
    y = d['noisy'].astype(np.float64); y = y - y.mean()
    P = np.abs(np.fft.fft2(y)) ** 2 / y.size; N = (d['sigma'].astype(np.float64) ** 2).mean(); S = np.maximum(P - N, 0)
    return {'log level': np.log(d['level']),
            'log output variance 3x3 / sigma^2': np.log(np.mean(np.maximum(v[k], 0)) + 1e-4),
            'flat fraction (|grad output| < 0.1 sigma)': np.mean(g[k] < 0.1),
            'log median |grad output| / sigma': np.log(np.median(g[k]) + 1e-4),
            'residual energy / sigma^2': np.mean(((d['noisy'] - m)[k] / s[k]) ** 2),
            'log Wiener MSE / sigma^2 from the spectrum': np.log(np.mean(S / (S + N))),
            'log mean spread / sigma': np.log(np.mean(d['spread'][k] / s[k])),
            'log residual scale-4 / scale-1 variance': residual_texture(d)[0],
            'log residual low-pass fraction': residual_texture(d)[1]}

def mr_cases():
    """The MR slices of the dump, the table fitted on the training ones, and a map function."""
    cs = [d for d in cases() if d['fam'] == 'RICIAN_MR']
    tabs = {'RICIAN_MR': table.fit([d for d in cs if d['kind'] == 'cal'], 'RICIAN_MR')}
    return cs, (lambda d: d['map'] if d['kind'] == 'bench' else table.predict(tabs, d))

def log_scale(d, mapf):
    k = inside(d); return np.log(np.sqrt(np.mean((d['mean'] - d['ref'])[k] ** 2) / np.mean(mapf(d)[k] ** 2)))

if __name__ == '__main__':
    cs, mapf = mr_cases()
    rows = [(d['kind'], d['name'], log_scale(d, mapf), readings(d)) for d in cs]
    names = list(rows[0][3])
    print('| reading | corr. with log scale, training cases | corr., benchmark cases |\n|---|---|---|')
    for n in names:
        c = [np.corrcoef([r[3][n] for r in rows if r[0] == kind], [r[2] for r in rows if r[0] == kind])[0, 1] for kind in ('cal', 'bench')]
        print('| %s | %+.2f | %+.2f |' % (n, c[0], c[1]))
    print()
    for r in rows:
        print('%-5s %-48s scale %.2f  ' % (r[0], r[1][:48], np.exp(r[2])) + '  '.join('%.2f' % v for v in r[3].values()))
