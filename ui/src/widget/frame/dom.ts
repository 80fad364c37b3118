// A tiny element builder. Text always goes in as Text nodes: nothing here (or
// anywhere in the widget) parses a string as HTML, and the frame's CSP
// (Trusted Types) would refuse it if anything tried.

type Child = Node | string | null | undefined | false;

/** `<tag attrs…>children…</tag>`; string children become text. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, string> | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) el.setAttribute(name, value);
  for (const child of children) {
    if (child || child === '') el.append(child);
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A 24×24 icon made of one path, hidden from assistive technology. */
export function icon(d: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}
