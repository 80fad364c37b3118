// The entry point: picks the backend (the desktop app's commands when running
// in Tauri, else the web backend) and the view (`#popup`: the desktop app's
// incoming-popup window; otherwise the agent's main window).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { inTauri, TauriBackend } from './backend/tauri';
import { WebBackend } from './backend/web';
import { App } from './components/App';
import { LocalServer } from './components/LocalServer';
import { PopupWindow } from './components/PopupWindow';
import { FIRST_PAINT, PaintMark } from './paintMarks';
import { BannerProvider } from './state/context';
import { Store } from './state/store';
import './styles.css';

const desktop = inTauri();
const popup = location.hash === '#popup';
const backend = desktop ? new TauriBackend() : new WebBackend();
const store = new Store();
const root = document.getElementById('root');

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
