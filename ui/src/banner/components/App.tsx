// The agent's window: the login screen until someone is logged in, then the
// top bar, the pool, the open chat (or supervision, or the notification
// settings), and the incoming popups (inline, unless the desktop app shows
// them in their own always-on-top window). A clicked native notification
// opens its chat; the keyboard shortcuts work here too.
import { useEffect, useState } from 'react';
import type { InProgressChat } from '../../protocol';
import { PaintMark, POOL_PAINTED } from '../paintMarks';
import { useBanner, useBannerState } from '../state/context';
import { Conversation } from './Conversation';
import { Login, type LoginExtra } from './Login';
import { NotificationSettingsPage } from './NotificationSettingsPage';
import { OfferPopup, OfferShortcuts } from './OfferPopup';
import { PoolTabs } from './PoolTabs';
import { ShortcutsHelp } from './ShortcutsHelp';
import { Supervision } from './Supervision';
import { nextChat, useShortcuts } from './shortcuts';
import { TopBar } from './TopBar';

type View = 'chats' | 'supervision' | 'settings';

const NO_CHATS: InProgressChat[] = [];

export function App({
  loginExtra,
  inlineOffers = true,
}: {
  loginExtra?: LoginExtra;
  inlineOffers?: boolean;
}) {
  const { backend, store } = useBanner();
  const profile = useBannerState((s) => s.profile);
  const inProgress = useBannerState((s) => s.pool?.in_progress ?? NO_CHATS);
  const hasPool = useBannerState((s) => Boolean(s.pool));
  const [open, setOpen] = useState<number | null>(null);
  const [view, setView] = useState<View>('chats');

  // The first pool comes over HTTP; `pool_changed` frames follow.
  useEffect(() => {
    if (profile) {
      backend
        .pool()
        .then((pool) => store.dispatch({ type: 'pool', pool }))
        .catch(() => {});
    }
  }, [backend, store, profile]);

  // Rust has already brought the window forward; show the chat.
  useEffect(
    () =>
      backend.onFocus((conversation) => {
        setView('chats');
        setOpen(conversation);
      }),
    [backend],
  );

  useShortcuts({
    next_chat: () => {
      const next = nextChat(
        inProgress.map((c) => c.conversation),
        open,
      );
      if (next !== null) {
        setView('chats');
        setOpen(next);
      }
    },
  });

  if (!profile) {
    return <Login extra={loginExtra} />;
  }
  const monitor = profile.permissions.includes('monitor');
  const toggle = (to: View) => setView(view === to ? 'chats' : to);
  const openChat = (conversation: number) => {
    if (view === 'settings') {
      setView('chats');
    }
    setOpen(conversation);
  };
  return (
    <div className="app">
      <TopBar />
      <div className="views">
        {monitor && (
          <button type="button" className="supervise" onClick={() => toggle('supervision')}>
            {view === 'supervision' ? 'Back to my chats' : 'Supervision'}
          </button>
        )}
        <button type="button" className="open-settings" onClick={() => toggle('settings')}>
          {view === 'settings' ? 'Back to my chats' : 'Notification settings'}
        </button>
        <ShortcutsHelp />
      </div>
      <div className="main">
        {view === 'supervision' ? (
          <Supervision onOpen={setOpen} />
        ) : (
          <PoolTabs selected={open} onOpen={openChat} />
        )}
        {view === 'settings' ? (
          <NotificationSettingsPage />
        ) : open !== null ? (
          <Conversation key={open} conversation={open} />
        ) : (
          <p className="empty">No chat open.</p>
        )}
      </div>
      {inlineOffers && <OfferPopup onAccepted={setOpen} />}
      <OfferShortcuts onAccepted={setOpen} />
      {hasPool && <PaintMark name={POOL_PAINTED} />}
    </div>
  );
}
