#!/usr/bin/env python3
"""Golden fixtures for src/core, computed by independent references.

What each fixture checks, and against what:
  adam_golden.json      torch.optim.Adam (coupled L2 decay) and torch.optim.AdamW
                        (decoupled decay) in float64, several steps; configurations
                        without bias correction (no torch switch) computed here in numpy.
  clip_golden.json      torch.nn.utils.clip_grad_norm_: returned norm and clipped grads.
                        PyTorch divides by (norm + 1e-6); the exact min(1, max/norm)
                        clipping of src/core is also stored, computed in numpy.
  fp16_golden.json      numpy's float64 -> np.float16 conversion (round to nearest even),
                        cross-checked here against exact rational arithmetic.
  schedule_golden.json  learning-rate schedules from PyTorch's own schedulers (LinearLR,
                        CosineAnnealingLR, ConstantLR chained by SequentialLR), and for
                        inverse-sqrt, which torch lacks, LambdaLR over Vaswani et al.'s
                        formula; see the notes above make_schedule for each case.

Regenerate (needs PyTorch and numpy; Debian: apt-get install python3-torch):
    /usr/bin/python3 scripts/golden/make_golden.py
The JSON files are checked in, so the unit tests never need PyTorch.
Output is deterministic: seeded numpy generators and float64 throughout.
"""

from __future__ import annotations

import json
import math
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import torch

OUT = Path(__file__).resolve().parents[2] / "src" / "core" / "fixtures"

torch.set_default_dtype(torch.float64)


