import numpy as np, sys
from load import *; from judge import *; import loio, table
import gbm as gbm2
cs, cal = gbm2.cs, gbm2.cal
def tr(ms): return ({f: table.fit([d for d in ms if d['fam'] == f], f) for f in table.CORR}, gbm2.train(ms))
def pr(m, d): return np.sqrt(table.predict(m[0], d) * gbm2.pred(m[1], d))
m = tr(cal)
judge_all(cs, lambda d: pr(m, d), verbose=False)
loio.loio(cal, tr, pr)
