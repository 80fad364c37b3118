// The bar above everything: who is logged in, the presence switch, the load
// against capacity, and the state of the connection.

import { useState } from 'react';
import type { Presence } from '../../protocol';
import type { Link } from '../backend/types';
import { BackendError } from '../backend/types';
import { useBanner, useBannerState } from '../state/context';

const PRESENCES: { value: Presence; label: string }[] = [
  { value: 'available', label: 'Available to chat' },
  { value: 'away', label: 'Away' },
  { value: 'offline', label: 'Offline' },
];

export function linkText(link: Link): string {
  switch (link.state) {
    case 'up':
      return 'Connected';
    case 'down':
      return 'Reconnecting…';
    case 'closed':
      return link.close_code === 4401 ? 'Session ended: log in again' : 'Disconnected';
  }
}

export function TopBar() {
  const { backend } = useBanner();
  const profile = useBannerState((s) => s.profile);
  const pool = useBannerState((s) => s.pool);
  const link = useBannerState((s) => s.link);
  const [error, setError] = useState<string | null>(null);
  const presence = pool?.presence ?? profile?.presence ?? 'offline';

  async function change(next: Presence) {
    setError(null);
    try {
      await backend.setPresence(next);
    } catch (e) {
      setError(BackendError.from(e).message);
    }
  }

  return (
    <header className="top-bar">
      <span className="who">{profile?.name}</span>
      <select
        aria-label="Presence"
        className={`presence presence-${presence}`}
        value={presence}
        onChange={(e) => change(e.target.value as Presence)}
      >
        {PRESENCES.map((p) => (
          <option key={p.value} value={p.value}>
            {p.label}
          </option>
        ))}
      </select>
      <span className="load" title="Chats and offers against your capacity">
        Load {pool ? `${pool.load}/${pool.capacity}` : '–'}
      </span>
      <span className={`link link-${link.state}`} role="status">
        {linkText(link)}
      </span>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </header>
  );
}