def write(name: str, payload: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    meta = {
        "generator": "scripts/golden/make_golden.py",
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
    }
    path = OUT / name
    # allow_nan=False: JSON.parse rejects NaN/Infinity, so special values must be strings.
    path.write_text(json.dumps({"meta": meta, **payload}, allow_nan=False, indent=1) + "\n")
    print(f"wrote {path.relative_to(OUT.parents[2])}")


# ---------------------------------------------------------------- Adam / AdamW

ADAM_CASES = [
    # name, lrs per step (None = constant lr), betas, eps, weight decay, decoupled, bias correction
    dict(name="adam-default", lr=1e-3, betas=(0.9, 0.999), eps=1e-8, wd=0.0, decoupled=False, bc=True),
    dict(name="adam-l2-0.01", lr=1e-2, betas=(0.9, 0.999), eps=1e-8, wd=0.01, decoupled=False, bc=True),
    dict(name="adam-l2-gpt3-betas", lr=3e-3, betas=(0.9, 0.95), eps=1e-8, wd=0.1, decoupled=False, bc=True),
    dict(name="adamw-gpt3", lr=6e-4, betas=(0.9, 0.95), eps=1e-8, wd=0.1, decoupled=True, bc=True),
    dict(name="adamw-large-lr", lr=0.1, betas=(0.8, 0.99), eps=1e-6, wd=0.05, decoupled=True, bc=True),
    dict(name="adamw-no-decay", lr=1e-2, betas=(0.9, 0.999), eps=1e-8, wd=0.0, decoupled=True, bc=True),
    dict(name="adam-big-eps", lr=5e-2, betas=(0.5, 0.9), eps=1e-3, wd=0.1, decoupled=False, bc=True),
    # lr changes every step, as when a schedule drives the optimiser.
    dict(name="adamw-gpt3-scheduled", lr=[1e-4, 2e-4, 3e-4, 4e-4, 3.5e-4, 2.5e-4, 1.5e-4, 1e-4],
         betas=(0.9, 0.95), eps=1e-8, wd=0.1, decoupled=True, bc=True),
    dict(name="adam-no-bias-correction", lr=1e-2, betas=(0.9, 0.999), eps=1e-8, wd=0.01, decoupled=False, bc=False),
    dict(name="adamw-no-bias-correction", lr=6e-4, betas=(0.9, 0.95), eps=1e-8, wd=0.1, decoupled=True, bc=False),
    dict(name="adam-no-bias-correction-no-decay", lr=1e-3, betas=(0.9, 0.999), eps=1e-8, wd=0.0, decoupled=False, bc=False),
]
ADAM_STEPS = 8
ADAM_SIZE = 12


def adam_data(case_index: int) -> tuple[np.ndarray, list[np.ndarray]]:
    rng = np.random.default_rng(1000 + case_index)
    params = rng.normal(size=ADAM_SIZE)
    grads = []
    for _ in range(ADAM_STEPS):
        # Magnitudes from 1e-6 to 1e2 so that eps matters for some entries and not others.
        g = rng.normal(size=ADAM_SIZE) * 10.0 ** rng.uniform(-6, 2, size=ADAM_SIZE)
        g[0] = 0.0  # a parameter with no gradient still decays
        grads.append(g)
    return params, grads


def adam_torch(case: dict, params0: np.ndarray, grads: list[np.ndarray], lrs: list[float]):
    p = torch.nn.Parameter(torch.tensor(params0, dtype=torch.float64))
    cls = torch.optim.AdamW if case["decoupled"] else torch.optim.Adam
    opt = cls([p], lr=lrs[0], betas=case["betas"], eps=case["eps"], weight_decay=case["wd"])
    history = []
    for g, lr in zip(grads, lrs):
        for group in opt.param_groups:
            group["lr"] = lr
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        st = opt.state[p]
        history.append(dict(params=p.detach().numpy().tolist(), m=st["exp_avg"].numpy().tolist(),
                            v=st["exp_avg_sq"].numpy().tolist()))
    return history


def adam_numpy(case: dict, params0: np.ndarray, grads: list[np.ndarray], lrs: list[float]):
    """Written from the papers (Kingma & Ba; Loshchilov & Hutter), with bias correction optional."""
    b1, b2 = case["betas"]
    eps, wd = case["eps"], case["wd"]
    p = params0.copy()
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    history = []
    for t, (g, lr) in enumerate(zip(grads, lrs), start=1):
        g = g.copy()
        if case["decoupled"]:
            p = p * (1 - lr * wd)
        else:
            g = g + wd * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        if case["bc"]:
            m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        else:
            m_hat, v_hat = m, v
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
        history.append(dict(params=p.tolist(), m=m.tolist(), v=v.tolist()))
    return history


def make_adam() -> None:
    cases = []
    for i, case in enumerate(ADAM_CASES):
        params0, grads = adam_data(i)
        lrs = case["lr"] if isinstance(case["lr"], list) else [case["lr"]] * ADAM_STEPS
        assert len(lrs) == ADAM_STEPS
        if case["bc"]:
            history = adam_torch(case, params0, grads, lrs)
            reference = f"torch.optim.{'AdamW' if case['decoupled'] else 'Adam'}"
            # The paper-form numpy version must agree with torch: it is the reference for bc=False.
            for h, n in zip(history, adam_numpy(case, params0, grads, lrs)):
                np.testing.assert_allclose(h["params"], n["params"], rtol=1e-12, atol=0)
        else:
            history = adam_numpy(case, params0, grads, lrs)
            reference = "numpy (no bias correction)"
        cases.append(dict(
            name=case["name"], reference=reference,
            config=dict(beta1=case["betas"][0], beta2=case["betas"][1], eps=case["eps"],
                        weightDecay=case["wd"], decoupledWeightDecay=case["decoupled"],
                        biasCorrection=case["bc"]),
            lrs=lrs, params0=params0.tolist(), grads=[g.tolist() for g in grads], steps=history,
        ))
    write("adam_golden.json", dict(cases=cases))


# ---------------------------------------------------------------- gradient clipping

def make_clip() -> None:
    rng = np.random.default_rng(2024)
    shapes = [(4, 3), (7,), (2, 2, 2), (1,)]
    setups = [
        ("clipped", 1.0, 3.0),        # norm well above max_norm
        ("not-clipped", 100.0, 1.0),  # norm below max_norm: unchanged
        ("tiny-max", 1e-3, 1.0),
        ("large-grads", 1.0, 1e3),
        ("zero-grads", 1.0, 0.0),
    ]
    cases = []
    for name, max_norm, scale in setups:
        grads = [rng.normal(size=s) * scale for s in shapes]
        params = [torch.nn.Parameter(torch.zeros(s)) for s in shapes]
        for p, g in zip(params, grads):
            p.grad = torch.tensor(g)
        norm = float(torch.nn.utils.clip_grad_norm_(params, max_norm))
        exact = [g * min(1.0, max_norm / norm) if norm > 0 else g for g in grads]
        cases.append(dict(
            name=name, maxNorm=max_norm,
            grads=[g.ravel().tolist() for g in grads],
            norm=norm,
            clippedTorch=[p.grad.numpy().ravel().tolist() for p in params],
            clippedExact=[g.ravel().tolist() for g in exact],
        ))
    write("clip_golden.json", dict(torchEpsilon=1e-6, cases=cases))


# ---------------------------------------------------------------- float16

def fp16_exact(x: float) -> float:
    """Round-to-nearest-even binary16 by exact rational arithmetic (independent of numpy)."""
    if math.isnan(x) or math.isinf(x) or x == 0:
        return x
    a = Fraction(abs(x))
    if a >= 65520:
        return math.copysign(math.inf, x)
    e = max(math.floor(math.log2(a)), -14)
    # math.log2 can be off by one at binade edges; fix with exact comparisons.
    while e > -14 and Fraction(2) ** e > a:
        e -= 1
    while Fraction(2) ** (e + 1) <= a:
        e += 1
    quantum = Fraction(2) ** (max(e, -14) - 10)
    q = a / quantum
    n = math.floor(q)
    rem = q - n
    if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and n % 2 == 1):
        n += 1
    return math.copysign(float(n * quantum), x)


