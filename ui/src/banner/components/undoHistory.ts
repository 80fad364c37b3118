// The page's undo history, emptied once a message is sent.
//
// WebKitGTK keeps every edit's undo step for as long as the page lives: the
// UI process's undo stack has no limit, and is emptied only when a frame
// closes its document (a navigation, or a frame taken out of the page).
// Each step keeps, in the web process, the nodes and text its edit touched,
// so an agent's typing, and the composer of every chat closed since, stayed
// in memory for the whole shift: ~0.2 MiB a minute of the web process in a
// soak that typed as the editor does (docs/BENCHMARKS.md). Once a message
// is sent its text has left the composer and there is nothing worth
// undoing, so the composer then puts an empty frame in the page and takes
// it out at once: closing that frame's document empties the history.
// That frame is not free either: ~5.5 KiB of the app's own process each
// time in the soak, against ~12 KiB of the web process a typed answer kept
// (docs/BENCHMARKS.md, "The page's undo history"). Other webviews get the
// same frame and an emptied history.

/** Empties the page's undo history (see the module comment). */
export function forgetUndoHistory(): void {
  const frame = document.createElement('iframe');
  frame.hidden = true;
  frame.setAttribute('aria-hidden', 'true');
  document.body.append(frame);
  frame.remove();
}
