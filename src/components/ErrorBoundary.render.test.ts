// The error boundaries without a browser: what each failure says (failure.ts),
// and the boundary's own steps, driven by hand as React drives them (React's
// server renderer does not run boundaries): a child throws while rendering,
// getDerivedStateFromError records it, render shows what failed with its
// button, and the button mounts the children afresh. e2e/errors.spec.ts
// checks the same in a browser, with a blocked page chunk and a demo that throws.
import { createElement, Fragment, isValidElement, type ComponentProps, type ReactElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorBoundary, type BoundaryState } from './ErrorBoundary';
import { describeFailure, isChunkError, markChunkError, watchChunkErrors } from './failure';

const CHROMIUM = new TypeError(
  'Failed to fetch dynamically imported module: http://127.0.0.1/assets/DecoderOnlyPage-BnumkDY1.js',
);

describe('describeFailure', () => {
  it('names a failed chunk as a newer version while online, with a reload of the notebook', () => {
    for (const error of [
      CHROMIUM,
      new TypeError('error loading dynamically imported module: http://x/a.js'), // Firefox
      new TypeError('Importing a module script failed.'), // Safari
      new Error('Unable to preload CSS for http://x/assets/Page.css'), // Vite
    ]) {
      const f = describeFailure(error, 'page', 'Decoder-only (GPT)', true);
      expect(f.kind).toBe('stale');
      expect(f.title).toBe('A newer version of the notebook is available — reload');
      expect(f.action).toBe('Reload');
      expect(f.reloadsApp).toBe(true);
    }
  });

  it('says offline, and offers to try again, when a chunk fails without a network', () => {
    const f = describeFailure(CHROMIUM, 'page', 'Memory', false);
    expect(f.kind).toBe('offline');
    expect(f.title).toContain('You are offline');
    expect(f.title).toContain('“Memory”');
    expect(f.action).toBe('Try again');
    expect(f.reloadsApp).toBe(false);
  });

  it('names the part and the error of anything else, and the button remounts that part', () => {
    const demo = describeFailure(new RangeError('heads must divide width'), 'demo', 'Train a tiny BERT', true);
    expect(demo).toEqual({
      kind: 'error',
      title: 'The demo “Train a tiny BERT” stopped with an error: heads must divide width',
      detail: 'The rest of the page still works.',
      action: 'Reload this demo',
      reloadsApp: false,
    });
    const page = describeFailure('a string', 'page', 'Memory', true);
    expect(page.title).toBe('The section “Memory” stopped with an error: a string');
    expect(page.action).toBe('Reload this section');
    expect(describeFailure(undefined, 'app', 'The notebook', true).reloadsApp).toBe(true);
  });

  it('keeps a long or multi-line message to one short line', () => {
    const f = describeFailure(new Error(`a\n  b ${'x'.repeat(1000)}`), 'demo', 'D', true);
    expect(f.title).not.toContain('\n');
    expect(f.title.length).toBeLessThan(400);
    expect(f.title.endsWith('…')).toBe(true);
  });

  it('treats an error Vite reported through vite:preloadError as a chunk failure, whatever it says', () => {
    const listeners: ((e: Event) => void)[] = [];
    watchChunkErrors({ addEventListener: (_type: string, l: (e: Event) => void) => listeners.push(l) } as never);
    const odd = new Error('something unusual');
    expect(isChunkError(odd)).toBe(false);
    listeners[0](Object.assign(new Event('vite:preloadError'), { payload: odd }));
    expect(isChunkError(odd)).toBe(true);
    const other = new Error('another');
    markChunkError(other);
    expect(describeFailure(other, 'demo', 'D', true).kind).toBe('stale');
  });
});

function Thrower({ message }: { message: string }): ReactNode {
  throw new Error(message);
}

function Child({ text }: { text: string }) {
  return createElement('p', { 'data-testid': 'child' }, text);
}

/** A boundary instance driven by hand: setState applies at once, as React would before the next render. */
function instance(props: ComponentProps<typeof ErrorBoundary>) {
  const b = new ErrorBoundary(props);
  b.setState = ((update: Partial<BoundaryState> | ((s: BoundaryState) => Partial<BoundaryState>)) => {
    b.state = { ...b.state, ...(typeof update === 'function' ? update(b.state) : update) };
  }) as typeof b.setState;
  return b;
}

/** What React does when a child throws while rendering: getDerivedStateFromError, then render again. */
function throwInto(b: ErrorBoundary, render: () => string): void {
  try {
    render();
  } catch (error) {
    b.state = { ...b.state, ...ErrorBoundary.getDerivedStateFromError(error) };
    return;
  }
  throw new Error('the child did not throw');
}

