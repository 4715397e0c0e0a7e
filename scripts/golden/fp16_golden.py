#!/usr/bin/env python3
"""Golden fixture for src/core/mixedPrecision/bitFields.ts: FP32 and FP16 bit patterns.

What src/core/fixtures/fp16_bits_golden.json checks, and against what:
  for every input x (a Python float, i.e. a double):
    f32  np.float32(x).view(np.uint32)   the FP32 pattern of x rounded to float32
    f16  np.float16(x).view(np.uint16)   the FP16 pattern of x rounded directly to half
    h    float(np.float16(x)), as repr    the value FP16 holds
  Inputs: powers of two across both formats, the FP16 subnormal range and its
  edges (2^-24, 2^-25 tie, 2^-14), ties to even in normals and subnormals, the
  overflow edge (65504, 65519.99, 65520), FP32 subnormals, signed zeros,
  infinities, NaN, and seeded random magnitudes from 2^-40 to 2^20.

Regenerate (needs numpy):
    /usr/bin/python3 scripts/golden/fp16_golden.py
The JSON file is checked in, so the unit tests never need numpy.
Deterministic: a seeded numpy generator.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[2] / "src" / "core" / "fixtures" / "fp16_bits_golden.json"


def inputs() -> list[float]:
    xs: list[float] = [0.0, -0.0, 1.0, -1.0, 3.0, -3.5, 0.1, 1e-7, 1e-8, 70000.0, 65504.0, 65519.99, 65520.0,
                       -65520.0, 65536.0, 1e6, 1e38, 3.4028234663852886e38, 1e39, math.inf, -math.inf, math.nan,
                       1.401298464324817e-45, 1e-45, 1e-40, 2.0 ** -126, 2.0 ** -149, 1 / 3, math.pi, -math.e]
    for k in range(-30, 18):  # every power of two the number line shows, and its neighbours
        xs += [2.0 ** k, -(2.0 ** k), 2.0 ** k * (1 + 2.0 ** -11), 2.0 ** k * (1 + 3 * 2.0 ** -11),
               2.0 ** k * (1 - 2.0 ** -12)]
    # Ties and near-ties in the subnormal range (spacing 2^-24).
    for m in [0.5, 1.5, 2.5, 3.5, 1023.5, 0.5000001, 0.4999999]:
        xs += [m * 2.0 ** -24, -m * 2.0 ** -24]
    # Ties to even among normals: 2049 -> 2048, 2051 -> 2052.
    xs += [2049.0, 2051.0, 4097.0, 4099.0, 1 + 2.0 ** -11, 1 + 3 * 2.0 ** -11]
    rng = np.random.default_rng(2018)
    for e, s in zip(rng.uniform(-40, 20, size=160), rng.choice([-1.0, 1.0], size=160)):
        xs.append(float(s * 2.0 ** e))
    return xs


def case(x: float) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # overflow to inf is the point of some cases
        f32 = int(np.array(x, dtype=np.float32).view(np.uint32))
        h = np.array(x, dtype=np.float16)
        f16 = int(h.view(np.uint16))
    return {"x": repr(x), "f32": f32, "f16": f16, "h": repr(float(h))}


def main() -> None:
    xs = inputs()
    cases = [case(x) for x in xs]
    # Cross-check the half conversion against torch where it is installed (a second, independent rounding).
    try:
        import torch

        for c, x in zip(cases, xs):
            t = torch.tensor([x], dtype=torch.float64).to(torch.float16)
            bits = int(t.view(torch.int16).item()) & 0xFFFF
            if not math.isnan(x):
                assert bits == c["f16"], (x, bits, c["f16"])
    except ImportError:
        pass
    assert len({c["x"] for c in cases}) > 300, "expected a few hundred distinct inputs"
    OUT.write_text(json.dumps({"generator": "scripts/golden/fp16_golden.py", "numpy": np.__version__,
                               "cases": cases}, indent=0) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
