"""Unit tests for scripts/bench_blas.py (no torch needed), run from vitest by scripts/bench.test.ts:
    cd scripts && python3 -m unittest test_bench_blas"""

from __future__ import annotations

import unittest

from bench_blas import blas_entries, blas_problem, library_at, loads_libblas, pinning_warnings

OPENBLAS = {
    "user_api": "blas",
    "internal_api": "openblas",
    "prefix": "libopenblas",
    "filepath": "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so",
    "version": "0.3.21",
    "threading_layer": "pthreads",
    "architecture": "Cooperlake",
    "num_threads": 1,
}
OPENMP = {"user_api": "openmp", "internal_api": "openmp", "filepath": "/usr/lib/libgomp.so.1", "num_threads": 1}
NETLIB = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"
OPENBLAS_SHIM = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"

MAPS = f"""\
55d0c0000000-55d0c0001000 r--p 00000000 08:01 1 /usr/bin/python3.11
7f0000000000-7f0000010000 r--p 00000000 08:01 2 {NETLIB}
7f0000010000-7f0000080000 r-xp 00010000 08:01 2 {NETLIB}
7f0000080000-7f0000090000 rw-p 00000000 00:00 0
7f00000a0000-7f00000b0000 r-xp 00000000 08:01 3 {OPENBLAS["filepath"]}
"""


class BlasEntries(unittest.TestCase):
    def test_keeps_blas_entries_and_reported_fields(self):
        entries = blas_entries([OPENMP, OPENBLAS])
        self.assertEqual(len(entries), 1)
        self.assertEqual(entries[0]["internal_api"], "openblas")
        self.assertEqual(entries[0]["architecture"], "Cooperlake")
        self.assertEqual(entries[0]["num_threads"], 1)
        self.assertNotIn("prefix", entries[0])


class Decision(unittest.TestCase):
    def test_openblas_shim_is_accepted(self):
        self.assertIsNone(blas_problem(blas_entries([OPENBLAS]), OPENBLAS_SHIM, False))

    def test_netlib_is_refused_even_when_openblas_is_also_loaded(self):
        problem = blas_problem(blas_entries([OPENMP, OPENBLAS]), NETLIB, False)
        self.assertIsNotNone(problem)
        self.assertIn(NETLIB, problem)
        self.assertIn("apt-get install libopenblas0-pthread", problem)
        self.assertIn("OPENBLAS_CORETYPE", problem)
        self.assertIn("OPENBLAS_L2_SIZE", problem)
        self.assertIn("--allow-slow-blas", problem)

    def test_without_libblas_threadpoolctl_decides(self):
        self.assertIsNone(blas_problem(blas_entries([OPENBLAS]), None, False))
        mkl = dict(OPENBLAS, internal_api="mkl", filepath="/opt/libmkl_rt.so.2")
        self.assertIsNone(blas_problem(blas_entries([mkl]), None, False))
        blis = dict(OPENBLAS, internal_api="blis", filepath="/usr/lib/libblis.so.4")
        self.assertIsNone(blas_problem(blas_entries([blis]), None, False))

    def test_mkl_built_into_torch_is_accepted(self):
        self.assertIsNone(blas_problem([], None, True))

    def test_nothing_recognised_is_refused(self):
        problem = blas_problem(blas_entries([OPENMP]), None, False)
        self.assertIsNotNone(problem)
        self.assertIn("no BLAS library", problem)

    def test_unknown_blas_entry_is_refused_and_named(self):
        other = dict(OPENBLAS, internal_api="flexiblas", filepath="/usr/lib/libflexiblas.so.3")
        problem = blas_problem(blas_entries([other]), None, False)
        self.assertIsNotNone(problem)
        self.assertIn("flexiblas", problem)


class Maps(unittest.TestCase):
    def test_library_at_finds_the_mapping(self):
        self.assertEqual(library_at(MAPS, 0x7F0000020000), NETLIB)
        self.assertEqual(library_at(MAPS, 0x7F00000A0001), OPENBLAS["filepath"])

    def test_library_at_anonymous_or_unmapped_is_none(self):
        self.assertIsNone(library_at(MAPS, 0x7F0000085000))
        self.assertIsNone(library_at(MAPS, 0x10))

    def test_loads_libblas(self):
        self.assertTrue(loads_libblas(MAPS))
        self.assertFalse(loads_libblas(MAPS.replace(NETLIB, "/usr/lib/libz.so.1")))


class Pinning(unittest.TestCase):
    def test_warns_for_each_set_variable(self):
        warnings = pinning_warnings({"OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_L2_SIZE": "512", "HOME": "/root"})
        self.assertEqual(len(warnings), 2)
        self.assertIn("OPENBLAS_CORETYPE=Haswell", warnings[0])
        self.assertIn("OPENBLAS_L2_SIZE=512", warnings[1])

    def test_no_warning_when_unset_or_empty(self):
        self.assertEqual(pinning_warnings({"OPENBLAS_CORETYPE": "", "PATH": "/usr/bin"}), [])


if __name__ == "__main__":
    unittest.main()
