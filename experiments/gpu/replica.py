"""PyTorch replica of DiffDenoise's U-Net (org.diffdenoise.model.tf.UNetGraph) and training data
(org.diffdenoise.train.PatchSampler), for one experiment: what would more training compute, a wider network or
attention at the lowest resolution buy? The weights it writes are a WeightsFile (DDW1) with the Java parameter
names and layouts, so `ExperimentIO bundle` turns them into a bundle that the Java benchmark measures exactly like
the shipped one. The shipped model stays the one `train` makes in Java.

  python3 replica.py check WEIGHTS.ddw REFERENCE.bin [C0,C1,C2 BLOCKS ATTENTION]   port check against Java
  python3 replica.py train --data data.bin --out DIR [...]     train (GPU if there is one)
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FAMILIES = 3  # RICIAN_MR, POISSON_GAUSSIAN_XRAY, GAUSSIAN_CT (NoiseFamily order)


def groups(c):
    g = 8 if c >= 32 else 4
    while c % g != 0:
        g //= 2
    return max(1, g)


# ---------------------------------------------------------------- model (names and layouts as in UNetGraph)

class Conv(nn.Module):
    """3x3 or 1x1 conv with TensorFlow's SAME padding (stride 2: pad 0 before, 1 after on even sizes)."""

    def __init__(self, cin, cout, k=3, stride=1, zero=False, std_scale=1.0):
        super().__init__()
        self.k, self.stride = k, stride
        self.weight = nn.Parameter(torch.zeros(cout, cin, k, k))
        self.bias = nn.Parameter(torch.zeros(cout))
        if not zero:
            nn.init.normal_(self.weight, 0.0, math.sqrt(2.0 / (k * k * cin)) * std_scale)

    def forward(self, x):
        if self.stride == 1:
            return F.conv2d(x, self.weight, self.bias, padding=self.k // 2)
        h, w = x.shape[-2:]
        ph = max((math.ceil(h / self.stride) - 1) * self.stride + self.k - h, 0)
        pw = max((math.ceil(w / self.stride) - 1) * self.stride + self.k - w, 0)
        x = F.pad(x, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))
        return F.conv2d(x, self.weight, self.bias, stride=self.stride)


class Dense(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin) * math.sqrt(1.0 / cin))
        self.bias = nn.Parameter(torch.zeros(cout))

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)


class Norm(nn.GroupNorm):
    def __init__(self, c):
        super().__init__(groups(c), c, eps=1e-5)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb, identity=False):
        super().__init__()
        self.norm1, self.conv1 = Norm(cin), Conv(cin, cout)
        self.emb = Dense(emb, cout)
        self.norm2, self.conv2 = Norm(cout), Conv(cout, cout, zero=identity, std_scale=0.2)
        self.skip = Conv(cin, cout, k=1) if cin != cout else None

    def forward(self, x, e):
        h = self.conv1(F.silu(self.norm1(x))) + self.emb(e)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.skip is None else self.skip(x)) + h


class Attention(nn.Module):
    """Single-head self-attention over the lowest-resolution positions; zero output projection (starts as identity)."""

    def __init__(self, c):
        super().__init__()
        self.norm = Norm(c)
        self.qkv = Dense(c, 3 * c)
        self.proj = Dense(c, c)
        nn.init.zeros_(self.proj.weight)

    def forward(self, x):
        n, c, h, w = x.shape
        t = self.norm(x).flatten(2).transpose(1, 2)  # n, hw, c
        q, k, v = self.qkv(t).chunk(3, dim=-1)
        a = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(c), dim=-1)
        return x + self.proj(a @ v).transpose(1, 2).reshape(n, c, h, w)


