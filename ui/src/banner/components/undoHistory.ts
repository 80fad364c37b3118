// The page's undo history, emptied once a message is sent.
//
// WebKitGTK keeps every edit's undo step for as long as the page lives: the
// UI process's undo stack has no limit, and is emptied only when a frame
// closes its document (a navigation, or a frame taken out of the page).
// Each step keeps, in the web process, the nodes and text its edit touched,
// so an agent's typing, and the composer of every chat closed since, stayed
// in memory for the whole shift: ~0.2 MiB a minute of the web process in a
// soak that typed as the editor does (docs/benchmarks-journal.md). Once a message
// is sent its text has left the composer and there is nothing worth
// undoing, so the composer then reloads an empty frame the page keeps for
// this: the frame's blank document closing empties the history.
//
// The frame is kept and reloaded, not put in and taken out each time: a new
// frame costs WebKit's UI process (the app's own process) ~5.3 KiB that it
// never gives back, a reload costs it nothing (docs/benchmarks-journal.md, "The
// undo history emptied without a new frame"). Other webviews get the same
// frame, and an emptied history, on their first send.

let blank: HTMLIFrameElement | null = null;

/** Empties the page's undo history (see the module comment). */
export function forgetUndoHistory(): void {
  if (!blank?.isConnected) {
    blank = document.createElement('iframe');
    blank.hidden = true;
    blank.setAttribute('aria-hidden', 'true');
    blank.tabIndex = -1;
    document.body.append(blank);
  }
  // A load replacing the frame's document closes it; the history empties
  // once the load starts, a moment after this returns. Replacing, not
  // setting the frame's `src`: that would also add an entry to the page's
  // session history at each send, for a Back to walk the frame through.
  blank.contentWindow?.location.replace('about:blank');
}
