# ---------------------------------------------------------------------------
# common.py: what every task shares. The learning-rate schedule (lr_at), the
# batch ramp, the optimisers, global-norm clipping, simulated FP16 with loss
# scaling, and the layers of a pre-norm Transformer block. Each is a port of
# the notebook's TypeScript, named after it, so the two can be read side by side.
# ---------------------------------------------------------------------------
import argparse
import json
from contextlib import nullcontext
import math
import os
import re
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# Every task module registers its class here: TASKS[run["task"]] = TaskClass.
TASKS = {}


# ---- schedule (src/core/schedule.ts) ----------------------------------------


def lr_at(step, schedule):
    """The rate of (0-based) optimiser step `step`: linear warmup, then the schedule's shape.

    schedule["lr"] is the peak rate; warmup climbs lr * (step + 1) / warmupSteps.
    """
    kind, lr = schedule["kind"], schedule["lr"]
    warmup, total, min_ratio = schedule["warmupSteps"], schedule["totalSteps"], schedule["minLrRatio"]
    if step < warmup:
        return lr * (step + 1) / warmup
    p = min(1.0, max(0.0, (step - warmup) / max(1, total - warmup)))
    low = lr * min_ratio
    if kind == "constant":
        return lr
    if kind == "linear":
        return lr - (lr - low) * p
    if kind == "cosine":
        return low + (lr - low) * (1 + math.cos(math.pi * p)) / 2
    if kind == "inverse-sqrt":
        return lr * math.sqrt(max(1, warmup) / (step + 1))
    raise ValueError("unknown schedule kind %r" % (kind,))


def batch_size_at(tokens_seen, start, end, ramp_tokens):
    """GPT-3's batch ramp (src/core/init/batchRamp.ts): rows grow linearly with tokens seen."""
    raw = end if tokens_seen >= ramp_tokens else start + (end - start) * tokens_seen / ramp_tokens
    return max(start, int(math.floor(raw)))


# ---- which parameters weight decay applies to (src/train/optim/decay.ts) -----

_EMBEDDING = re.compile(r"^((enc|dec)\.)?w[tps]e$")
_LAYER_NORM = re.compile(r"(^|\.)ln(\d+|f)\.[gb]$")
_BIAS = re.compile(r"(^|\.)(attn|xattn|mlp|mlm|nsp|head)\.b[a-z0-9]*$")
_MATRIX = re.compile(r"(^|\.)(attn|xattn|mlp|nsp|head)\.w[a-z0-9]*$")


def param_group(name):
    """'embedding', 'layerNorm', 'bias' or 'matrix', read from a notebook parameter name."""
    if _EMBEDDING.search(name):
        return "embedding"
    if _LAYER_NORM.search(name):
        return "layerNorm"
    if _BIAS.search(name):
        return "bias"
    if _MATRIX.search(name):
        return "matrix"
    raise ValueError("weight decay: no rule for parameter %r" % (name,))


# ---- optimisers (src/train/optim/, src/core/optim/spec.ts) -------------------