def space_to_depth(x):  # TF order: channel = (dy * 2 + dx) * C + c
    n, c, h, w = x.shape
    return x.view(n, c, h // 2, 2, w // 2, 2).permute(0, 3, 5, 1, 2, 4).reshape(n, 4 * c, h // 2, w // 2)


def depth_to_space(x):
    n, c4, h, w = x.shape
    c = c4 // 4
    return x.view(n, 2, 2, c, h, w).permute(0, 3, 4, 1, 5, 2).reshape(n, c, 2 * h, 2 * w)


class UNet(nn.Module):
    def __init__(self, channels=(32, 64, 96), blocks=2, emb=64, attention=False):
        super().__init__()
        c0, c1, c2 = channels
        self.channels, self.blocks, self.attention = tuple(channels), blocks, attention
        half = 16
        self.register_buffer("freqs", torch.tensor([1000.0 * math.exp(-math.log(10000.0) * k / half) for k in range(half)]))
        self.emb1, self.emb2 = Dense(2 * half + FAMILIES, emb), Dense(emb, emb)
        self.inc = Conv(5 * 4, c0)
        self.down1 = ResBlock(c0, c0, emb)
        self.pool1 = Conv(c0, c1, stride=2)
        self.down2 = ResBlock(c1, c1, emb)
        self.pool2 = Conv(c1, c2, stride=2)
        self.mid1 = ResBlock(c2, c2, emb)
        self.attn = Attention(c2) if attention else None
        self.mid2 = ResBlock(c2, c2, emb)
        self.up2up = Conv(c2, c1)
        self.up2 = ResBlock(2 * c1, c1, emb)
        self.up2x = nn.ModuleList([ResBlock(c1, c1, emb, identity=True) for _ in range(blocks - 1)])
        self.up1up = Conv(c1, c0)
        self.up1 = ResBlock(2 * c0, c0, emb)
        self.up1x = nn.ModuleList([ResBlock(c0, c0, emb, identity=True) for _ in range(blocks - 1)])
        self.outnorm = Norm(c0)
        self.out = Conv(c0, 4, zero=True)

    def forward(self, xt, cond, t, ab, fam):
        """NCHW: xt [N,1,H,W], cond [N,4,H,W]; t, ab [N]; fam [N,3]. Returns x0 [N,1,H,W]."""
        arg = t[:, None] * self.freqs[None, :]
        e = torch.cat([torch.sin(arg), torch.cos(arg), fam], 1)
        e = F.silu(self.emb2(F.silu(self.emb1(e))))
        h = self.inc(space_to_depth(torch.cat([xt, cond], 1)))
        s1 = self.down1(h, e)
        s2 = self.down2(self.pool1(s1), e)
        h = self.mid1(self.pool2(s2), e)
        if self.attn is not None:
            h = self.attn(h)
        h = self.mid2(h, e)
        h = self.up2(torch.cat([self.up2up(F.interpolate(h, size=s2.shape[-2:], mode="nearest")), s2], 1), e)
        for b in self.up2x:
            h = b(h, e)
        h = self.up1(torch.cat([self.up1up(F.interpolate(h, size=s1.shape[-2:], mode="nearest")), s1], 1), e)
        for b in self.up1x:
            h = b(h, e)
        eps = depth_to_space(self.out(F.silu(self.outnorm(h))))
        abc = torch.clamp(ab, min=1e-4)[:, None, None, None]
        noisy = torch.sign(torch.clamp(1 - abc, min=0))
        return (xt - noisy * eps) / torch.sqrt(abc)

    # Java parameter name -> (tensor, kind)
    def java_names(self):
        m = {}

        def conv(name, c):
            m["unet/" + name + "/kernel"] = (c.weight, "conv")
            m["unet/" + name + "/bias"] = (c.bias, "vec")

        def dense(name, d):
            m["unet/" + name + "/kernel"] = (d.weight, "dense")
            m["unet/" + name + "/bias"] = (d.bias, "vec")

        def norm(name, g):
            m["unet/" + name + "/gamma"] = (g.weight, "vec")
            m["unet/" + name + "/beta"] = (g.bias, "vec")

        def block(name, b):
            norm(name + "/norm1", b.norm1)
            conv(name + "/conv1", b.conv1)
            dense(name + "/emb", b.emb)
            norm(name + "/norm2", b.norm2)
            conv(name + "/conv2", b.conv2)
            if b.skip is not None:
                conv(name + "/skip", b.skip)

        dense("emb/dense1", self.emb1)
        dense("emb/dense2", self.emb2)
        conv("in", self.inc)
        block("down1", self.down1)
        conv("down1/pool", self.pool1)
        block("down2", self.down2)
        conv("down2/pool", self.pool2)
        block("mid1", self.mid1)
        if self.attn is not None:
            norm("mid/attn/norm", self.attn.norm)
            dense("mid/attn/qkv", self.attn.qkv)
            dense("mid/attn/proj", self.attn.proj)
        block("mid2", self.mid2)
        conv("up2/up", self.up2up)
        block("up2", self.up2)
        for k, b in enumerate(self.up2x):
            block("up2" + chr(ord("b") + k), b)
        conv("up1/up", self.up1up)
        block("up1", self.up1)
        for k, b in enumerate(self.up1x):
            block("up1" + chr(ord("b") + k), b)
        norm("out/norm", self.outnorm)
        conv("out", self.out)
        return m


def to_java(t, kind):
    a = t.detach().float().cpu()
    if kind == "conv":  # OIHW -> HWIO
        a = a.permute(2, 3, 1, 0)
    elif kind == "dense":  # [out, in] -> [in, out]
        a = a.t()
    return a.contiguous().numpy().ravel()


def from_java(v, t, kind):
    a = torch.from_numpy(np.asarray(v, dtype=np.float32))
    if kind == "conv":
        o, i, kh, kw = t.shape
        a = a.view(kh, kw, i, o).permute(3, 2, 0, 1)
    elif kind == "dense":
        o, i = t.shape
        a = a.view(i, o).t()
    return a.reshape(t.shape)


def read_ddw(path):
    out = {}
    with open(path, "rb") as f:
        magic, n = struct.unpack(">ii", f.read(8))
        assert magic == 0x44445731, path + ": not a DDW1 weights file"
        for _ in range(n):
            (ln,) = struct.unpack(">H", f.read(2))
            name = f.read(ln).decode("utf-8")
            (cnt,) = struct.unpack(">i", f.read(4))
            out[name] = np.frombuffer(f.read(4 * cnt), dtype=">f4").astype(np.float32)
    return out


def write_ddw(path, model):
    names = model.java_names()
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack(">ii", 0x44445731, len(names)))
        for name, (t, kind) in names.items():
            b = name.encode("utf-8")
            v = to_java(t, kind).astype(">f4")
            f.write(struct.pack(">H", len(b)) + b + struct.pack(">i", v.size) + v.tobytes())
    os.replace(tmp, path)