def js_number_string(x: float) -> str:
    """A string that JavaScript's Number() parses to exactly x (incl. -0, NaN, +/-Infinity)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return repr(x)  # shortest round-trip repr; '-0.0' parses to -0


def make_fp16() -> None:
    values: list[float] = [
        0.0, -0.0, math.nan, math.inf, -math.inf,
        1.0, -1.0, 0.1, 1 / 3, math.pi, -math.e, 2.0 / 3.0,
        65504.0, -65504.0, 65519.99, 65519.999999, 65520.0, -65520.0, 65536.0, 1e5, 1e300, -1e300,
        65505.0, 65510.0, 65512.0, 65513.0,  # between max and the tie
        2.0**-14, 2.0**-14 * (1 - 2.0**-11), 2.0**-14 - 2.0**-25,  # normal/subnormal border
        2.0**-24, -(2.0**-24), 2.0**-25, -(2.0**-25), 2.0**-25 * (1 + 2.0**-30), 2.0**-26,
        1.5 * 2.0**-24, 2.5 * 2.0**-24, 3.5 * 2.0**-24, 1e-8, 6e-8, 5.9604644775390625e-08,
        1e-10, -1e-10, 5e-324, -5e-324, 2.2250738585072014e-308,
        # ties between fp16 neighbours: 1 + k/2048 for odd k rounds to even mantissa
        1 + 1 / 2048, 1 + 3 / 2048, 1 + 5 / 2048, 2049.0, 2051.0, 2053.0, 4097.0, 4098.0, 4099.0, 4102.0,
        # just off the ties (double rounding through float32 would get these wrong)
        1 + 2.0**-11 + 2.0**-40, 1 + 2.0**-11 - 2.0**-40, 2049.0 + 2.0**-30, 2049.0 - 2.0**-30,
        # powers of two and just below them (exponent detection at binade edges)
        *[2.0**k for k in range(-14, 16)],
        *[2.0**k * (1 - 2.0**-52) for k in range(-13, 16)],
        *[2.0**k * (1 - 2.0**-12) for k in range(-13, 16)],
        0.00006103515625, 0.000060975551605224609375, 1024.5, 1025.5, 2047.5, 2047.75, 0.5 + 2.0**-12,
    ]
    rng = np.random.default_rng(16)
    # Random values across every fp16 exponent, both signs, plus random exact ties.
    exps = rng.uniform(-27, 17, size=400)
    signs = rng.choice([-1.0, 1.0], size=400)
    values += (signs * 2.0**exps).tolist()
    mant = rng.integers(0, 1024, size=60)
    ex = rng.integers(-14, 16, size=60)
    values += [float((1024 + int(m) + 0.5) * 2.0 ** (int(e) - 10)) for m, e in zip(mant, ex)]
    values += rng.normal(scale=1e-3, size=60).tolist()  # gradient-like magnitudes

    cases = []
    for x in values:
        with np.errstate(over="ignore"):  # overflow to inf is the point of some cases
            h = np.float16(np.float64(x))
        hv = float(h)
        exact = fp16_exact(x)
        same = (math.isnan(hv) and math.isnan(exact)) or (
            hv == exact and math.copysign(1, hv) == math.copysign(1, exact))
        if not same:
            raise SystemExit(f"numpy and exact rounding disagree on {x!r}: {hv!r} vs {exact!r}")
        cases.append(dict(x=js_number_string(x), f16=js_number_string(hv),
                          bits=int(np.array(h).view(np.uint16))))
    write("fp16_golden.json", dict(cases=cases))


# ---------------------------------------------------------------- learning-rate schedules
#
# The reference is PyTorch's own schedulers (torch.optim.lr_scheduler, 1.13),
# driven over a dummy SGD optimiser the way a training loop drives them: read
# optimizer.param_groups[0]["lr"] for step s, then optimizer.step() and
# scheduler.step(). Each piece of src/core/schedule.ts maps to a scheduler:
#   warmup (s + 1) / W, s < W   LinearLR(start_factor=1/W, end_factor=1, total_iters=W-1):
#                               its factor is 1/W + (1 - 1/W) e / (W - 1) = (e + 1) / W.
#                               W = 1 gives total_iters=0: factor 1 at its only step.
#   constant                    nothing after the warmup (LinearLR holds factor 1 past
#                               total_iters); with W = 0 no scheduler at all.
#   linear to peak * r          LinearLR(start_factor=1, end_factor=r, total_iters=D), which
#                               holds r past D, as our clamp of p does.
#   cosine to peak * r          CosineAnnealingLR(T_max=D, eta_min=peak * r), then
#                               ConstantLR(factor=r, total_iters=10**9) from step W + D on.
#   inverse-sqrt                LambdaLR: torch has no such scheduler. The lambda is
#                               Vaswani et al. (2017), eq. 3, transcribed: with n = s + 1,
#                               lr = peak sqrt(W) min(n^-0.5, n W^-1.5) (the paper's d^-0.5
#                               replaced by the peak it implies), whose warmup branch is our
#                               (s + 1) / W. The paper needs W >= 1; ours uses max(1, W).
#   the switch at W             SequentialLR(milestones=[W] or [W, W + D]); it restarts the
#                               next scheduler with step(0), which evaluates its closed form.
# where D = max(1, totalSteps - W) is the decay's length in schedule.ts.
#
# Where torch and schedule.ts are not the same function, the cases are built so
# they agree rather than stretching either:
#   - CosineAnnealingLR is periodic: past T_max it rises again. schedule.ts holds
#     the floor, so the cosine cases chain ConstantLR at the floor from W + D on.
#   - CosineAnnealingLR and LinearLR update recursively (this step's lr from the
#     last one), so they drift from the closed forms by rounding: at most 7e-15
#     relative on these cases when this was written; the test allows 1e-12.
#   - Warmup with W = 0 is no scheduler at all (LinearLR would need 1/0).

def schedule_torch(kind: str, peak: float, warmup: int, total: int, min_ratio: float, steps: int):
    """lr at steps 0..steps-1 from torch's schedulers, and a description of the chain used."""
    from torch.optim import lr_scheduler as L
    import warnings

    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=peak)
    decay_len = max(1, total - warmup)
    floor = peak * min_ratio
    parts: list = []
    names: list[str] = []
    milestones: list[int] = []
    with warnings.catch_warnings():
        # SequentialLR calls step(0) at a milestone, which torch flags as deprecated.
        warnings.simplefilter("ignore", UserWarning)
        if kind == "inverse-sqrt":
            w = max(1, warmup)
            parts.append(L.LambdaLR(opt, lambda e: math.sqrt(w) * min((e + 1) ** -0.5, (e + 1) * w ** -1.5)))
            names.append(f"LambdaLR(Vaswani et al. eq. 3, warmup {w})")
        else:
            if warmup > 0:
                parts.append(L.LinearLR(opt, start_factor=1 / warmup, end_factor=1.0, total_iters=warmup - 1))
                names.append(f"LinearLR(1/{warmup}, 1, {warmup - 1})")
            if kind == "linear":
                parts.append(L.LinearLR(opt, start_factor=1.0, end_factor=min_ratio, total_iters=decay_len))
                names.append(f"LinearLR(1, {min_ratio}, {decay_len})")
            elif kind == "cosine":
                parts.append(L.CosineAnnealingLR(opt, T_max=decay_len, eta_min=floor))
                parts.append(L.ConstantLR(opt, factor=min_ratio, total_iters=10**9))
                names += [f"CosineAnnealingLR({decay_len}, eta_min={floor!r})", f"ConstantLR({min_ratio})"]
            elif kind != "constant":
                raise ValueError(kind)
            if len(parts) >= 2:
                milestones = [warmup, warmup + decay_len][: len(parts) - 1]
                if warmup == 0:  # no warmup scheduler: cosine then its floor
                    milestones = [decay_len]
        if len(parts) == 0:
            sched, what = None, "none (constant lr)"
        elif len(parts) == 1:
            sched, what = parts[0], names[0]
        else:
            sched = L.SequentialLR(opt, parts, milestones=milestones)
            what = f"SequentialLR([{', '.join(names)}], milestones={milestones})"
        lrs = []
        for _ in range(steps):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            if sched is not None:
                sched.step()
    return lrs, "torch.optim.lr_scheduler: " + what


def make_schedule() -> None:
    configs = []
    for kind in ["constant", "linear", "cosine", "inverse-sqrt"]:
        for peak, warmup, total, min_ratio in [
            (6e-4, 10, 100, 0.1),    # GPT-3-like: warmup then decay to 10%
            (1e-3, 0, 50, 0.0),      # no warmup, decay to zero
            (3e-3, 25, 25, 0.1),     # warmup takes the whole run
            (1.0, 1, 2, 0.5),        # degenerate tiny run
            (2e-4, 40, 30, 0.2),     # warmup longer than the run
        ]:
            cfg = dict(kind=kind, lr=peak, warmupSteps=warmup, totalSteps=total, minLrRatio=min_ratio)
            steps = list(range(0, max(total, warmup) + 15))
            lrs, reference = schedule_torch(kind, peak, warmup, total, min_ratio, len(steps))
            configs.append(dict(reference=reference, config=cfg, steps=steps, lrs=lrs))
    write("schedule_golden.json", dict(cases=configs))


if __name__ == "__main__":
    make_adam()
    make_clip()
    make_fp16()
    make_schedule()