class AdamNoBiasCorrection(torch.optim.Optimizer):
    """Adam without the 1 - beta^t corrections (the optimisation pages' ablation).

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  p <- p - lr m / (sqrt(v) + eps).
    Weight decay as torch.optim.Adam (coupled: g + wd p) or AdamW (decoupled: p (1 - lr wd)).
    """

    def __init__(self, params, lr, betas, eps, weight_decay, decoupled):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, decoupled=decoupled))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            lr, wd = group["lr"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                state = self.state[p]
                if not state:
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                if wd != 0 and not group["decoupled"]:
                    g = g + wd * p
                m, v = state["exp_avg"], state["exp_avg_sq"]
                m.mul_(b1).add_(g, alpha=1 - b1)
                v.mul_(b2).addcmul_(g, g, value=1 - b2)
                if wd != 0 and group["decoupled"]:
                    p.mul_(1 - lr * wd)
                p.addcdiv_(m, v.sqrt().add_(group["eps"]), value=-lr)


class Adafactor(torch.optim.Optimizer):
    """AdaFactor (Shazeer & Stern 2018) as src/train/optim/adafactor.ts, step t = 1, 2, ...

    beta2_t = 1 - t^decayRate.  A matrix [n, m] keeps row sums R [n] and column
    sums C [m] of G^2 + eps1 (V = R C^T / sum(R), never stored); a vector keeps V.
    U = G / sqrt(V);  alpha = max(eps2, RMS(X)) min(maxRelativeStep, 1/sqrt(t))
    (relativeStep) or the scheduled lr;  X <- X - alpha U / max(1, RMS(U) / clipThreshold),
    through a momentum buffer when beta1 > 0. No weight decay.
    """

    def __init__(self, params, lr, cfg):
        super().__init__(params, dict(lr=lr, t=0, **cfg))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            group["t"] += 1  # kept in the group, so a checkpoint's state_dict carries it
            t = group["t"]
            beta2 = 1 - t ** group["decayRate"]
            rho = min(group["maxRelativeStep"], 1 / math.sqrt(t))
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                state = self.state[p]
                sq = g * g + group["eps1"]
                if p.dim() == 2:
                    if not state:
                        state["R"] = torch.zeros(p.shape[0], dtype=p.dtype, device=p.device)
                        state["C"] = torch.zeros(p.shape[1], dtype=p.dtype, device=p.device)
                    R = state["R"].mul_(beta2).add_(sq.sum(1) * (1 - beta2))  # [n]
                    C = state["C"].mul_(beta2).add_(sq.sum(0) * (1 - beta2))  # [m]
                    second = torch.outer(R, C / R.sum())  # [n, m]: R_i (C_j / sum R), no underflow
                else:
                    if not state:
                        state["V"] = torch.zeros_like(p)
                    second = state["V"].mul_(beta2).add_(sq * (1 - beta2))
                update = g / second.sqrt()  # U_t
                clip_divisor = torch.clamp((update * update).mean().sqrt() / group["clipThreshold"], min=1.0)
                if group["relativeStep"]:
                    alpha = torch.clamp((p * p).mean().sqrt(), min=group["eps2"]) * rho
                else:
                    alpha = group["lr"]
                step = update * (alpha / clip_divisor)
                if group["beta1"] > 0:
                    m = state.setdefault("m", torch.zeros_like(p))
                    m.mul_(group["beta1"]).add_(step, alpha=1 - group["beta1"])
                    p.sub_(m)
                else:
                    p.sub_(step)


ADAFACTOR_DEFAULTS = dict(
    relativeStep=True, maxRelativeStep=1e-2, decayRate=-0.8, beta1=0.0, eps1=1e-30, eps2=1e-3, clipThreshold=1.0
)


def make_optimizer(named_params, spec):
    """The optimiser an OptimizerSpec names, over (notebook name, tensor) pairs.

    Weight decay goes to the weight matrices only (GPT practice: not embeddings,
    LayerNorm gains or biases) unless the spec says decayAll. The rate is set
    every step from the schedule (group["lr"]), so it starts at 0 here.
    """
    kind = spec["kind"]
    if kind == "adafactor":
        cfg = dict(ADAFACTOR_DEFAULTS)
        cfg.update({k: v for k, v in spec.items() if k not in ("kind", "lr") and v is not None})
        return Adafactor([p for _, p in named_params], 0.0, cfg)
    decoupled = kind == "adamw"
    wd = spec.get("weightDecay", 0.01 if decoupled else 0.0)
    if spec.get("decayAll"):
        groups = [dict(params=[p for _, p in named_params], weight_decay=wd)]
    else:
        groups = [
            dict(params=[p for n, p in named_params if param_group(n) == "matrix"], weight_decay=wd),
            dict(params=[p for n, p in named_params if param_group(n) != "matrix"], weight_decay=0.0),
        ]
        groups = [g for g in groups if g["params"]]
    if kind in ("sgd", "momentum"):
        momentum = 0.0 if kind == "sgd" else spec.get("momentum", 0.9)
        nesterov = kind == "momentum" and bool(spec.get("nesterov", False))
        return torch.optim.SGD(groups, lr=0.0, momentum=momentum, nesterov=nesterov)
    betas = (spec.get("beta1", 0.9), spec.get("beta2", 0.999))
    eps = spec.get("eps", 1e-8)
    if not spec.get("biasCorrection", True):
        return AdamNoBiasCorrection(groups, 0.0, betas, eps, wd, decoupled)
    if decoupled:
        return torch.optim.AdamW(groups, lr=0.0, betas=betas, eps=eps)
    return torch.optim.Adam(groups, lr=0.0, betas=betas, eps=eps)


def set_lr(optimizer, lr):
    for group in optimizer.param_groups:
        group["lr"] = lr


# ---- clipping (src/train/optim/clip.ts) --------------------------------------


def global_norm(tensors):
    """sqrt of the sum of squares of every element, in the tensors' own precision (float32)."""
    sums = [torch.sum(t * t) for t in tensors]
    if not sums:
        return torch.zeros(())
    return torch.sqrt(torch.stack(sums).sum())


def clip_scale(norm, max_norm):
    """min(1, max_norm / norm), or 1 when the norm is not finite (those gradients are left alone)."""
    return torch.where(torch.isfinite(norm), torch.clamp(max_norm / norm, max=1.0), torch.ones_like(norm))


# ---- simulated FP16 (src/train/precision/, src/core/mixedPrecision/) ---------


def round_fp16(x):
    """Nearest FP16 value (ties to even, subnormals kept, |x| >= 65520 -> inf), back in float32."""
    return x.to(torch.float16).to(x.dtype)


class LossScaler:
    """Loss scaling's state machine (src/core/mixedPrecision/lossScaling.ts), GradScaler's rule.

    Overflow: skip the step and (dynamic) scale *= backoffFactor, never below minScale.
    Clean: after growthInterval clean steps in a row, scale *= growthFactor, capped at maxScale.
    """

    def __init__(self, cfg):
        self.cfg = cfg
        self.scale = float(cfg["initScale"])
        self.good_steps = 0
        self.skipped = 0

    def update(self, overflow):
        """Returns whether this step must be skipped."""
        cfg = self.cfg
        if overflow:
            if cfg["kind"] != "static":
                self.scale = max(self.scale * cfg["backoffFactor"], cfg["minScale"])
            self.good_steps = 0
            self.skipped += 1
            return True
        self.good_steps += 1
        if cfg["kind"] == "dynamic" and self.good_steps >= cfg["growthInterval"]:
            self.scale = min(self.scale * cfg["growthFactor"], cfg["maxScale"])
            self.good_steps = 0
        return False

    def state_dict(self):
        return dict(scale=self.scale, good_steps=self.good_steps, skipped=self.skipped)

    def load_state_dict(self, d):
        self.scale, self.good_steps, self.skipped = d["scale"], d["good_steps"], d["skipped"]


# ---- the layers the pages' equations use (src/models/layers.ts) --------------


class LayerNorm(nn.Module):
    """y = (x - mean) / sqrt(var + 1e-5) * g + b over the last axis (biased variance)."""

    def __init__(self, d):
        super().__init__()
        self.g = nn.Parameter(torch.ones(d))  # [d]
        self.b = nn.Parameter(torch.zeros(d))  # [d]

    def forward(self, x):
        return F.layer_norm(x, (x.shape[-1],), self.g, self.b, eps=1e-5)


def linear(x, w, b):
    """y = x W + b with W stored [in, out], as GPT-2 (and the notebook) store it."""
    return torch.addmm(b, x.reshape(-1, x.shape[-1]), w).reshape(*x.shape[:-1], w.shape[1])


class MLP(nn.Module):
    """d -> 4d -> GELU (tanh) -> d."""

    def __init__(self, d):
        super().__init__()
        self.w1 = nn.Parameter(torch.zeros(d, 4 * d))  # [d, 4d]
        self.b1 = nn.Parameter(torch.zeros(4 * d))  # [4d]
        self.w2 = nn.Parameter(torch.zeros(4 * d, d))  # [4d, d], writes into the residual stream
        self.b2 = nn.Parameter(torch.zeros(d))  # [d]

    def forward(self, u):  # [..., d] -> [..., d]
        return linear(F.gelu(linear(u, self.w1, self.b1), approximate="tanh"), self.w2, self.b2)


class SelfAttention(nn.Module):
    """Multi-head self-attention with the fused projection wqkv = [Wq | Wk | Wv].

    softmax(q k^T / sqrt(d_head) + mask) v per head; T5's init folds the
    1/sqrt(d_head) into Wq instead (folded=True drops it here).
    """

    def __init__(self, d, n_heads, folded=False):
        super().__init__()
        self.n_heads, self.folded = n_heads, folded
        self.wqkv = nn.Parameter(torch.zeros(d, 3 * d))  # [d, 3d]: head j of q at columns j*dh..(j+1)*dh
        self.bqkv = nn.Parameter(torch.zeros(3 * d))  # [3d]
        self.wo = nn.Parameter(torch.zeros(d, d))  # [d, d], writes into the residual stream
        self.bo = nn.Parameter(torch.zeros(d))  # [d]

    def forward(self, x, mask):  # x [B, T, d], mask broadcasts to [B, H, T, T] -> [B, T, d]
        B, T, d = x.shape
        H = self.n_heads
        dh = d // H
        q, k, v = linear(x, self.wqkv, self.bqkv).split(d, dim=-1)  # 3 x [B, T, d]
        q, k, v = (t.reshape(B, T, H, dh).transpose(1, 2) for t in (q, k, v))  # [B, H, T, dh]
        scale = 1.0 if self.folded else 1.0 / math.sqrt(dh)
        scores = q @ k.transpose(-1, -2) * scale + mask  # [B, H, T, T]
        att = torch.softmax(scores, dim=-1) @ v  # [B, H, T, dh]
        return linear(att.transpose(1, 2).reshape(B, T, d), self.wo, self.bo)


class Block(nn.Module):
    """x_l+1/2 = x_l + Attn(LN(x_l));  x_l+1 = x_l+1/2 + MLP(LN(x_l+1/2))."""

    def __init__(self, d, n_heads, folded=False):
        super().__init__()
        self.ln1 = LayerNorm(d)
        self.attn = SelfAttention(d, n_heads, folded)
        self.ln2 = LayerNorm(d)
        self.mlp = MLP(d)

    def forward(self, x, mask):  # [B, T, d] -> [B, T, d]
        x = x + self.attn(self.ln1(x), mask)
        return x + self.mlp(self.ln2(x))


# Added to the attention scores where a query may not look: exp underflows to 0 exactly.
MASKED = -1e9


def notebook_names(module):
    """(name, parameter) pairs with the notebook's names: blocks 'h.0.attn.wqkv' -> 'h0.attn.wqkv'."""
    return [(re.sub(r"(^|\.)h\.(\d+)\.", r"\1h\2.", n), p) for n, p in module.named_parameters()]


# ---- initialisation (src/models/init.ts, src/models/transformer.ts) ----------

# name -> (weights, std, residualScaling, foldAttentionScale)
INIT_SCHEMES = {
    "gpt2": ("normal", 0.02, True, False),
    "normal": ("normal", 0.02, False, False),
    "xavier": ("xavier", 0.0, False, False),
    "t5": ("xavier", 0.0, False, True),
}


@torch.no_grad()
def init_params(info, d_model, n_layers, n_heads, rng, scheme, exact=True):
    """Draws every matrix and embedding in `info` order from `rng` (the notebook's init stream).

    info: [(name, tensor, kind, residual)], kind 'embedding' | 'weight' | 'bias' | 'gain'.
    gpt2: N(0, 0.02^2), residual projections (attn.wo, mlp.w2) times 1/sqrt(2 L);
    normal: N(0, 0.02^2); xavier: N(0, 1/fan_in) (fan_in = d for embeddings);
    t5: xavier with the query columns of wqkv times 1/sqrt(d_head).
    Biases start at 0 and gains at 1. exact=False draws with torch's generator
    instead (the same distributions, far faster for --scale models).
    """
    weights, std0, residual_scaling, fold = INIT_SCHEMES[scheme]
    gen = torch.Generator().manual_seed(rng.random_int(2**31)) if not exact else None
    for name, t, kind, residual in info:
        if kind == "bias":
            t.zero_()
            continue
        if kind == "gain":
            t.fill_(1.0)
            continue
        fan_in = d_model if kind == "embedding" else t.shape[0]
        std = 1 / math.sqrt(fan_in) if weights == "xavier" else std0
        if residual_scaling and residual:
            std /= math.sqrt(2 * n_layers)
        if exact:
            values = torch.tensor(rng.normal_list(t.numel(), std), dtype=torch.float64).to(torch.float32)
        else:
            values = torch.randn(t.numel(), generator=gen) * std
        values = values.reshape(t.shape)
        if fold and name.endswith("attn.wqkv"):
            d = t.shape[1] // 3
            # as the notebook: the float32 draw times the factor in double, rounded once to float32
            values[:, :d] = (values[:, :d].double() * (1 / math.sqrt(d / n_heads))).float()
        t.copy_(values)


# ---- small helpers -----------------------------------------------------------


def finite_or_none(x):
    """JSON has no NaN or Infinity: a non-finite number is written as null."""
    if isinstance(x, int):
        return x
    x = float(x)
    return x if math.isfinite(x) else None


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)
