# Regenerates the SSIM reference case used by ImageMetricsTest (run with Debian's /usr/bin/python3 + python3-skimage).
import numpy as np
from skimage.metrics import structural_similarity, peak_signal_noise_ratio
rng = np.random.default_rng(20240607)
h, w = 24, 32
yy, xx = np.mgrid[0:h, 0:w]
ref = 100.0 + 80.0 * ((xx - 14) ** 2 + (yy - 11) ** 2 < 60) + 1.5 * xx
test = ref + rng.normal(0, 12.0, ref.shape)
ref = np.round(ref, 3); test = np.round(test, 3)
np.savetxt("reference.txt", ref, fmt="%.3f")
np.savetxt("distorted.txt", test, fmt="%.3f")
dr = ref.max() - ref.min()
s = structural_similarity(ref, test, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=dr)
p = peak_signal_noise_ratio(ref, test, data_range=dr)
with open("expected.txt", "w") as f:
    f.write(f"data_range {dr:.6f}\nssim {s:.10f}\npsnr {p:.10f}\n")
print(open("expected.txt").read())
