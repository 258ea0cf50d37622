"""The map times exp(a + b . readings), a and b fitted (least squares on log scale) on the MR training cases, judged by
issue 16's bar on the benchmark's MR cases inside the object, against the map alone (session 22)."""
import numpy as np
from load import reliability
from series_scale import mr_cases, readings, inside, log_scale

cs, mapf = mr_cases()
cal = [d for d in cs if d['kind'] == 'cal']
bench = {}
for d in cs:
    if d['kind'] == 'bench': bench.setdefault(d['case'], []).append(d)

def judge(sl, factor):
    sd = np.concatenate([mapf(d)[inside(d)] * factor(d) for d in sl]).astype(np.float64)
    err = np.concatenate([(d['mean'] - d['ref'])[inside(d)] for d in sl]).astype(np.float64)
    w, c = reliability(sd, err); return w, c, w <= 1.5 and 0.9 <= c <= 0.98

for feats in (['residual energy / sigma^2'], ['log level'], ['residual energy / sigma^2', 'log level'],
              ['log residual scale-4 / scale-1 variance'], ['log residual low-pass fraction', 'residual energy / sigma^2']):
    X = np.array([[1] + [readings(d)[f] for f in feats] for d in cal]); y = np.array([log_scale(d, mapf) for d in cal])
    coef = np.linalg.lstsq(X, y, rcond=None)[0]
    factor = lambda d: np.exp(coef[0] + sum(c * readings(d)[f] for c, f in zip(coef[1:], feats)))
    print(' + '.join(feats), 'coefficients', np.round(coef, 3))
    ok = ok0 = 0
    for case, sl in bench.items():
        w, c, p = judge(sl, factor); w0, c0, p0 = judge(sl, lambda d: 1.0); ok += p; ok0 += p0
        print('  %-26s %.2f %5.1f%% %-3s  (map alone %.2f %5.1f%% %s)' % (case, w, 100 * c, 'yes' if p else 'NO', w0, 100 * c0, 'yes' if p0 else 'NO'))
    print('  pass %d of %d (map alone %d)' % (ok, len(bench), ok0))
