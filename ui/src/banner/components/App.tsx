// The agent's window: the login screen until someone is logged in, then the
// top bar, the pool, the open chat, and the incoming popups (inline, unless the
// desktop app shows them in their own always-on-top window).
import { useEffect, useState } from 'react';
import { useBanner, useBannerState } from '../state/context';
import { Conversation } from './Conversation';
import { Login, type LoginExtra } from './Login';
import { OfferPopup } from './OfferPopup';
import { PoolTabs } from './PoolTabs';
import { Supervision } from './Supervision';
import { TopBar } from './TopBar';

export function App({
  loginExtra,
  inlineOffers = true,
}: {
  loginExtra?: LoginExtra;
  inlineOffers?: boolean;
}) {
  const { backend, store } = useBanner();
  const profile = useBannerState((s) => s.profile);
  const [open, setOpen] = useState<number | null>(null);
  const [supervising, setSupervising] = useState(false);

  // The first pool comes over HTTP; `pool_changed` frames follow.
  useEffect(() => {
    if (profile) {
      backend
        .pool()
        .then((pool) => store.dispatch({ type: 'pool', pool }))
        .catch(() => {});
    }
  }, [backend, store, profile]);

  if (!profile) {
    return <Login extra={loginExtra} />;
  }
  const monitor = profile.permissions.includes('monitor');
  return (
    <div className="app">
      <TopBar />
      {monitor && (
        <button type="button" className="supervise" onClick={() => setSupervising(!supervising)}>
          {supervising ? 'Back to my chats' : 'Supervision'}
        </button>
      )}
      <div className="main">
        {supervising ? (
          <Supervision onOpen={setOpen} />
        ) : (
          <PoolTabs selected={open} onOpen={setOpen} />
        )}
        {open !== null ? (
          <Conversation key={open} conversation={open} />
        ) : (
          <p className="empty">No chat open.</p>
        )}
      </div>
      {inlineOffers && <OfferPopup onAccepted={setOpen} />}
    </div>
  );
}
