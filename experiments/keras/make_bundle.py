"""Train a small denoiser in Python Keras and export it as a SavedModel with DiffDenoise's signature.

This is what a user who trains their own model does (docs/model.md, "Bringing your own model"); the project's test
KerasBundleTest loads the result, seals it with `diffdenoise model seal` (BundleExporter.seal) and checks that the
Java pipeline reproduces this script's output and denoises with it.

    python make_bundle.py OUT_DIR [--steps 1500] [--seed 1]

OUT_DIR receives savedmodel/ (the SavedModel, written with keras.export.ExportArchive: saved_model.pb, variables/,
fingerprint.pb), reference.json (one fixed input and the x0 this script computes for it, for the Java comparison)
and savedmodel-tf-module/ (the same weights written the way that does not work from Java, see below).

The conventions the model must follow are the bundle signature's (docs/model.md, "Signature of the bundle"):
inputs x_t [N,H,W,1], cond [N,H,W,4] (noisy slice y, previous, next, noise-sigma map; normalized units, the
0.5/99.5 percentiles of the slice at 0/1), t [N], alpha_bar [N], family [N,3]; output x0 [N,H,W,1]. The sampler
starts at x_t* = sqrt(abar_t*) y with sqrt((1 - abar_t*) / abar_t*) >= the sigma map's rms, and takes DDIM steps.

The network: z = x_t / sqrt(abar) has noise of standard deviation s = sqrt((1 - abar) / abar) (in units of the
image) on the DDIM path; a 6-layer CNN (32 channels, ReLU) sees z, cond and s and predicts that noise in units of
s, so x0 = z - s * E(z, cond, s): exactly x_t when abar = 1. Training data are MR-like phantoms made here with
numpy (ellipses, blobs, lines, smooth shading, fine texture); Gaussian noise, sigma log-uniform in [0.01, 0.15];
x_t either at the inference start or, as on the DDIM path, at a random smaller noise level with the observation's
own noise scaled down. Nothing of the benchmark's data is used.
"""

import argparse
import json
import os

import numpy as np
import tensorflow as tf
import keras

COND = 4
CH = 32


def phantom(rng, size):
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    img = np.zeros((size, size), np.float32)
    for _ in range(rng.integers(3, 12)):
        cx, cy = rng.uniform(0, size, 2)
        a, b = rng.uniform(size * 0.05, size * 0.6, 2)
        th = rng.uniform(0, np.pi)
        u = ((xx - cx) * np.cos(th) + (yy - cy) * np.sin(th)) / a
        v = (-(xx - cx) * np.sin(th) + (yy - cy) * np.cos(th)) / b
        r = np.sqrt(u * u + v * v)
        edge = rng.uniform(0.02, 0.3)
        img += rng.uniform(-0.6, 1.0) * np.clip((1 - r) / edge, 0, 1)
    for _ in range(rng.integers(0, 4)):
        x0, y0, ang = rng.uniform(0, size), rng.uniform(0, size), rng.uniform(0, np.pi)
        d = np.abs((xx - x0) * np.sin(ang) - (yy - y0) * np.cos(ang))
        img += rng.uniform(0.2, 0.8) * np.exp(-0.5 * (d / rng.uniform(0.5, 1.5)) ** 2)
    img += rng.uniform(-0.3, 0.3) * (xx / size) + rng.uniform(-0.3, 0.3) * (yy / size)
    tex = rng.normal(size=(size, size)).astype(np.float32)
    k = np.exp(-0.5 * (np.arange(-3, 4) / 1.2) ** 2)
    k /= k.sum()
    tex = np.apply_along_axis(lambda r: np.convolve(r, k, "same"), 0, tex)
    tex = np.apply_along_axis(lambda r: np.convolve(r, k, "same"), 1, tex)
    img += rng.uniform(0, 0.15) * tex
    lo, hi = np.percentile(img, [0.5, 99.5])
    return ((img - lo) / max(hi - lo, 1e-6)).astype(np.float32)


def batch(rng, n, size):
    x0 = np.stack([phantom(rng, size) for _ in range(n)])[..., None]
    sigma = np.exp(rng.uniform(np.log(0.01), np.log(0.15), n)).astype(np.float32)
    noise = rng.normal(size=x0.shape).astype(np.float32)
    y = x0 + sigma[:, None, None, None] * noise
    # noise level of z = x_t / sqrt(abar): sigma at the start, less further along the DDIM path
    s = np.where(rng.uniform(size=n) < 0.5, sigma, sigma * rng.uniform(0.05, 1.0, n)).astype(np.float32)
    abar = 1.0 / (1.0 + s * s)
    z = x0 + s[:, None, None, None] * noise
    xt = np.sqrt(abar)[:, None, None, None] * z
    cond = np.concatenate([y, y, y, np.broadcast_to(sigma[:, None, None, None], y.shape)], axis=-1)
    t = np.full(n, 0.5, np.float32)
    fam = np.zeros((n, 3), np.float32)
    fam[:, 0] = 1
    return xt.astype(np.float32), cond.astype(np.float32), t, abar.astype(np.float32), fam, x0


