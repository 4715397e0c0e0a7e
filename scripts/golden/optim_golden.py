#!/usr/bin/env python3
"""Golden fixture for src/core/optim: SGD against PyTorch, AdaFactor against the paper.

What src/core/fixtures/optim_golden.json checks, and against what:
  sgd        torch.optim.SGD in float64 (plain, momentum, Nesterov, coupled weight
             decay, a changing lr), several steps on a fixed parameter vector with a
             fixed gradient sequence. Cross-checked here against a numpy version
             written from the update rule.
  adafactor  PyTorch 1.13 has no Adafactor. The paper's own cases (no momentum, relative
             step) come from Shazeer & Stern (2018)'s Algorithms 4 (matrix) and 5 (vector)
             transcribed line by line, and are cross-checked against Hugging Face
             transformers' formulation (row and column means, rsqrt factors); the cases
             of choices the paper's boxes lack (momentum, an absolute lr) come from that
             formulation, as documented there. See the notes above adafactor_paper.
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
#
# PyTorch 1.13 has no Adafactor. Two references, neither derived from our code:
#
# 1. adafactor_paper: Shazeer & Stern (2018), "Adafactor: Adaptive Learning Rates
#    with Sublinear Memory Cost", Algorithm 4 (X in R^{n x m}) and Algorithm 5
#    (X in R^n), transcribed line by line in the paper's order and notation,
#    with the hyperparameters the paper proposes: eps1 = 1e-30,
#    eps2 = 1e-3, d = 1, rho_t = min(1e-2, 1/sqrt(t)), beta2hat_t = 1 - t^-0.8.
#    The boxes have no momentum and no absolute step size.
#
# 2. adafactor_published: the update as Hugging Face transformers' Adafactor
#    (transformers.optimization, a port of fairseq's) documents and computes it,
#    written here in numpy in that formulation: running *means* of G^2 + eps1
#    over rows and columns (not the paper's sums), the estimate as
#    rsqrt(row / mean(row)) * rsqrt(col), the update divided by
#    max(1, RMS(U)/clip_threshold), then multiplied by the step size
#    lr = max(eps2, RMS(X_{t-1})) * min(1e-2, 1/sqrt(t)) (relative_step=True,
#    scale_parameter=True) or the external lr (relative_step=False,
#    scale_parameter=False, the documented setting for a manual schedule), and
#    with beta1 set, exp_avg = beta1 exp_avg + (1 - beta1) * (that scaled,
#    clipped update), which is what is subtracted.
#
# Where the published implementation differs from the paper:
#   - row and column means instead of sums: the state is the paper's R / m and
#     C / n, and V_hat = R C / sum(R) is the same (checked below, case by case);
#   - eps1 is added to G^2 before the reductions in both, and the clipping
#     divides by the RMS of the unclipped U_t in both: no difference there;
#   - momentum (beta1) and an absolute lr exist only in the implementation, as
#     do warmup_init (rho_t = min(1e-6 t, 1/sqrt(t))) and weight_decay, which we
#     do not implement; transformers factors every tensor of rank >= 2 over its
#     last two dimensions, we only matrices.
#
# Our implementation (src/core/optim/adafactor.ts) follows the paper, keeping
# the paper's sums R_t and C_t as its state, and takes two choices from the
# published implementation, which the fixture's cases test as documented there:
#   - beta1 > 0: momentum on the final step alpha_t * U_hat_t (not on G_t, as in
#     Adam): reference adafactor_published;
#   - relativeStep false: alpha_t = lr, i.e. relative_step=False,
#     scale_parameter=False: reference adafactor_published.
# The other cases use adafactor_paper, and adafactor_published must agree with
# it on each of them (rtol 1e-12), its means converted to the paper's sums.
# When this was written, transformers 4.57.6's own Adafactor class, run once on
# every case of the fixture (float64, the settings above), reproduced the
# fixture's parameters to 3e-14 relative; that check needs transformers, which
# Debian does not package, so it is not part of this script.

PAPER_DEFAULTS = dict(relativeStep=True, lr=0.0, maxRelativeStep=1e-2, decayRate=-0.8, beta1=0.0,
                      eps1=1e-30, eps2=1e-3, clipThreshold=1.0)


def rms(a: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(a))))


def adafactor_paper(cfg: dict, X_0: np.ndarray, gradients: list[np.ndarray]) -> list[dict]:
    """Algorithm 4 (X_0 is n x m) or Algorithm 5 (X_0 is a vector), line by line."""
    assert cfg["beta1"] == 0 and cfg["relativeStep"] and cfg["maxRelativeStep"] == 1e-2, "not in the paper's boxes"
    eps1, eps2, d, c = cfg["eps1"], cfg["eps2"], cfg["clipThreshold"], cfg["decayRate"]
    X = X_0.copy()
    matrix = X.ndim == 2
    if matrix:
        n, m = X.shape
        ones_n, ones_m = np.ones((n, 1)), np.ones((m, 1))
        R = np.zeros((n, 1))      # R_0, a column vector
        C = np.zeros((1, m))      # C_0, a row vector
    else:
        ones_n = np.ones(X.shape)
        V_hat = np.zeros(X.shape)  # V_hat_0
    history = []
    for t, G in enumerate(gradients, start=1):
        X_prev = X
        rho = min(1e-2, 1 / np.sqrt(t))              # relative step size rho_t
        beta2hat = 1 - t ** c                        # beta2hat_t; beta2hat_1 = 0
        # G_t = grad f_t(X_{t-1}): given.
        if matrix:
            R = beta2hat * R + (1 - beta2hat) * (G**2 + eps1 * ones_n @ ones_m.T) @ ones_m
            C = beta2hat * C + (1 - beta2hat) * ones_n.T @ (G**2 + eps1 * ones_n @ ones_m.T)
            V_hat = (R @ C) / (ones_n.T @ R)
        else:
            V_hat = beta2hat * V_hat + (1 - beta2hat) * (G**2 + eps1 * ones_n)
        U = G / np.sqrt(V_hat)
        U_hat = U / max(1.0, rms(U) / d)
        alpha = max(eps2, rms(X_prev)) * rho
        X = X_prev - alpha * U_hat
        record = dict(params=X.ravel().tolist(), beta2=beta2hat, updateRms=rms(U), clipDivisor=max(1.0, rms(U) / d),
                      alpha=float(alpha), secondMoment=V_hat.ravel().tolist())
        if matrix:
            record.update(R=R.ravel().tolist(), C=C.ravel().tolist())
        else:
            record.update(v=V_hat.tolist())
        history.append(record)
    return history


def adafactor_published(cfg: dict, x0: np.ndarray, grads: list[np.ndarray]) -> list[dict]:
    """transformers' (fairseq's) formulation, in numpy; R and C recorded as the paper's sums."""
    eps = (cfg["eps1"], cfg["eps2"])
    beta1 = cfg["beta1"] if cfg["beta1"] > 0 else None
    p = x0.copy()
    factored = p.ndim >= 2
    if factored:
        row, col = np.zeros(p.shape[:-1]), np.zeros(p.shape[:-2] + p.shape[-1:])
    else:
        sq_avg = np.zeros_like(p)
    exp_avg = np.zeros_like(p)
    history = []
    for step, grad in enumerate(grads, start=1):
        param_rms = rms(p)  # taken before the update
        if cfg["relativeStep"]:
            assert cfg["maxRelativeStep"] == 1e-2, "transformers fixes the cap of rho_t at 1e-2"
            lr = max(eps[1], param_rms) * min(1e-2, 1.0 / np.sqrt(step))
        else:
            lr = cfg["lr"]
        beta2t = 1.0 - step ** cfg["decayRate"]
        sq = grad**2 + eps[0]
        if factored:
            row = beta2t * row + (1 - beta2t) * sq.mean(axis=-1)
            col = beta2t * col + (1 - beta2t) * sq.mean(axis=-2)
            r_factor = 1 / np.sqrt(row / row.mean(axis=-1, keepdims=True))
            c_factor = 1 / np.sqrt(col)
            update = np.outer(r_factor, c_factor) * grad
            v_hat = np.outer(row / row.mean(), col)
        else:
            sq_avg = beta2t * sq_avg + (1 - beta2t) * sq
            update = grad / np.sqrt(sq_avg)
            v_hat = sq_avg
        update_rms = rms(update)
        divisor = max(1.0, update_rms / cfg["clipThreshold"])
        update = update / divisor * lr
        if beta1 is not None:
            exp_avg = beta1 * exp_avg + (1 - beta1) * update
            update = exp_avg
        p = p - update
        record = dict(params=p.ravel().tolist(), beta2=beta2t, updateRms=update_rms, clipDivisor=divisor,
                      alpha=float(lr), secondMoment=v_hat.ravel().tolist())
        if factored:
            n, m = p.shape
            record.update(R=(row * m).tolist(), C=(col * n).tolist())
        else:
            record.update(v=sq_avg.tolist())
        if beta1 is not None:
            record.update(m=exp_avg.ravel().tolist())
        history.append(record)
    return history


def assert_same_history(a: list[dict], b: list[dict], name: str) -> None:
    for t, (x, y) in enumerate(zip(a, b), start=1):
        for key in x:
            np.testing.assert_allclose(x[key], y[key], rtol=1e-12, atol=0, err_msg=f"{name}, step {t}, {key}")


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

PAPER_REFERENCE = "Shazeer & Stern (2018) Algorithm 4/5, transcribed; agrees with transformers' formulation"
PUBLISHED_REFERENCE = "transformers' (fairseq's) Adafactor formulation: {} is not in the paper's algorithm"


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
        published = adafactor_published(cfg, x0, grads)
        if cfg["beta1"] > 0 or not cfg["relativeStep"]:
            choice = "momentum on the clipped, scaled step" if cfg["beta1"] > 0 else "an absolute lr"
            history, reference = published, PUBLISHED_REFERENCE.format(choice)
        else:
            history, reference = adafactor_paper(cfg, x0, grads), PAPER_REFERENCE
            assert_same_history(history, published, case["name"])
        cases.append(dict(name=case["name"], reference=reference,
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
