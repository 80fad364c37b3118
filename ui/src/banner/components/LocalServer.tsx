// "Start a local server" (desktop app only): runs banner-server inside the
// app on SQLite in the app's data dir, with the demo floor, then fills the
// login form and shows the widget snippet to paste into a website.
import { useState } from 'react';
import { type LocalServerInfo, startLocalServer } from '../backend/tauri';
import { BackendError } from '../backend/types';

export function LocalServer({
  fill,
}: {
  fill: (server: string, username: string, password: string) => void;
}) {
  const [info, setInfo] = useState<LocalServerInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function start() {
    setBusy(true);
    setError(null);
    try {
      const started = await startLocalServer();
      setInfo(started);
      const first = started.users[0];
      if (first) {
        fill(started.url, first.username, first.password);
      }
    } catch (e) {
      setError(BackendError.from(e).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="local-server">
      <button type="button" onClick={start} disabled={busy || info !== null}>
        Start a local server
      </button>
      {error && <p role="alert">{error}</p>}
      {info && (
        <>
          <p>
            Serving on <code>{info.url}</code> (data in <code>{info.data_dir}</code>).
          </p>
          <p>Paste this into your website to show the chat widget:</p>
          <pre className="snippet">{info.snippet}</pre>
          <ul aria-label="Demo users">
            {info.users.map((u) => (
              <li key={u.username}>
                {u.username} / <code>{u.password}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
