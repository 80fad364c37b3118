// User Timing marks for the desktop benchmark, on the page's own clock
// rather than through WebDriver's round trips:
// - `banner:first-paint`: the first frame the window paints (the login form),
// - `banner:login-submitted`: the agent pressed "Log in",
// - `banner:pool-painted`: the first frame that shows the agent's pool.
// Each is set once per page; the benchmark reads them with the page's
// `performance.timeOrigin`.
import { useEffect } from 'react';

export const FIRST_PAINT = 'banner:first-paint';
export const LOGIN_SUBMITTED = 'banner:login-submitted';
export const POOL_PAINTED = 'banner:pool-painted';

function marked(name: string): boolean {
  return performance.getEntriesByName(name).length > 0;
}

/** Sets `name` now, unless it is already set. */
export function markOnce(name: string) {
  if (!marked(name)) {
    performance.mark(name);
  }
}

/** Sets `name` once the next frame is painted, unless it is already set. */
export function markAfterPaint(name: string) {
  if (marked(name)) {
    return;
  }
  requestAnimationFrame(() => {
    // A frame is painted right after its animation callbacks run; a message
    // posted from one is handled once that paint is done.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      markOnce(name);
      channel.port1.close();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Placed last in a tree: its effect runs once that tree is committed, and
 * marks `name` after the frame that shows it. StrictMode runs effects twice;
 * only the first frame counts.
 */
export function PaintMark({ name }: { name: string }) {
  useEffect(() => markAfterPaint(name), [name]);
  return null;
}
