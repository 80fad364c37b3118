// The frame page's entry point. It talks to the loader on the host page only:
// messages are accepted from the host's exact origin and from the parent
// window alone, and posted to that origin alone (never '*'). The host's origin
// comes from the URL fragment the loader wrote; a page lying about it gets
// nothing, since the browser delivers a message only to the origin it names.

import { ORIGIN_PARAM, TAG, type Tagged, type ToFrame, type ToHost } from '../bridge';
import { Chat } from './chat';
import './frame.css';

function hostOrigin(): string | null {
  const claimed = new URLSearchParams(location.hash.slice(1)).get(ORIGIN_PARAM);
  try {
    return claimed && new URL(claimed).origin === claimed ? claimed : null;
  } catch {
    return null;
  }
}

const origin = hostOrigin();
let chat: Chat | null = null;

function toHost(message: ToHost): void {
  if (origin && window.parent !== window)
    window.parent.postMessage({ tag: TAG, ...message }, origin);
}

window.addEventListener('message', (event: MessageEvent) => {
  if (!origin || event.origin !== origin || event.source !== window.parent) return;
  const m = event.data as Tagged<ToFrame> | null;
  if (!m || m.tag !== TAG) return;
  if (m.t === 'init' && !chat) {
    chat = new Chat(m.config, {
      unread: (count) => toHost({ t: 'unread', count }),
      // Hidden from this moment: a message arriving before the loader's
      // answer must not count as read.
      close: () => {
        chat?.setVisible(false);
        toHost({ t: 'close' });
      },
    });
    chat.setVisible(m.open);
    // The page is built; the session and the socket start in a task of their own.
    const started = chat;
    setTimeout(() => void started.start());
  } else if (m.t === 'open') {
    chat?.setVisible(m.open);
  } else if (m.t === 'identify') {
    chat?.identify(m.customer);
  }
});

toHost({ t: 'ready' });
