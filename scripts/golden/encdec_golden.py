#!/usr/bin/env python3
"""Golden fixture for src/models/encdec.ts: the same tiny encoder-decoder in PyTorch.

Written independently of the TypeScript model, from the equations in the header
of encdec.ts, with PyTorch's own building blocks where they exist (F.layer_norm,
F.softmax, F.cross_entropy), embedding lookups by indexing and explicit matmuls
elsewhere. Float64 throughout; the weights are drawn in float32 first so that
PyTorch and TF.js start from bit-identical numbers.

    encoder:  x_0  = E[src] + P_enc[:S]
              x   += SelfAttn(LN1(x))        keys s >= sourceLength masked, no causal mask
              x   += MLP(LN2(x))             d -> 4d -> GELU(tanh) -> d
              mem  = LN_enc(x)               [B, S, d]
    decoder:  y_0  = E[dec_in] + P_dec[:T]   dec_in = BOS + target shifted right
              y   += SelfAttn(LN1(y))        causal
              y   += CrossAttn(LN3(y), mem)  queries from y, keys/values from mem,
                                             source padding keys masked
              y   += MLP(LN2(y))
              phi  = LN_dec(y)               [B, T, d]
    logits_i = phi_i E^T                     at the target rows only (flat b*T + t), E tied
    loss     = mean cross-entropy over the target rows

Fused projections: self-attention qkv [d, 3d] = [q | k | v], cross-attention
q [d, d] and kv [d, 2d] = [k | v]; in every block head j takes columns j*dh..(j+1)*dh.

Fixture contents (src/models/fixtures/encdec_golden.json):
  config, inputs (B, S, T, sourceIds [B*S], sourceLengths [B], decoderIds [B*T],
  targetLengths [B], targetRows [M], targetIds [M]), params (name -> shape, values),
  encoderOut [B*S, d] (mem, every position), decoderHidden [B*T, d] (phi, every
  position), logits [M, V], loss, grads (d loss / d every parameter).

Regenerate (Debian: apt-get install python3-torch):
    /usr/bin/python3 scripts/golden/encdec_golden.py
Deterministic: a seeded torch.Generator, no other randomness.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tiny_transformer import attention_shapes, block_shapes, draw_params, flat, gelu_tanh, mlp_shapes  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "src" / "models" / "fixtures" / "encdec_golden.json"
torch.set_default_dtype(torch.float64)

CONFIG = dict(vocabSize=13, maxSource=7, maxTarget=6, dModel=8, nLayers=2, nHeads=2)
SEED = 20241017

# Token ids: 0 padding, 1 BOS (decoder start), 2 EOS, 3..12 words.
PAD, BOS, EOS = 0, 1, 2
FIRST_WORD = 3

# (source length, target length with its EOS) per row. S = maxSource, so row 0
# fills the source; T = 5 < maxTarget, so the last row of P_dec is never used
# (its gradient must be exactly 0) and the model must slice P_dec.
ROWS = [(7, 3), (4, 5), (2, 2)]
S = CONFIG["maxSource"]
T = 5


def param_shapes(cfg: dict) -> list[tuple[str, list[int]]]:
    V, d, L = cfg["vocabSize"], cfg["dModel"], cfg["nLayers"]
    shapes = [("wte", [V, d]), ("enc.wpe", [cfg["maxSource"], d]), ("dec.wpe", [cfg["maxTarget"], d])]
    shapes += block_shapes(d, L, "enc.") + [("enc.lnf.g", [d]), ("enc.lnf.b", [d])]
    for i in range(L):
        h = f"dec.h{i}"
        cross = [
            (f"{h}.ln3.g", [d]), (f"{h}.ln3.b", [d]),
            (f"{h}.xattn.wq", [d, d]), (f"{h}.xattn.bq", [d]),
            (f"{h}.xattn.wkv", [d, 2 * d]), (f"{h}.xattn.bkv", [2 * d]),
            (f"{h}.xattn.wo", [d, d]), (f"{h}.xattn.bo", [d]),
        ]
        shapes += attention_shapes(h, d) + cross + mlp_shapes(h, d)
    shapes += [("dec.lnf.g", [d]), ("dec.lnf.b", [d])]
    return shapes


def make_params(cfg: dict, gen: torch.Generator) -> dict[str, torch.Tensor]:
    return draw_params(param_shapes(cfg), gen)


def make_batch(cfg: dict, gen: torch.Generator):
    V = cfg["vocabSize"]
    B = len(ROWS)

    def words(n: int) -> list[int]:
        return torch.randint(FIRST_WORD, V, (n,), generator=gen).tolist()

    src = torch.full((B, S), PAD, dtype=torch.long)
    dec_in = torch.full((B, T), PAD, dtype=torch.long)
    tgt = torch.full((B, T), PAD, dtype=torch.long)
    for b, (ns, nt) in enumerate(ROWS):
        src[b, :ns] = torch.tensor(words(ns))
        target = words(nt - 1) + [EOS]
        tgt[b, :nt] = torch.tensor(target)
        dec_in[b, :nt] = torch.tensor([BOS] + target[:-1])  # shifted right
    src_len = torch.tensor([ns for ns, _ in ROWS])
    tgt_len = torch.tensor([nt for _, nt in ROWS])
    assert src_len.max() == S and tgt_len.max() == T and len(set(src_len.tolist())) == B
    real_t = torch.arange(T)[None, :] < tgt_len[:, None]  # [B, T]
    target_rows = torch.nonzero(real_t.reshape(-1)).reshape(-1)  # flat b*T + t, in order
    target_ids = tgt.reshape(-1)[target_rows]
    return src, src_len, dec_in, tgt_len, target_rows, target_ids


def heads(x: torch.Tensor, H: int) -> torch.Tensor:
    """[B, N, d] -> [B, H, N, dh], head j = columns j*dh..(j+1)*dh."""
    B, N, d = x.shape
    return x.view(B, N, H, d // H).transpose(1, 2)


def attention(q, k, v, blocked: torch.Tensor) -> torch.Tensor:
    """q: [B, H, Tq, dh], k, v: [B, H, Tk, dh]; blocked broadcasts to [B, H, Tq, Tk]
    (True = may not look). -> [B, Tq, H*dh]."""
    B, H, Tq, dh = q.shape
    scores = (q @ k.transpose(-1, -2)) / math.sqrt(dh)  # [B, H, Tq, Tk]
    scores = scores.masked_fill(blocked, float("-inf"))
    y = F.softmax(scores, dim=-1) @ v  # [B, H, Tq, dh]
    return y.transpose(1, 2).reshape(B, Tq, H * dh)


def ln(p, x, name: str) -> torch.Tensor:
    d = x.shape[-1]
    return F.layer_norm(x, (d,), p[f"{name}.g"], p[f"{name}.b"], eps=1e-5)


def self_attention(p, h: str, x, H: int, blocked) -> torch.Tensor:
    d = x.shape[-1]
    q, k, v = (x @ p[f"{h}.attn.wqkv"] + p[f"{h}.attn.bqkv"]).split(d, dim=-1)
    y = attention(heads(q, H), heads(k, H), heads(v, H), blocked)
    return y @ p[f"{h}.attn.wo"] + p[f"{h}.attn.bo"]


def cross_attention(p, h: str, y, mem, H: int, blocked) -> torch.Tensor:
    d = y.shape[-1]
    q = y @ p[f"{h}.xattn.wq"] + p[f"{h}.xattn.bq"]  # [B, T, d], from the decoder
    k, v = (mem @ p[f"{h}.xattn.wkv"] + p[f"{h}.xattn.bkv"]).split(d, dim=-1)  # [B, S, d] each, from the encoder
    z = attention(heads(q, H), heads(k, H), heads(v, H), blocked)
    return z @ p[f"{h}.xattn.wo"] + p[f"{h}.xattn.bo"]


def mlp(p, h: str, x) -> torch.Tensor:
    return gelu_tanh(x @ p[f"{h}.mlp.w1"] + p[f"{h}.mlp.b1"]) @ p[f"{h}.mlp.w2"] + p[f"{h}.mlp.b2"]


def source_padding(src_len: torch.Tensor, S_: int) -> torch.Tensor:
    """[B, 1, 1, S]: key s of row b is padding when s >= src_len[b]."""
    return (torch.arange(S_)[None, :] >= src_len[:, None])[:, None, None, :]


def encode(p, cfg: dict, src, src_len) -> torch.Tensor:
    """mem: [B, S, d]."""
    _, S_ = src.shape
    H, L = cfg["nHeads"], cfg["nLayers"]
    blocked = source_padding(src_len, S_)
    x = p["wte"][src] + p["enc.wpe"][:S_]
    for i in range(L):
        h = f"enc.h{i}"
        x = x + self_attention(p, h, ln(p, x, f"{h}.ln1"), H, blocked)
        x = x + mlp(p, h, ln(p, x, f"{h}.ln2"))
    return ln(p, x, "enc.lnf")


def decode(p, cfg: dict, mem, src_len, dec_in) -> torch.Tensor:
    """phi: [B, T, d]."""
    _, T_ = dec_in.shape
    H, L = cfg["nHeads"], cfg["nLayers"]
    future = torch.triu(torch.ones(T_, T_, dtype=torch.bool), diagonal=1)  # [T, T]: key j > query i
    src_blocked = source_padding(src_len, mem.shape[1])
    y = p["wte"][dec_in] + p["dec.wpe"][:T_]
    for i in range(L):
        h = f"dec.h{i}"
        y = y + self_attention(p, h, ln(p, y, f"{h}.ln1"), H, future)
        y = y + cross_attention(p, h, ln(p, y, f"{h}.ln3"), mem, H, src_blocked)
        y = y + mlp(p, h, ln(p, y, f"{h}.ln2"))
    return ln(p, y, "dec.lnf")


def logits_at(p, phi, rows) -> torch.Tensor:
    B, T_, d = phi.shape
    return phi.reshape(B * T_, d)[rows] @ p["wte"].T  # [M, V], tied


def check_properties(p, src, src_len, dec_in, mem, phi, rows, target_ids, loss: float) -> None:
    """What the TypeScript tests check again, asserted on the reference itself."""
    V = CONFIG["vocabSize"]
    B = src.shape[0]
    real_s = torch.arange(S)[None, :] < src_len[:, None]  # [B, S]
    with torch.no_grad():
        # Source padding: other ids there change no real encoder position, no
        # decoder position, no logit and not the loss.
        src2 = src.clone()
        src2[~real_s] = (src2[~real_s] + 5) % V
        assert (src2[~real_s] != src[~real_s]).all() and (~real_s).sum() == 8
        mem2 = encode(p, CONFIG, src2, src_len)
        assert torch.allclose(mem2[real_s], mem[real_s], rtol=0, atol=1e-12)
        phi2 = decode(p, CONFIG, mem2, src_len, dec_in)
        assert torch.allclose(phi2, phi, rtol=0, atol=1e-12)
        assert abs(F.cross_entropy(logits_at(p, phi2, rows), target_ids) - loss) < 1e-12
        # ...because of the masks: reading every source slot, the decoder moves.
        full = torch.full_like(src_len, S)
        phi3 = decode(p, CONFIG, encode(p, CONFIG, src2, full), full, dec_in)
        assert (phi3 - phi).abs().max() > 1e-3

        # Causal: a later decoder input leaves earlier positions as they were and
        # moves its own. Row 1 has a real target at every t < T.
        for t in range(1, T):
            dec2 = dec_in.clone()
            dec2[1, t] = FIRST_WORD + (dec2[1, t] - FIRST_WORD + 1) % (V - FIRST_WORD)
            phi4 = decode(p, CONFIG, mem, src_len, dec2)
            assert torch.allclose(phi4[1, :t], phi[1, :t], rtol=0, atol=1e-12), t
            assert (phi4[1, t] - phi[1, t]).abs().max() > 1e-3, t
            assert torch.allclose(phi4[[0, 2]], phi[[0, 2]], rtol=0, atol=1e-12)

        # Cross-attention: one real source token of a row moves every decoder
        # position of that row (position 0 sees only BOS and the source) and no other row.
        for b in range(B):
            src5 = src.clone()
            s = int(src_len[b]) - 1
            src5[b, s] = FIRST_WORD + (src5[b, s] - FIRST_WORD + 1) % (V - FIRST_WORD)
            phi5 = decode(p, CONFIG, encode(p, CONFIG, src5, src_len), src_len, dec_in)
            for t in range(T):
                assert (phi5[b, t] - phi[b, t]).abs().max() > 1e-3, (b, t)
            others = [o for o in range(B) if o != b]
            assert torch.allclose(phi5[others], phi[others], rtol=0, atol=1e-12)


def main() -> None:
    gen = torch.Generator().manual_seed(SEED)
    params = make_params(CONFIG, gen)
    src, src_len, dec_in, tgt_len, rows, target_ids = make_batch(CONFIG, gen)
    B = src.shape[0]

    probe = torch.linspace(-6, 6, 101)
    assert torch.allclose(gelu_tanh(probe), F.gelu(probe, approximate="tanh"), atol=1e-12)

    mem = encode(params, CONFIG, src, src_len)
    phi = decode(params, CONFIG, mem, src_len, dec_in)
    logits = logits_at(params, phi, rows)
    loss = F.cross_entropy(logits, target_ids)
    names = list(params)
    grads = torch.autograd.grad(loss, [params[n] for n in names])
    assert all(g.abs().max() > 0 for g in grads)  # every parameter is on the loss's path
    assert (grads[names.index("dec.wpe")][T:] == 0).all()  # rows beyond T unused

    check_properties(params, src, src_len, dec_in, mem, phi, rows, target_ids, loss.item())

    grad_norm = math.sqrt(sum(float((g**2).sum()) for g in grads))
    payload = {
        "meta": {
            "generator": "scripts/golden/encdec_golden.py",
            "torch": torch.__version__,
            "python": sys.version.split()[0],
            "dtype": "float64 (weights drawn in float32)",
        },
        "config": CONFIG,
        "tokens": {"pad": PAD, "bos": BOS, "eos": EOS},
        "inputs": {
            "B": B,
            "S": S,
            "T": T,
            "sourceIds": src.reshape(-1).tolist(),
            "sourceLengths": src_len.tolist(),
            "decoderIds": dec_in.reshape(-1).tolist(),
            "targetLengths": tgt_len.tolist(),
            "targetRows": rows.tolist(),
            "targetIds": target_ids.tolist(),
        },
        "params": {n: {"shape": list(t.shape), "values": flat(t)} for n, t in params.items()},
        "encoderOut": flat(mem),
        "decoderHidden": flat(phi),
        "logits": flat(logits),
        "loss": loss.item(),
        "grads": {n: flat(g) for n, g in zip(names, grads)},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(payload, allow_nan=False, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} (loss {loss.item():.6f}, grad norm {grad_norm:.4f})")
    print(f"  source {src.tolist()} lengths {src_len.tolist()}")
    print(f"  decoder input {dec_in.tolist()} target lengths {tgt_len.tolist()}")
    print(f"  target rows {rows.tolist()} ids {target_ids.tolist()}")


if __name__ == "__main__":
    main()