def load_java_weights(model, weights, strict=True):
    names = model.java_names()
    missing = [n for n in names if n not in weights]
    if strict and missing:
        raise ValueError("weights lack " + ", ".join(missing[:5]))
    unknown = [n for n in weights if n not in names]
    if unknown:
        raise ValueError("weights have parameters the model lacks: " + ", ".join(unknown[:5]))
    with torch.no_grad():
        for n, (t, kind) in names.items():
            if n in weights:
                t.copy_(from_java(weights[n], t, kind))
    return missing


# ---------------------------------------------------------------- data (as PatchSampler, on the device)

def read_data(path, device):
    """Sources of ExperimentIO data: list of dicts with kind, slices (tensor [n,h,w], own normalization), low, scale."""
    srcs = []
    with open(path, "rb") as f:
        magic, count = struct.unpack("<ii", f.read(8))
        assert magic == 0x31584444, path + ": not an ExperimentIO data file"
        for _ in range(count):
            (ln,) = struct.unpack("<i", f.read(4))
            name = f.read(ln).decode()
            kind, w, h, n = struct.unpack("<iiii", f.read(16))
            ls = np.frombuffer(f.read(8 * n), dtype="<f4").reshape(n, 2)
            px = np.frombuffer(f.read(2 * n * w * h), dtype="<f2").astype(np.float32).reshape(n, h, w)
            srcs.append(dict(name=name, kind=kind, w=w, h=h, low=torch.tensor(ls[:, 0].astype(np.float64)),
                             scale=torch.tensor(ls[:, 1].astype(np.float64)), slices=torch.from_numpy(px).to(device)))
    return srcs


