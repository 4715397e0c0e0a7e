// The exported script's random numbers must be the notebook's, draw for draw:
// python/rng.py is run on the same seeds as src/core and the outputs compared.
import { describe, expect, it } from 'vitest';
import { makeRng, randomInt, shuffleInPlace } from '../../core/rng';
import { seedFor, type SeedStream } from '../../core/seeds';
import { normalArray } from '../../models/init';
import rngPy from './python/rng.py?raw';
import { findPython, requireTool, runPython } from './python.testing';

const python = findPython();
const SEEDS = [0, 1, 7, 42, -1, -123456, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, 123456789];
const STREAMS: SeedStream[] = ['init', 'data', 'noise', 'eval', 'evalNoise', 'staticMask', 'sample', 'maskDraw'];

const DRIVER = `
import json, sys
seeds = json.loads(sys.stdin.read())
streams = ${JSON.stringify(STREAMS)}
out = {"uniform": [], "ints": [], "shuffles": [], "normals": [], "seeds": []}
for s in seeds:
    r = Rng(s)
    out["uniform"].append([r.random() for _ in range(50)])
    r = Rng(s)
    out["ints"].append([r.random_int(n) for n in range(1, 40)])
    out["shuffles"].append(Rng(s).shuffle_in_place(list(range(30))))
    out["normals"].append(Rng(s).normal_list(9, 0.02))
    out["seeds"].append([seed_for(s, st, 3, 11) for st in streams])
print(json.dumps(out))
`;

describe.runIf(requireTool(python, 'python3'))('python/rng.py', () => {
  it('draws the same uniforms, integers, shuffles, normals and stream seeds as src/core', () => {
    const py = JSON.parse(runPython(python!, ['-c', `${rngPy}\n${DRIVER}`], { input: JSON.stringify(SEEDS) })) as {
      uniform: number[][];
      ints: number[][];
      shuffles: number[][];
      normals: number[][];
      seeds: number[][];
    };
    SEEDS.forEach((s, i) => {
      const r = makeRng(s);
      expect(py.uniform[i]).toEqual(Array.from({ length: 50 }, () => r()));
      const r2 = makeRng(s);
      expect(py.ints[i]).toEqual(Array.from({ length: 39 }, (_, k) => randomInt(r2, k + 1)));
      expect(py.shuffles[i]).toEqual(shuffleInPlace([...Array(30).keys()], makeRng(s)));
      // normalArray rounds to float32; Python's libm and V8's may differ in the last bit of a double.
      const ts = normalArray(9, 0.02, makeRng(s));
      py.normals[i].forEach((v, k) => expect(Math.fround(v)).toBeCloseTo(ts[k], 9));
      expect(py.seeds[i]).toEqual(STREAMS.map((st) => seedFor(s, st, 3, 11)));
    });
  });
});
