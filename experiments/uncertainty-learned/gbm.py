import numpy as np, sys, time
from load import *; from judge import *; import loio
from sklearn.ensemble import HistGradientBoostingRegressor
cs = cases(); cal = [d for d in cs if d['kind'] == 'cal']
KEYS = sys.argv[1].split(',') if len(sys.argv) > 1 and sys.argv[1] != 'all' else None
MODE = sys.argv[2] if len(sys.argv) > 2 else 'sq'
FEAT = {}
def X(d):
    if d['id'] not in FEAT:
        f = features(d); FEAT[d['id']] = f
    f = FEAT[d['id']]; ks = KEYS or list(f)
    return np.stack([f[k].ravel() for k in ks], 1).astype(np.float32)
def train(sub, frac=0.25):
    rng = np.random.default_rng(0)
    xs, ys, ws = [], [], []
    for d in sub:
        x = X(d); s = np.maximum(d['sigma'].ravel(), 1e-12); e = (d['mean'] - d['ref']).ravel()
        t = (e / s) ** 2
        k = rng.random(t.size) < frac
        xs.append(x[k]); ys.append(t[k]); ws.append(np.full(k.sum(), 1.0 / k.sum()))
    loss = 'squared_error' if MODE == 'sq' else 'poisson'
    m = HistGradientBoostingRegressor(loss=loss, max_iter=150, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=500)
    m.fit(np.concatenate(xs), np.concatenate(ys), sample_weight=np.concatenate(ws) * 1e4)
    return m
def pred(m, d):
    return d['sigma'] * np.sqrt(np.maximum(m.predict(X(d)), 1e-6).reshape(d['sigma'].shape))
if __name__ == "__main__":
  m = train(cal)
  judge_all(cs, lambda d: pred(m, d), verbose='-v' in sys.argv)
  loio.loio(cal, train, pred)
