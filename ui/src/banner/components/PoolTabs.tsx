// The pool: the four lists an agent works from (ARCHITECTURE.md §1), as tabs.
// Chats in wrap-up stay under "In progress" until their wrap-up completes.
import { type ReactNode, useState } from 'react';
import { BackendError } from '../backend/types';
import { useBanner, useBannerState, useNow } from '../state/context';
import { History } from './History';
import { clock, pickReason, visitorName, waited } from './names';

type Tab = 'in_progress' | 'pending' | 'pending_customers' | 'history';

export function PoolTabs({
  selected,
  onOpen,
}: {
  selected: number | null;
  onOpen: (c: number) => void;
}) {
  const { backend } = useBanner();
  const pool = useBannerState((s) => s.pool);
  const [tab, setTab] = useState<Tab>('in_progress');
  const offset = useBannerState((s) => s.clockOffset);
  // Durations and waits tick on the server's clock.
  const now = useNow(1000) + offset;
  const [error, setError] = useState<string | null>(null);

  if (!pool) {
    return <nav className="pool">Loading…</nav>;
  }

  const tabs: { id: Tab; label: string; count: number }[] = [
    {
      id: 'in_progress',
      label: 'In progress',
      count: pool.in_progress.length + pool.wrap_up.length,
    },
    { id: 'pending', label: 'Messages pending', count: pool.pending.length },
    {
      id: 'pending_customers',
      label: 'Messages pending customers',
      count: pool.pending_customers.length,
    },
    { id: 'history', label: 'History', count: pool.history.length },
  ];

  async function pick(conversation: number) {
    setError(null);
    try {
      await backend.pick(conversation);
      onOpen(conversation);
      setTab('in_progress');
    } catch (e) {
      setError(BackendError.from(e).message);
    }
  }

  const row = (conversation: number, content: ReactNode, after?: ReactNode) => (
    <li key={conversation} className={conversation === selected ? 'row selected' : 'row'}>
      <button type="button" className="open" onClick={() => onOpen(conversation)}>
        {content}
      </button>
      {after}
    </li>
  );

  return (
    <nav className="pool">
      <div role="tablist">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            onClick={() => setTab(t.id)}
          >
            {t.label} <span className="count">{t.count}</span>
          </button>
        ))}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ul role="tabpanel" aria-label={tabs.find((t) => t.id === tab)?.label}>
        {tab === 'in_progress' &&
          pool.in_progress.map((c) =>
            row(
              c.conversation,
              <>
                <strong>{visitorName(c.visitor)}</strong>
                {c.unread > 0 && (
                  <span className="unread" title={`${c.unread} unread`}>
                    {c.unread}
                  </span>
                )}
                <span className="duration" title="Duration">
                  {waited(c.started_at, now)}
                </span>
                <span className="latest">{c.latest ? c.latest.text : ''}</span>
              </>,
            ),
          )}
        {tab === 'in_progress' &&
          pool.wrap_up.map((c) =>
            row(
              c.conversation,
              <>
                <strong>{visitorName(c.visitor)}</strong> <span className="tag">Wrap-up</span>
              </>,
            ),
          )}
        {tab === 'pending' &&
          pool.pending.map((c) =>
            row(
              c.conversation,
              <>
                <span className="channel" role="img" aria-label="Web chat" title="Web chat">
                  💬
                </span>
                <strong>{visitorName(c.visitor)}</strong>
                <span className="queue">{c.queue?.label ?? 'Direct'}</span>
                <span className="wait" title={`Waiting since ${clock(c.waiting_since)}`}>
                  waiting {waited(c.waiting_since, now)}
                </span>
                {!c.can_pick && <span className="reason">{pickReason(c.reason)}</span>}
              </>,
              <button
                type="button"
                className="pick"
                disabled={!c.can_pick}
                title={pickReason(c.reason)}
                aria-label={`Pick ${visitorName(c.visitor)}`}
                onClick={() => pick(c.conversation)}
              >
                ✋
              </button>,
            ),
          )}
        {tab === 'pending_customers' &&
          pool.pending_customers.map((c) =>
            row(
              c.conversation,
              <>
                <strong>{visitorName(c.visitor)}</strong>
                {c.frozen && <span className="tag">Frozen</span>}
                <span className="since">since {clock(c.since)}</span>
              </>,
            ),
          )}
        {tab === 'history' &&
          pool.history.map((c) =>
            row(
              c.conversation,
              <>
                <strong>{visitorName(c.visitor)}</strong>
                <span className="since">ended {clock(c.ended_at)}</span>
              </>,
            ),
          )}
      </ul>
      {tab === 'history' && <History onOpen={onOpen} />}
    </nav>
  );
}