class Denoiser(keras.Model):
    def __init__(self):
        super().__init__()
        self.convs = [keras.layers.Conv2D(CH, 3, padding="same", activation="relu") for _ in range(5)]
        self.head = keras.layers.Conv2D(1, 3, padding="same", kernel_initializer="zeros")

    def call(self, inputs):
        x_t, cond, t, alpha_bar, family = inputs
        ab = tf.reshape(alpha_bar, [-1, 1, 1, 1])
        z = x_t / tf.sqrt(ab)
        s = tf.sqrt(tf.maximum(1.0 - ab, 0.0) / ab)
        h = tf.concat([z, cond, tf.ones_like(z) * s], axis=-1)
        for c in self.convs:
            h = c(h)
        return z - s * self.head(h)


SIGNATURE = [
    tf.TensorSpec([None, None, None, 1], tf.float32, name="x_t"),
    tf.TensorSpec([None, None, None, COND], tf.float32, name="cond"),
    tf.TensorSpec([None], tf.float32, name="t"),
    tf.TensorSpec([None], tf.float32, name="alpha_bar"),
    tf.TensorSpec([None, 3], tf.float32, name="family"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    tf.random.set_seed(a.seed)
    keras.utils.set_random_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    model = Denoiser()
    opt = keras.optimizers.Adam(1e-3)

    @tf.function
    def step(xt, cond, t, ab, fam, x0):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model([xt, cond, t, ab, fam]) - x0))
        g = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(g, model.trainable_variables))
        return loss

    run = 0.0
    for i in range(a.steps):
        if i == int(a.steps * 0.7):
            opt.learning_rate.assign(2e-4)
        loss = float(step(*[tf.constant(v) for v in batch(rng, 16, 64)]))
        run = loss if i == 0 else 0.98 * run + 0.02 * loss
        if (i + 1) % 100 == 0:
            print(f"step {i + 1}/{a.steps} loss {run:.6f}", flush=True)

    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(name="serving_default", fn=lambda x_t, cond, t, alpha_bar, family: {"x0": model([x_t, cond, t, alpha_bar, family])},
                         input_signature=SIGNATURE)
    archive.write_out(os.path.join(a.out, "savedmodel"))
    serving = lambda *args: {"x0": model(list(args))}
    # the pitfall, kept for the loader's test: tf.saved_model.save of a tf.Module holding Keras 3 layers gives a
    # SavedModel that Python loads but TensorFlow's C API (TF Java, saved_model_cli run) cannot restore the
    # variables of ("Could not find variable ..."), since Keras 3 variable names are not unique
    module = tf.Module()
    module.model = model
    module.serve = tf.function(lambda x_t, cond, t, alpha_bar, family: {"x0": model([x_t, cond, t, alpha_bar, family])},
                               input_signature=SIGNATURE)
    tf.saved_model.save(module, os.path.join(a.out, "savedmodel-tf-module"), signatures={"serving_default": module.serve})

    # a fixed input and its output, for the Java comparison
    # (two slices at steps 40 and 120 of the cosine schedule, T = 1000, s = 0.008, as the Java sampler feeds them)
    r = np.random.default_rng(99)
    _, cond, _, _, fam, x0 = batch(r, 2, 16)
    steps = np.array([40, 120])
    f = lambda k: np.cos((k / 1000 + 0.008) / 1.008 * np.pi / 2) ** 2
    ab = (f(steps) / f(0)).astype(np.float32)
    t = (steps / 1000).astype(np.float32)
    s = np.sqrt((1 - ab) / ab)
    y = cond[..., :1]
    xt = (np.sqrt(ab)[:, None, None, None] * (x0 + s[:, None, None, None] * (y - x0) / cond[..., 3:4])).astype(np.float32)
    out = serving(tf.constant(xt), tf.constant(cond), tf.constant(t), tf.constant(ab), tf.constant(fam))["x0"].numpy()
    ref = {"shape": [2, 16, 16], "x_t": xt.ravel().tolist(), "cond": cond.ravel().tolist(), "t": t.tolist(),
           "alpha_bar": ab.tolist(), "family": fam.ravel().tolist(), "x0": out.ravel().tolist(),
           "made_by": f"experiments/keras/make_bundle.py --steps {a.steps} --seed {a.seed}, TensorFlow {tf.__version__}, Keras {keras.__version__}",
           "final_loss": run}
    with open(os.path.join(a.out, "reference.json"), "w") as f:
        json.dump(ref, f)
    print("wrote", a.out)


if __name__ == "__main__":
    main()
