#!/usr/bin/env python3
"""Golden fixture for src/core/optim: SGD against PyTorch, AdaFactor against numpy.

What src/core/fixtures/optim_golden.json checks, and against what:
  sgd        torch.optim.SGD in float64 (plain, momentum, Nesterov, coupled weight
             decay, a changing lr), several steps on a fixed parameter vector with a
             fixed gradient sequence. Cross-checked here against a numpy version
             written from the update rule.
  adafactor  PyTorch 1.13 has no Adafactor, so the reference is the numpy version
             below, written from Shazeer & Stern (2018), Algorithms 4 (matrix) and
             5 (vector), with whole-array operations (np.outer, .sum(axis=...)) where
             src/core/optim/adafactor.ts loops: the two share no code or structure.
             Cases: a [3, 4] matrix and a [5] vector under the paper's defaults, plus
             momentum, a fixed lr, a tight clipping threshold and another decay rate.

Regenerate (needs PyTorch and numpy; Debian: apt-get install python3-torch):
    /usr/bin/python3 scripts/golden/optim_golden.py
The JSON file is checked in, so the unit tests never need PyTorch.
Deterministic: seeded numpy generators and float64 throughout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch

OUT = Path(__file__).resolve().parents[2] / "src" / "core" / "fixtures" / "optim_golden.json"

torch.set_default_dtype(torch.float64)


# ---------------------------------------------------------------- SGD

SGD_CASES = [
    dict(name="sgd", lr=0.1, momentum=0.0, wd=0.0, nesterov=False),
    dict(name="sgd-weight-decay", lr=0.05, momentum=0.0, wd=0.1, nesterov=False),
    dict(name="momentum-0.9", lr=0.01, momentum=0.9, wd=0.0, nesterov=False),
    dict(name="momentum-weight-decay", lr=0.02, momentum=0.5, wd=0.01, nesterov=False),
    dict(name="nesterov", lr=0.01, momentum=0.9, wd=0.001, nesterov=True),
    # lr changes every step, as when a schedule drives the optimiser.
    dict(name="momentum-scheduled", lr=[0.1, 0.08, 0.06, 0.04, 0.03, 0.02], momentum=0.9, wd=0.0, nesterov=False),
]
SGD_STEPS = 6
SGD_SIZE = 7


def sgd_data(case_index: int) -> tuple[np.ndarray, list[np.ndarray]]:
    rng = np.random.default_rng(3000 + case_index)
    params = rng.normal(size=SGD_SIZE)
    grads = [rng.normal(size=SGD_SIZE) * 10.0 ** rng.uniform(-3, 1, size=SGD_SIZE) for _ in range(SGD_STEPS)]
    for g in grads:
        g[0] = 0.0  # a parameter with no gradient: only decay (and momentum) move it
    return params, grads


def sgd_torch(case: dict, params0: np.ndarray, grads: list[np.ndarray], lrs: list[float]) -> list[dict]:
    p = torch.nn.Parameter(torch.tensor(params0))
    opt = torch.optim.SGD([p], lr=lrs[0], momentum=case["momentum"], weight_decay=case["wd"],
                          nesterov=case["nesterov"])
    history = []
    for g, lr in zip(grads, lrs):
        for group in opt.param_groups:
            group["lr"] = lr
        p.grad = torch.tensor(g)
        opt.step()
        buf = opt.state[p].get("momentum_buffer")
        history.append(dict(params=p.detach().numpy().tolist(),
                            buffer=None if buf is None else buf.numpy().tolist()))
    return history


def sgd_numpy(case: dict, params0: np.ndarray, grads: list[np.ndarray], lrs: list[float]) -> list[np.ndarray]:
    mu, wd = case["momentum"], case["wd"]
    p, buf = params0.copy(), np.zeros_like(params0)
    out = []
    for g, lr in zip(grads, lrs):
        g = g + wd * p
        buf = mu * buf + g
        step = (g + mu * buf if case["nesterov"] else buf) if mu > 0 else g
        p = p - lr * step
        out.append(p)
    return out


def make_sgd() -> list[dict]:
    cases = []
    for i, case in enumerate(SGD_CASES):
        params0, grads = sgd_data(i)
        lrs = case["lr"] if isinstance(case["lr"], list) else [case["lr"]] * SGD_STEPS
        assert len(lrs) == SGD_STEPS
        history = sgd_torch(case, params0, grads, lrs)
        for h, n in zip(history, sgd_numpy(case, params0, grads, lrs)):
            np.testing.assert_allclose(h["params"], n, rtol=1e-13, atol=1e-15)
        cases.append(dict(
            name=case["name"], reference="torch.optim.SGD",
            config=dict(momentum=case["momentum"], weightDecay=case["wd"], nesterov=case["nesterov"]),
            lrs=lrs, params0=params0.tolist(), grads=[g.tolist() for g in grads], steps=history,
        ))
    return cases


# ---------------------------------------------------------------- AdaFactor

PAPER_DEFAULTS = dict(relativeStep=True, lr=0.0, maxRelativeStep=1e-2, decayRate=-0.8, beta1=0.0,
                      eps1=1e-30, eps2=1e-3, clipThreshold=1.0)


def rms(a: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(a))))


def adafactor_numpy(cfg: dict, x0: np.ndarray, grads: list[np.ndarray]) -> list[dict]:
    """Algorithm 4 when x0 is 2-D, Algorithm 5 when it is 1-D; momentum on the final step if beta1 > 0."""
    x = x0.copy()
    factored = x.ndim == 2
    if factored:
        row_stat, col_stat = np.zeros(x.shape[0]), np.zeros(x.shape[1])
    else:
        v = np.zeros_like(x)
    m = np.zeros_like(x)
    history = []
    for t, g in enumerate(grads, start=1):
        beta2 = 1.0 - t ** cfg["decayRate"]
        sq = np.square(g) + cfg["eps1"]
        if factored:
            row_stat = beta2 * row_stat + (1 - beta2) * sq.sum(axis=1)
            col_stat = beta2 * col_stat + (1 - beta2) * sq.sum(axis=0)
            v_hat = np.outer(row_stat, col_stat) / row_stat.sum()
        else:
            v = beta2 * v + (1 - beta2) * sq
            v_hat = v
        u = g / np.sqrt(v_hat)
        divisor = max(1.0, rms(u) / cfg["clipThreshold"])
        if cfg["relativeStep"]:
            alpha = max(cfg["eps2"], rms(x)) * min(cfg["maxRelativeStep"], 1.0 / np.sqrt(t))
        else:
            alpha = cfg["lr"]
        step = alpha * (u / divisor)
        if cfg["beta1"] > 0:
            m = cfg["beta1"] * m + (1 - cfg["beta1"]) * step
            step = m
        x = x - step
        record = dict(params=x.ravel().tolist(), beta2=beta2, updateRms=rms(u), clipDivisor=divisor,
                      alpha=float(alpha), secondMoment=v_hat.ravel().tolist())
        if factored:
            record.update(R=row_stat.tolist(), C=col_stat.tolist())
        else:
            record.update(v=v.tolist())
        if cfg["beta1"] > 0:
            record.update(m=m.ravel().tolist())
        history.append(record)
    return history


ADAFACTOR_CASES = [
    # name, shape, config overrides, gradient scale per step
    dict(name="matrix-paper-defaults", shape=(3, 4), cfg={}),
    dict(name="vector-paper-defaults", shape=(5,), cfg={}),
    dict(name="matrix-momentum", shape=(3, 4), cfg=dict(beta1=0.9)),
    dict(name="vector-momentum", shape=(5,), cfg=dict(beta1=0.9)),
    dict(name="matrix-fixed-lr", shape=(3, 4), cfg=dict(relativeStep=False, lr=0.05)),
    dict(name="matrix-tight-clipping", shape=(3, 4), cfg=dict(clipThreshold=0.5, decayRate=-0.5)),
    dict(name="vector-fixed-lr-slow-decay", shape=(5,), cfg=dict(relativeStep=False, lr=0.02, decayRate=-0.3)),
    # zero-initialised parameters: the step is eps2-sized until they grow
    dict(name="matrix-zero-init", shape=(3, 4), cfg={}, zero_init=True),
]
ADAFACTOR_STEPS = 6
# A jump in gradient scale (step 4) with a slow-to-adapt v is what update clipping is for.
GRAD_SCALES = [1.0, 0.5, 1.0, 20.0, 0.1, 1.0]


def adafactor_data(case_index: int, shape: tuple, zero_init: bool) -> tuple[np.ndarray, list[np.ndarray]]:
    rng = np.random.default_rng(4000 + case_index)
    x0 = np.zeros(shape) if zero_init else rng.normal(size=shape)
    grads = []
    for scale in GRAD_SCALES:
        g = rng.normal(size=shape) * scale
        g.flat[1] = 0.0  # one entry never gets a gradient: eps1 keeps its V positive
        grads.append(g)
    return x0, grads


def make_adafactor() -> list[dict]:
    cases = []
    for i, case in enumerate(ADAFACTOR_CASES):
        cfg = {**PAPER_DEFAULTS, **case["cfg"]}
        x0, grads = adafactor_data(i, case["shape"], case.get("zero_init", False))
        history = adafactor_numpy(cfg, x0, grads)
        cases.append(dict(name=case["name"], reference="numpy, from the paper's Algorithms 4/5",
                          shape=list(case["shape"]), config=cfg, params0=x0.ravel().tolist(),
                          grads=[g.ravel().tolist() for g in grads], steps=history))
    clipped = [s["clipDivisor"] > 1 for c in cases for s in c["steps"]]
    assert any(clipped) and not all(clipped), "the fixture should exercise clipping on some steps only"
    return cases


def main() -> None:
    meta = {"generator": "scripts/golden/optim_golden.py", "torch": torch.__version__,
            "numpy": np.__version__, "python": sys.version.split()[0]}
    payload = {"meta": meta, "sgd": make_sgd(), "adafactor": make_adafactor()}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(payload, allow_nan=False, indent=1) + "\n")
    print(f"wrote {OUT.relative_to(OUT.parents[3])}")


if __name__ == "__main__":
    main()