/** The onClick of the first button in an element tree. */
function buttonOf(node: ReactNode): () => void {
  if (!isValidElement(node)) throw new Error('no button');
  const el = node as ReactElement<{ onClick?: () => void; children?: ReactNode; failure?: unknown }>;
  if (el.type === 'button' && el.props.onClick) return el.props.onClick;
  if (typeof el.type === 'function' && el.props.failure) {
    // FailureNotice: render it to get its button.
    return buttonOf((el.type as (p: unknown) => ReactNode)(el.props));
  }
  const kids = ([] as ReactNode[]).concat(el.props.children ?? []);
  for (const k of kids) {
    try {
      return buttonOf(k);
    } catch {
      // not in this branch
    }
  }
  throw new Error('no button');
}

describe('ErrorBoundary', () => {
  afterEach(() => {
    delete (globalThis as { __notebookFaults?: unknown }).__notebookFaults;
  });

  it('renders its children when nothing throws', () => {
    const html = renderToStaticMarkup(
      createElement(ErrorBoundary, { scope: 'demo', name: 'Demo', children: createElement(Child, { text: 'fine' }) }),
    );
    expect(html).toBe('<p data-testid="child">fine</p>');
  });

  it('without a boundary, a child that throws takes its whole tree down', () => {
    const page = createElement(
      'main',
      null,
      createElement('nav', null, 'sidebar'),
      createElement(Thrower, { message: 'boom in render' }),
    );
    expect(() => renderToStaticMarkup(page)).toThrow('boom in render');
  });

  it('replaces a demo that throws with what failed and "Reload this demo"; the rest of the page is still drawn', () => {
    const b = instance({ scope: 'demo', name: 'Train a tiny GPT', children: createElement(Thrower, { message: 'x' }) });
    throwInto(b, () => renderToStaticMarkup(b.render() as ReactElement));
    const page = createElement(
      'main',
      null,
      createElement('h1', null, 'Decoder-only'),
      b.render(),
      createElement(Child, { text: 'prose after the demo' }),
    );
    const html = renderToStaticMarkup(page);
    expect(html).toContain('<h1>Decoder-only</h1>');
    expect(html).toContain('role="alert"');
    expect(html).toContain('data-scope="demo"');
    expect(html).toContain('The demo “Train a tiny GPT” stopped with an error: x');
    expect(html).toContain('The rest of the page still works.');
    expect(html).toContain('>Reload this demo</button>');
    expect(html).toContain('prose after the demo');
  });

  it('"Reload this demo" mounts the children afresh (a new key) and draws them once they no longer throw', () => {
    let broken = true;
    function Flaky() {
      if (broken) throw new Error('flaky');
      return createElement(Child, { text: 'back' });
    }
    const b = instance({ scope: 'demo', name: 'Flaky demo', children: createElement(Flaky) });
    const before = b.render() as ReactElement;
    expect(before.type).toBe(Fragment);
    throwInto(b, () => renderToStaticMarkup(before));
    broken = false;
    buttonOf(b.render())();
    expect(b.state.caught).toBe(false);
    const after = b.render() as ReactElement;
    expect(after.type).toBe(Fragment);
    expect(after.key).not.toBe(before.key);
    expect(renderToStaticMarkup(after)).toBe('<p data-testid="child">back</p>');
  });

  it('calls onRetry before a page mounts again (App makes a new lazy page there)', () => {
    const calls: string[] = [];
    const b = instance({
      scope: 'page',
      name: 'Memory',
      onRetry: () => calls.push('retry'),
      children: createElement(Thrower, { message: 'page bug' }),
    });
    throwInto(b, () => renderToStaticMarkup(b.render() as ReactElement));
    const html = renderToStaticMarkup(b.render() as ReactElement);
    // A failed page keeps its title.
    expect(html).toMatch(/^<article class="page"><h1>Memory<\/h1>/);
    expect(html).toContain('The section “Memory” stopped with an error: page bug');
    expect(html).toContain('>Reload this section</button>');
    buttonOf(b.render())();
    expect(calls).toEqual(['retry']);
    expect(b.state.caught).toBe(false);
  });

  it('shows the newer-version message for a page chunk that no longer exists', () => {
    const b = instance({ scope: 'page', name: 'Decoder-only (GPT)', children: null });
    b.state = { ...b.state, ...ErrorBoundary.getDerivedStateFromError(CHROMIUM) };
    const html = renderToStaticMarkup(b.render() as ReactElement);
    expect(html).toContain('data-kind="stale"');
    expect(html).toContain('A newer version of the notebook is available — reload');
    expect(html).toContain('>Reload</button>');
  });

  it('records a throw of undefined as an error too', () => {
    expect(ErrorBoundary.getDerivedStateFromError(undefined)).toEqual({ caught: true, error: undefined });
  });

  it('throws while rendering a part the tests named in window.__notebookFaults (the e2e hook)', () => {
    (globalThis as { __notebookFaults?: unknown }).__notebookFaults = ['Hooked'];
    const el = (name: string) =>
      createElement(ErrorBoundary, { scope: 'demo', name, children: createElement(Child, { text: 'ok' }) });
    expect(renderToStaticMarkup(el('Other'))).toContain('ok');
    expect(() => renderToStaticMarkup(el('Hooked'))).toThrow('test fault in “Hooked”');
  });
});
