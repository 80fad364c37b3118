// The entry point: picks the backend (the desktop app's commands when running
// in Tauri, else the web backend) and the view (`#popup`: the desktop app's
// incoming-popup window; otherwise the agent's main window).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { inTauri, shedsGestureTokens, TauriBackend } from './backend/tauri';
import { WebBackend } from './backend/web';
import { App } from './components/App';
import { LocalServer } from './components/LocalServer';
import { PopupWindow } from './components/PopupWindow';
import { GESTURES_PER_ASK, shedGestureTokens } from './gestureTokens';
import { FIRST_PAINT, PaintMark } from './paintMarks';
import { BannerProvider } from './state/context';
import { Store } from './state/store';
import './styles.css';

const desktop = inTauri();
const popup = location.hash === '#popup';
const backend = desktop ? new TauriBackend() : new WebBackend();
const store = new Store();
const root = document.getElementById('root');

if (desktop) {
  // WebKitGTK keeps a record of every key and click until the page asks for
  // a window (gestureTokens.ts); the popup, with a few gestures an offer, asks at each.
  shedsGestureTokens()
    .then((sheds) => sheds && shedGestureTokens(window, popup ? 1 : GESTURES_PER_ASK))
    .catch((e) => console.warn('WebKit keeps its record of keys and clicks:', e));
}

if (root) {
  createRoot(root).render(
    <StrictMode>
      <BannerProvider backend={backend} store={store}>
        {popup ? (
          <PopupWindow />
        ) : (
          <App
            inlineOffers={!desktop}
            loginExtra={desktop ? (fill) => <LocalServer fill={fill} /> : undefined}
          />
        )}
        <PaintMark name={FIRST_PAINT} />
      </BannerProvider>
    </StrictMode>,
  );
}
