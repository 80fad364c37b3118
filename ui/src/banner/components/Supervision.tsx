// The supervisor's live view: queues, agents and running conversations,
// kept current by `supervision_changed` frames.
import { useEffect, useState } from 'react';
import { BackendError } from '../backend/types';
import { useBanner, useBannerState, useNow } from '../state/context';
import { visitorName, waited } from './names';

export function Supervision({ onOpen }: { onOpen: (c: number) => void }) {
  const { backend } = useBanner();
  const live = useBannerState((s) => s.supervision);
  const offset = useBannerState((s) => s.clockOffset);
  const now = useNow(1000) + offset;
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    backend.subscribeSupervision().catch((e) => setError(BackendError.from(e).message));
  }, [backend]);

  if (error) {
    return <p role="alert">{error}</p>;
  }
  if (!live) {
    return <p>Loading…</p>;
  }
  return (
    <section className="supervision" aria-label="Supervision">
      <table aria-label="Queues">
        <thead>
          <tr>
            <th>Queue</th>
            <th>Waiting</th>
            <th>Longest wait</th>
            <th>Eligible agents</th>
          </tr>
        </thead>
        <tbody>
          {live.queues.map((q) => (
            <tr key={q.queue.id}>
              <td>{q.queue.label}</td>
              <td>{q.waiting}</td>
              <td>{q.oldest_since === null ? '—' : waited(q.oldest_since, now)}</td>
              <td>{q.eligible_agents}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table aria-label="Agents">
        <thead>
          <tr>
            <th>Agent</th>
            <th>Presence</th>
            <th>Load</th>
          </tr>
        </thead>
        <tbody>
          {live.agents.map((a) => (
            <tr key={a.agent.id}>
              <td>{a.agent.name}</td>
              <td>{a.presence}</td>
              <td>
                {a.load}/{a.capacity}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table aria-label="Conversations">
        <thead>
          <tr>
            <th>Visitor (read-only view)</th>
            <th>Where</th>
            <th>Queue</th>
            <th>Agent</th>
          </tr>
        </thead>
        <tbody>
          {live.conversations.map((c) => (
            <tr key={c.conversation}>
              <td>
                <button type="button" className="open" onClick={() => onOpen(c.conversation)}>
                  {visitorName(c.visitor)}
                </button>
              </td>
              <td>{c.place}</td>
              <td>{c.queue?.label ?? '—'}</td>
              <td>{c.agent?.name ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