class Sampler:
    SIGMA_MIN, SIGMA_MAX = 0.005, 0.15

    def __init__(self, srcs, device, seed):
        self.natural = [s for s in srcs if s["kind"] == 0]
        self.dicom = [s for s in srcs if s["kind"] in (1, 2)]
        self.volume = [s for s in srcs if s["kind"] == 2][0]
        self.phantoms = [s for s in srcs if s["kind"] == 3][0]["slices"]
        self.device = device
        self.rng = np.random.default_rng(seed)
        self.gen = torch.Generator(device=device)
        self.gen.manual_seed(seed)
        T = 1000
        s = 0.008
        f0 = math.cos(s / (1 + s) * math.pi / 2)
        ab = [1.0] + [max((math.cos((t / T + s) / (1 + s) * math.pi / 2) ** 2) / f0 ** 2, 1e-9) for t in range(1, T + 1)]
        self.alpha_bar = torch.tensor(ab, dtype=torch.float64, device=device)
        self.nts = torch.sqrt((1 - self.alpha_bar) / self.alpha_bar)

    def crops(self, n, size):
        """Clean centre / previous / next patches [n,size,size] and whether neighbours exist."""
        rng = self.rng
        c, p, q, has = [], [], [], []
        for _ in range(n):
            u = rng.random()
            if u < 0.35:
                img = self.phantoms[rng.integers(len(self.phantoms))]
                tr = rng.integers(8)  # Java draws fresh phantoms without flips; the pool is finite, so flip it
                c.append(transform(img, tr)); p.append(None); q.append(None); has.append(False)
                continue
            if u < 0.7:
                src = self.natural[rng.integers(len(self.natural))]
            elif rng.random() < 0.75:
                src = self.volume
            else:
                src = self.dicom[rng.integers(len(self.dicom))]
            if src["w"] < size or src["h"] < size:
                src = self.natural[0]
            ns = src["slices"].shape[0]
            k = 0 if ns == 1 else 1 + rng.integers(ns - 2)
            x0, y0 = rng.integers(src["w"] - size + 1), rng.integers(src["h"] - size + 1)
            tr = rng.integers(8)
            cut = lambda j: transform(src["slices"][j, y0:y0 + size, x0:x0 + size], tr)
            c.append(cut(k))
            if src["kind"] == 2:
                lo, sc = src["low"], src["scale"]
                ren = lambda j: (cut(j) * float(sc[j]) + float(lo[j] - lo[k])) / float(sc[k])
                p.append(ren(k - 1)); q.append(ren(k + 1))
                has.append(rng.random() < 0.5)
            else:
                p.append(None); q.append(None); has.append(False)
        centre = torch.stack(c)
        prev = torch.stack([a if a is not None else centre[i] for i, a in enumerate(p)])
        nxt = torch.stack([a if a is not None else centre[i] for i, a in enumerate(q)])
        return centre, prev, nxt, torch.tensor(has, device=self.device)

    def batch(self, n, size):
        dev, g = self.device, self.gen
        clean, prev, nxt, has = self.crops(n, size)
        U = lambda: torch.rand(n, device=dev, generator=g)
        N = lambda *s: torch.randn(*s, device=dev, generator=g)
        gain, offset = 0.8 + 0.4 * U(), -0.05 + 0.1 * U()
        u = U()
        fam = torch.where(u < 0.5, 0, torch.where(u < 0.8, 1, 2))
        sigma = torch.exp(math.log(self.SIGMA_MIN) + U() * math.log(self.SIGMA_MAX / self.SIGMA_MIN))
        rician = fam == 0
        post = torch.where(rician, -sigma * (0.05 + 0.1 * U()), torch.zeros_like(sigma))
        pct = (5 + 45 * U()) / 100
        sorted_c = clean.flatten(1).sort(dim=1).values
        idx = torch.round(pct * (size * size - 1)).long()
        floor = torch.where(rician & (U() < 0.5), sorted_c.gather(1, idx[:, None])[:, 0] * gain, torch.zeros_like(gain))
        pre = torch.where(rician, torch.zeros_like(offset), offset)
        B = lambda v: v[:, None, None]

        def shape(x):
            v = x * B(gain) + B(pre)
            return torch.where(B(rician), torch.clamp(v - B(floor), min=0), v)

        clean, prev, nxt = shape(clean), shape(prev), shape(nxt)
        read_share = 0.05 + 0.45 * U()
        read = sigma * torch.sqrt(read_share)
        mean_signal = torch.clamp(torch.clamp(clean, min=0).flatten(1).mean(1), min=0.05)
        pg_gain = sigma ** 2 * (1 - read_share) / mean_signal

        def degrade(x):
            n1, n2 = N(*x.shape), N(*x.shape)
            ric = torch.sqrt((x + B(sigma) * n1) ** 2 + (B(sigma) * n2) ** 2)
            ct = x + B(sigma) * n1
            pg = x + torch.sqrt(B(pg_gain) * torch.clamp(x, min=0) + B(read) ** 2) * n1
            return torch.where(B(fam == 0), ric, torch.where(B(fam == 1), pg, ct))

        y = degrade(clean)
        prev = torch.where(B(has), degrade(prev), y)
        nxt = torch.where(B(has), degrade(nxt), y)
        blur = F.avg_pool2d(F.pad(y[:, None], (2, 2, 2, 2), mode="reflect"), 5, stride=1)[:, 0]
        smap = torch.where(B(fam == 1), torch.sqrt(B(pg_gain) * torch.clamp(blur, min=0) + B(read) ** 2),
                           B(sigma).expand_as(y))
        clean, y = clean + B(post), y + B(post)
        prev = torch.where(B(has), prev + B(post), y)
        nxt = torch.where(B(has), nxt + B(post), y)
        sig_eff = torch.sqrt((smap.double() ** 2).flatten(1).mean(1))
        tstar = torch.searchsorted(self.nts[1:].contiguous(), sig_eff.contiguous()) + 1
        tstar = torch.clamp(tstar, max=1000)
        at_start = U() < 0.4
        t = torch.where(at_start, tstar, 1 + torch.floor(U().double() * tstar).long().clamp(max=999))
        t = torch.minimum(t, tstar)
        ab = self.alpha_bar[t]
        sa, sn = B(torch.sqrt(ab).float()), B(torch.sqrt(1 - ab).float())
        own = U() < 0.5
        eps = torch.where(B(own), (y - clean) / B(sig_eff.float()), N(*y.shape))
        xt = torch.where(B(at_start), sa * y, sa * clean + sn * eps)
        cond = torch.stack([y, prev, nxt, smap], 1)
        famv = F.one_hot(fam, FAMILIES).float()
        return xt[:, None], cond, (t.float() / 1000), ab.float(), famv, clean[:, None]


