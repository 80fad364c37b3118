// History search. The server marks matched words in a snippet with U+0002 and
// U+0003; the snippet is split on them and every part is rendered as text,
// the matches inside <mark>, so a snippet can never inject markup.
import { type FormEvent, useState } from 'react';
import type { HistoryHit } from '../../protocol';
import { BackendError } from '../backend/types';
import { useBanner } from '../state/context';
import { clock } from './names';

/** A snippet's parts: the text between markers, and whether each is a match. */
export function snippetParts(snippet: string): { at: number; text: string; match: boolean }[] {
  const parts: { at: number; text: string; match: boolean }[] = [];
  let at = 0;
  for (const piece of snippet.split('\u0002')) {
    const end = piece.indexOf('\u0003');
    const match = end >= 0 ? piece.slice(0, end) : null;
    const rest = end >= 0 ? piece.slice(end + 1) : piece;
    if (match) {
      parts.push({ at, text: match, match: true });
    }
    if (rest) {
      parts.push({ at: at + (match?.length ?? 0), text: rest, match: false });
    }
    at += piece.length + 1;
  }
  return parts;
}

export function History({ onOpen }: { onOpen: (c: number) => void }) {
  const { backend } = useBanner();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<HistoryHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function search(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      setHits((await backend.history(q)).hits);
    } catch (e) {
      setError(BackendError.from(e).message);
    }
  }

  return (
    <section className="history-search">
      <form onSubmit={search} aria-label="History search">
        <input aria-label="Search words" value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="submit">Search</button>
      </form>
      {error && <p role="alert">{error}</p>}
      {hits && hits.length === 0 && <p>No message matches.</p>}
      <ul aria-label="Search results">
        {hits?.map((hit) => (
          <li key={`${hit.conversation}-${hit.seq}`} className="row">
            <button type="button" className="open" onClick={() => onOpen(hit.conversation)}>
              <span className="since">{clock(hit.at)}</span>{' '}
              {snippetParts(hit.snippet).map((part) =>
                part.match ? (
                  <mark key={part.at}>{part.text}</mark>
                ) : (
                  <span key={part.at}>{part.text}</span>
                ),
              )}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
