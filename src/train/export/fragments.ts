// The Python fragments of the exported script, as text. Vite's ?raw import
// (in the app, vitest and the `npm run export` command, which loads this
// through Vite) inlines each file at build time.
import bertPy from './python/bert.py?raw';
import commonPy from './python/common.py?raw';
import encdecPy from './python/encdec.py?raw';
import gptPy from './python/gpt.py?raw';
import mainPy from './python/main.py?raw';
import rngPy from './python/rng.py?raw';
import textPy from './python/text.py?raw';

export type FragmentName = 'rng' | 'common' | 'text' | 'gpt' | 'bert' | 'encdec' | 'main';

export const PYTHON_FRAGMENTS: Record<FragmentName, string> = {
  rng: rngPy,
  common: commonPy,
  text: textPy,
  gpt: gptPy,
  bert: bertPy,
  encdec: encdecPy,
  main: mainPy,
};