def transform(img, tr):
    if tr & 1:
        img = img.flip(-1)
    if tr & 2:
        img = img.flip(-2)
    if tr & 4:
        img = img.transpose(-1, -2)
    return img


# ---------------------------------------------------------------- check and train

def check(weights, reference, channels="32,64,96", blocks=2, attention=False):
    m = UNet(tuple(int(c) for c in channels.split(",")), blocks, attention=attention)
    load_java_weights(m, read_ddw(weights))
    with open(reference, "rb") as f:
        n, s = struct.unpack("<ii", f.read(8))
        a = np.frombuffer(f.read(), dtype="<f4")
    sizes = [n * s * s, n * s * s * 4, n, n, n * 3, n * s * s, n * s * s]
    parts, o = [], 0
    for z in sizes:
        parts.append(torch.from_numpy(a[o:o + z].copy()))
        o += z
    xt, cond, t, ab, fam, clean, x0 = parts
    xt = xt.view(n, s, s, 1).permute(0, 3, 1, 2)
    cond = cond.view(n, s, s, 4).permute(0, 3, 1, 2)
    with torch.no_grad():
        out = m(xt, cond, t, ab, fam.view(n, 3)).permute(0, 2, 3, 1).reshape(-1)
    d = (out - x0).abs().max().item()
    mse_java = ((x0 - clean) ** 2).mean().item()
    mse_torch = ((out - clean) ** 2).mean().item()
    print(f"max |torch - java| = {d:.3g}; x0 MSE java {mse_java:.6g} torch {mse_torch:.6g}")
    return d


