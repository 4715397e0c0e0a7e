"""Which BLAS a PyTorch benchmark runs on, and whether that makes it a fair yardstick.

Debian's python3-torch is built with BLAS_INFO=generic: its matrix products go
through whatever libblas.so.3 the machine has. Where that is the netlib
reference BLAS (Debian's libblas3, a plain loop), PyTorch is ~10x slower than
on OpenBLAS, and a comparison against it flatters the browser. This module
decides from threadpoolctl's description of the loaded libraries and from
which file the sgemm_ of the loaded libblas.so.3 lives in (gemm_library
finds it); the decision is pure and tested without torch
(scripts/test_bench_blas.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

# Optimised BLAS libraries threadpoolctl recognises by their internal_api.
FAST_BLAS = ("openblas", "mkl", "blis")

# Variables that pin OpenBLAS to another CPU's kernel (or cache size): on these
# machines they select a slower kernel than the one OpenBLAS detects itself.
PINNING_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")

FIX = (
    "Install an optimised BLAS (Debian: apt-get install libopenblas0-pthread, which takes over "
    "libblas.so.3) and run the benchmark with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for that "
    "command only: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 scripts/bench_torch.py. "
    "Pass --allow-slow-blas to measure anyway."
)

# The fields of a threadpoolctl entry worth printing with a measurement.
REPORTED = ("internal_api", "filepath", "version", "num_threads", "threading_layer", "architecture", "corearch")


def blas_entries(info: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The BLAS libraries among threadpoolctl.threadpool_info()'s entries, with the fields worth reporting."""
    return [{k: e[k] for k in REPORTED if k in e} for e in info if e.get("user_api") == "blas"]


def library_at(maps_text: str, address: int) -> str | None:
    """The file mapped at address in a /proc/<pid>/maps text, or None."""
    for line in maps_text.splitlines():
        fields = line.split()
        if len(fields) < 6 or not fields[-1].startswith("/"):
            continue
        lo, hi = (int(x, 16) for x in fields[0].split("-"))
        if lo <= address < hi:
            return fields[-1]
    return None


def loads_libblas(maps_text: str) -> bool:
    """Whether a libblas.so.3 (Debian's BLAS alternative, which python3-torch links) is mapped."""
    paths = (line.split()[-1] for line in maps_text.splitlines() if line.split())
    return any(path.rsplit("/", 1)[-1].startswith("libblas.so") for path in paths)


def is_fast_path(path: str) -> bool:
    """Whether a library's path names an optimised BLAS (OpenBLAS's libblas.so.3 lives in openblas-pthread/)."""
    return any(name in path.lower() for name in FAST_BLAS)


def blas_problem(entries: list[dict[str, Any]], gemm_library: str | None, torch_mkl: bool) -> str | None:
    """None when PyTorch's matrix products run on an optimised BLAS (OpenBLAS, MKL, BLIS); otherwise why the
    measurement would not be a fair yardstick, naming what was found and the fix.

    gemm_library: the file whose sgemm_ the libblas.so.3 PyTorch links resolves to (None when no
    libblas.so.3 is loaded, e.g. a pip wheel with MKL built in). It decides when known: OpenBLAS can be
    loaded (through liblapack) while the products still go to netlib's libblas. torch_mkl: PyTorch says
    it was built with MKL."""
    if gemm_library is not None:
        if is_fast_path(gemm_library):
            return None
        found = f"{gemm_library} (not OpenBLAS, MKL or BLIS: most likely the netlib reference BLAS)"
    elif torch_mkl or any(e.get("internal_api") in FAST_BLAS for e in entries):
        return None
    elif entries:
        found = ", ".join(f"{e.get('internal_api')} ({e.get('filepath')})" for e in entries)
    else:
        found = "no BLAS library threadpoolctl recognises"
    return f"PyTorch runs its matrix products on {found}, a slow reference BLAS. {FIX}"


def gemm_library(maps_path: str = "/proc/self/maps") -> str | None:
    """The file providing sgemm_ to the already-loaded libblas.so.3 (never loads one), or None."""
    import ctypes
    import os

    try:
        maps = Path(maps_path).read_text()
        if not loads_libblas(maps):
            return None
        lib = ctypes.CDLL("libblas.so.3", mode=os.RTLD_NOLOAD | os.RTLD_LAZY)
        address = ctypes.cast(lib.sgemm_, ctypes.c_void_p).value
    except (OSError, AttributeError):
        return None
    return library_at(maps, address) if address else None


def pinning_warnings(environ: Mapping[str, str]) -> list[str]:
    """A warning for each OpenBLAS variable set in environ that forces a kernel other than OpenBLAS's own choice."""
    return [
        f"{name}={environ[name]} is set: OpenBLAS uses the kernel (or cache size) it names instead of the one "
        f"it detects for this CPU, which is slower on these machines; unset it for the benchmark "
        f"(env -u {name} ...)."
        for name in PINNING_VARS
        if environ.get(name)
    ]
