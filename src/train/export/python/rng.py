# ---------------------------------------------------------------------------
# rng.py: the notebook's seeded random numbers, bit for bit.
# Ports src/core/rng.ts (sfc32 seeded by splitmix32), src/core/seeds.ts
# (seed_for and its named streams) and the Box-Muller sampler of
# src/models/init.ts, so the script draws the same batches and weights.
# JavaScript's 32-bit integer arithmetic is emulated with explicit masks.
# ---------------------------------------------------------------------------
import math

_M32 = 0xFFFFFFFF
_TWO_32 = 4294967296


def _u32(x):
    """JavaScript's `x >>> 0` on an integer: reduction mod 2^32."""
    return x & _M32


def _i32(x):
    """JavaScript's `x | 0` on an integer: the signed 32-bit value."""
    x &= _M32
    return x - _TWO_32 if x & 0x80000000 else x


def _imul(a, b):
    """Math.imul: the low 32 bits of the product, as an unsigned value here."""
    return (a * b) & _M32


def _splitmix32(state):
    # state is a one-element list holding the running (unsigned) counter
    state[0] = (state[0] + 0x9E3779B9) & _M32
    z = state[0]
    z = _imul(z ^ (z >> 16), 0x21F0AAAD)
    z = _imul(z ^ (z >> 15), 0x735A2D97)
    return (z ^ (z >> 15)) & _M32


class Rng:
    """sfc32 seeded like makeRng(seed): random() gives the same [0, 1) numbers."""

    def __init__(self, seed: int):
        if int(seed) != seed:
            raise ValueError("Rng: seed must be an integer, got %r" % (seed,))
        seed = int(seed)
        lo = _u32(seed)
        hi = _u32(seed // _TWO_32)  # Math.floor(seed / 2^32) | 0, kept unsigned
        sm = [lo]
        self._a = _splitmix32(sm)
        self._b = _splitmix32(sm)
        self._c = (_splitmix32(sm) ^ _splitmix32([hi ^ 0x5BD1E995])) & _M32
        self._counter = 1
        for _ in range(15):  # the reference seeding discards the first outputs
            self._next()

    def _next(self):
        a, b, c = self._a, self._b, self._c
        t = (a + b + self._counter) & _M32
        self._counter = (self._counter + 1) & _M32
        self._a = b ^ (b >> 9)
        self._b = (c + (c << 3)) & _M32
        c = ((c << 21) | (c >> 11)) & _M32
        self._c = (c + t) & _M32
        return t

    def random(self) -> float:
        """A uniform number in [0, 1) with 32 random bits (exact in a double)."""
        return self._next() / _TWO_32

    def random_int(self, n: int) -> int:
        """randomInt(rng, n): floor(u * n), a uniform integer in [0, n)."""
        if int(n) != n or n <= 0:
            raise ValueError("random_int: n must be a positive integer, got %r" % (n,))
        return int(math.floor(self.random() * n))

    def shuffle_in_place(self, items):
        """shuffleInPlace: Fisher-Yates from the end, the same swaps as the notebook."""
        for i in range(len(items) - 1, 0, -1):
            j = self.random_int(i + 1)
            items[i], items[j] = items[j], items[i]
        return items

    def normal_list(self, n: int, std: float):
        """normalArray(n, std, rng) before its float32 cast: Box-Muller, both outputs used.

        1 - random() lies in (0, 1], so the logarithm is finite.
        """
        out = [0.0] * n
        for i in range(0, n, 2):
            r = std * math.sqrt(-2.0 * math.log(1.0 - self.random()))
            theta = 2.0 * math.pi * self.random()
            out[i] = r * math.cos(theta)
            if i + 1 < n:
                out[i + 1] = r * math.sin(theta)
        return out


def mix_seed(*values):
    """mixSeed (src/core/fullSentences.ts): FNV-1a over each value's low and high 32-bit words."""
    h = 0x811C9DC5
    for v in values:
        if int(v) != v:
            raise ValueError("mix_seed: values must be integers, got %r" % (v,))
        v = int(v)
        for word in (_u32(v), _u32(v // _TWO_32)):
            for shift in range(0, 32, 8):
                h ^= (word >> shift) & 0xFF
                h = _imul(h, 0x01000193)
    return h


# XOR masks of the run's streams (seeds.ts): leading hex digits of pi.
_MASKS = {"init": 0x243F6A88, "data": 0x85A308D3, "noise": 0x3707344A, "eval": 0x13198A2E}
_MULTIPLIERS = {"sample": 1000003, "maskDraw": 7919, "maskStats": 104729, "noiseDraw": 65537}


def seed_for(seed, stream, *keys):
    """seedFor(seed, stream, ...keys): the seed of one named random stream of a run."""
    if stream in _MASKS:
        return _i32(_i32(seed) ^ _MASKS[stream])  # JS `^` works on signed 32-bit values
    if stream == "evalNoise":
        return _i32(_i32(seed) ^ _MASKS["eval"] ^ _MASKS["noise"])
    if stream == "staticMask":
        return mix_seed(seed, *keys)
    key = keys[0] if keys else 0
    if stream in _MULTIPLIERS:
        # JavaScript multiplies in doubles: emulate its rounding for huge seeds
        value = int(float(seed) * _MULTIPLIERS[stream] + key)
        return _u32(value) if stream == "sample" else value
    raise ValueError("seed_for: unknown stream %r" % (stream,))