def train(a):
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    torch.backends.cudnn.benchmark = True
    torch.manual_seed(a.seed)
    ch = tuple(int(c) for c in a.channels.split(","))
    m = UNet(ch, a.blocks, attention=a.attention).to(dev)
    note = "fresh"
    if a.init:
        missing = load_java_weights(m, read_ddw(a.init), strict=False)
        note = f"init from {os.path.basename(a.init)}; {len(missing)} new parameters at initial values"
    m = m.to(memory_format=torch.channels_last)
    ema = {k: v.detach().clone() for k, v in m.state_dict().items()}
    opt = torch.optim.Adam(m.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    sampler = Sampler(read_data(a.data, dev), dev, a.seed)
    os.makedirs(a.out, exist_ok=True)
    log = open(os.path.join(a.out, "train.log"), "a")
    nparams = sum(p.numel() for p in m.parameters())

    def say(s):
        line = time.strftime("%H:%M:%S ") + s
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    say(f"{a.name}: channels {ch} blocks {a.blocks} attention {a.attention} params {nparams}; {note}; "
        f"batch {a.batch} x {a.patch}^2 lr {a.lr} for {a.minutes} min on {dev}")
    t0, step, running = time.time(), 0, None
    budget = a.minutes * 60
    while True:
        el = time.time() - t0
        if el >= budget or (a.steps and step >= a.steps):
            break
        f = el / budget
        lr = a.lr * min(1.0, (step + 1) / a.warmup) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * f)))
        for gp in opt.param_groups:
            gp["lr"] = lr
        xt, cond, t, ab, fam, clean = sampler.batch(a.batch, a.patch)
        x0 = m(xt.contiguous(memory_format=torch.channels_last), cond.contiguous(memory_format=torch.channels_last), t, ab, fam)
        per = ((x0 - clean) ** 2).flatten(1).mean(1)
        obj = torch.log(per + 1e-7).mean()
        opt.zero_grad(set_to_none=True)
        obj.backward()
        opt.step()
        step += 1
        d = min(0.999 if a.ema is None else a.ema, (1 + step) / (10 + step))
        with torch.no_grad():
            for k, v in m.state_dict().items():
                if v.dtype.is_floating_point:
                    ema[k].mul_(d).add_(v.detach(), alpha=1 - d)
        if step % 200 == 0:
            l = per.mean().item()
            running = l if running is None else 0.9 * running + 0.1 * l
            say(f"step {step} mse {l:.6f} running {running:.6f} lr {lr:.2e} {step / (time.time() - t0):.1f} steps/s")
        if step % 5000 == 0:
            save(m, ema, a, step)
    save(m, ema, a, step)
    say(f"done: {step} steps in {(time.time() - t0) / 60:.1f} min")


def save(m, ema, a, step):
    raw = {k: v.detach().clone() for k, v in m.state_dict().items()}
    m.load_state_dict(ema)
    write_ddw(os.path.join(a.out, a.name + ".ddw"), m)
    m.load_state_dict(raw)
    with open(os.path.join(a.out, a.name + ".json"), "w") as f:
        json.dump(dict(name=a.name, step=step, channels=a.channels, blocks=a.blocks, attention=a.attention,
                       batch=a.batch, patch=a.patch, lr=a.lr, init=a.init), f)


if __name__ == "__main__":
    if sys.argv[1] == "check":
        extra = sys.argv[4:]  # C0,C1,C2 BLOCKS ATTENTION, as for ExperimentIO
        cfg = dict(channels=extra[0], blocks=int(extra[1]), attention=extra[2] == "true") if extra else {}
        sys.exit(0 if check(sys.argv[2], sys.argv[3], **cfg) < 1e-3 else 1)
    p = argparse.ArgumentParser()
    p.add_argument("mode")
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--name", default="run")
    p.add_argument("--channels", default="32,64,96")
    p.add_argument("--blocks", type=int, default=2)
    p.add_argument("--attention", action="store_true")
    p.add_argument("--init")
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--patch", type=int, default=128)
    p.add_argument("--minutes", type=float, default=1.0)
    p.add_argument("--steps", type=int, default=0)
    p.add_argument("--ema", type=float)
    p.add_argument("--seed", type=int, default=1)
    train(p.parse_args())
