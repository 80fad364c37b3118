// Lets WebKitGTK drop its record of the agent's keys and clicks (the desktop
// app on Linux). Before WebKit hands a page a key event, or a mouse press or
// release, its UI process (the app's own process) records the event's
// gesture token, and it keeps every record until the page asks for a new
// window within a gesture it can check: then it drops the page's whole
// record. The app turns that check on (src-tauri/src/gesture_tokens.rs) and
// opens no window, so asking now and then costs one refused window and frees
// ~330 bytes for each key since the last ask (docs/benchmarks-journal.md).
//
// Asking leaves the gesture whole for what its handlers do next: WebKit's
// `window.open` only reads the gesture, and answers null when no window is
// made, so a click can still open the file picker.

/** Key presses and clicks between two asks in the main window. */
export const GESTURES_PER_ASK = 64;

/** Where the asks go: a window of the app's. */
type Page = Pick<Window, 'addEventListener' | 'removeEventListener' | 'open'>;

/**
 * Asks for a window at every `gesturesPerAsk`-th key press or click (the
 * popup, which sees a few clicks per offer, asks at each: `1`); returns the
 * function that stops asking.
 */
export function shedGestureTokens(page: Page, gesturesPerAsk = GESTURES_PER_ASK): () => void {
  let gestures = 0;
  const onGesture = () => {
    gestures += 1;
    if (gestures >= gesturesPerAsk) {
      gestures = 0;
      // The app refuses every window: this answers null and nothing opens.
      page.open('about:blank', '_blank', 'noopener');
    }
  };
  page.addEventListener('keydown', onGesture, true);
  page.addEventListener('click', onGesture, true);
  return () => {
    page.removeEventListener('keydown', onGesture, true);
    page.removeEventListener('click', onGesture, true);
  };
}
