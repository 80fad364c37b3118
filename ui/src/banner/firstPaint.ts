// Marks the first frame the window paints, as the User Timing entry
// `banner:first-paint`: the desktop benchmark reads it to time a cold start
// from the process's start to a screen the agent sees, on the page's own
// clock rather than through WebDriver's round trips.
import { useEffect } from 'react';

export const FIRST_PAINT = 'banner:first-paint';

/** Placed last in the first screen's tree: its effect runs once that tree is committed. */
export function FirstPaintMark() {
  useEffect(() => {
    // StrictMode runs effects twice; only the first frame counts.
    if (performance.getEntriesByName(FIRST_PAINT).length > 0) {
      return;
    }
    requestAnimationFrame(() => {
      // A frame is painted right after its animation callbacks run; a message
      // posted from one is handled once that paint is done.
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        if (performance.getEntriesByName(FIRST_PAINT).length === 0) {
          performance.mark(FIRST_PAINT);
        }
        channel.port1.close();
      };
      channel.port2.postMessage(null);
    });
  }, []);
  return null;
}
