// The desktop app's incoming-popup window: small, always on top, showing only
// the offers ringing the agent. The Rust side shows it when an offer rings and
// hides it when none does; accepting brings the main window forward.
import { useEffect } from 'react';
import { useBanner } from '../state/context';
import { OfferPopup, OfferShortcuts } from './OfferPopup';

export function PopupWindow() {
  const { backend, store } = useBanner();
  useEffect(() => {
    backend
      .pool()
      .then((pool) => store.dispatch({ type: 'pool', pool }))
      .catch(() => {});
  }, [backend, store]);
  return (
    <main className="popup-window">
      <OfferPopup />
      <OfferShortcuts />
    </main>
  );
}
