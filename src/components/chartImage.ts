// A chart as a file, the DOM part: the figure as the student sees it (recharts'
// SVG and the HTML legend under it) rasterised to PNG, or rebuilt as one
// plain SVG. Colours come from CSS variables, so both read computed styles:
// the files show the theme the page is in.

/** The colour behind `el`: its own background, or the first ancestor's that is not transparent. */
export function backgroundOf(el: Element): string {
  for (let node: Element | null = el; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(bg)) return bg;
  }
  return '#ffffff';
}

/** Pixels per CSS pixel in the PNG: the screen's, so it is as sharp as on screen (at most 3, to bound its size). */
export function pngPixelRatio(): number {
  return Math.min(3, Math.max(1, window.devicePixelRatio || 1));
}

/** Parts of a chart that are there only while the pointer is on it. */
const isTransient = (node: Node) => !(node instanceof Element) || !node.classList.contains('recharts-tooltip-wrapper');

/**
 * The figure as PNG, at its on-screen size times pngPixelRatio(). html-to-image
 * copies every element's computed style into a clone, so the SVG lines (whose
 * colours are CSS variables) and the HTML legend come out together as drawn.
 * Fonts are not fetched and embedded: the chart uses the system's.
 */
export async function chartPng(figure: HTMLElement): Promise<Blob> {
  // Loaded on the first PNG asked for: most visits never download one.
  const { toCanvas } = await import('html-to-image');
  const box = figure.getBoundingClientRect();
  const canvas = await toCanvas(figure, {
    width: Math.round(box.width),
    height: Math.round(box.height),
    pixelRatio: pngPixelRatio(),
    backgroundColor: backgroundOf(figure),
    skipFonts: true,
    filter: isTransient,
  });
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The browser could not encode the PNG.'))), 'image/png'),
  );
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The computed properties an SVG needs written out once its stylesheet is gone. */
const SVG_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
] as const;

/** A deep copy of an SVG element with every element's computed style written as attributes (var(--…) resolved). */
function resolvedClone(svg: SVGElement): SVGElement {
  const copy = svg.cloneNode(true) as SVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  from.forEach((el, i) => {
    const style = getComputedStyle(el);
    const target = to[i];
    for (const prop of SVG_PROPS) {
      const value = style.getPropertyValue(prop);
      if (value) target.setAttribute(prop, value);
    }
    // An inline style would win over the attributes, and may hold var(--…) that no longer resolves; the
    // classes stay, as names for whoever edits the file (no stylesheet comes with it).
    target.removeAttribute('style');
  });
  return copy;
}

/**
 * The HTML text in `root` as SVG <text>, one element per line it wraps to on
 * screen (each word's box says which line it is on), in its computed font and
 * colour, positioned relative to `origin`.
 */
function textAsSvg(root: Element, origin: DOMRect, doc: Document): SVGElement[] {
  const out: SVGElement[] = [];
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    const parent = node.parentElement;
    if (!parent || text.trim() === '') continue;
    const style = getComputedStyle(parent);
    const lines: { top: number; bottom: number; left: number; words: string[] }[] = [];
    const range = doc.createRange();
    for (const m of text.matchAll(/\S+/g)) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const r = range.getBoundingClientRect();
      const line = lines.at(-1);
      if (line && Math.abs(r.top - line.top) < 2) line.words.push(m[0]);
      else lines.push({ top: r.top, bottom: r.bottom, left: r.left, words: [m[0]] });
    }
    for (const line of lines) {
      const t = doc.createElementNS(SVG_NS, 'text');
      t.setAttribute('x', (line.left - origin.left).toFixed(1));
      // The line box's bottom less about a fifth of the font size: the baseline of most fonts.
      t.setAttribute('y', (line.bottom - origin.top - parseFloat(style.fontSize) * 0.25).toFixed(1));
      t.setAttribute('fill', style.color);
      t.setAttribute('font-family', style.fontFamily);
      t.setAttribute('font-size', style.fontSize);
      t.setAttribute('font-weight', style.fontWeight);
      // A hidden series' legend entry is struck through.
      if (style.textDecorationLine !== 'none') t.setAttribute('text-decoration', style.textDecorationLine);
      t.textContent = line.words.join(' ');
      out.push(t);
    }
  }
  return out;
}

/**
 * The figure as one standalone SVG of its on-screen size: a background, the
 * chart's own SVG with its styles resolved, and the legend rebuilt from SVG
 * parts (each swatch where it is on screen, each label as text), so vector
 * editors and slide tools that ignore embedded HTML still show all of it.
 */
export function chartSvg(figure: HTMLElement): string {
  const doc = figure.ownerDocument;
  const box = figure.getBoundingClientRect();
  const root = doc.createElementNS(SVG_NS, 'svg');
  const w = Math.round(box.width);
  const h = Math.round(box.height);
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('width', String(w));
  root.setAttribute('height', String(h));
  root.setAttribute('viewBox', `0 0 ${w} ${h}`);
  const bg = doc.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', backgroundOf(figure));
  root.append(bg);
  const place = (svg: SVGElement) => {
    const r = svg.getBoundingClientRect();
    const copy = resolvedClone(svg);
    copy.setAttribute('x', (r.left - box.left).toFixed(1));
    copy.setAttribute('y', (r.top - box.top).toFixed(1));
    copy.setAttribute('width', String(r.width));
    copy.setAttribute('height', String(r.height));
    root.append(copy);
  };
  const chart = figure.querySelector<SVGElement>('svg.recharts-surface');
  if (chart) place(chart);
  const legend = figure.querySelector('figcaption');
  if (legend) {
    legend.querySelectorAll<SVGElement>('svg').forEach(place);
    root.append(...textAsSvg(legend, box, doc));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}\n`;
}
