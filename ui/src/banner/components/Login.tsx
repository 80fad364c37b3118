// The login screen: server URL, user and password. The URL and the user are
// remembered for next time (in local storage); the password never is.
import { type ChangeEvent, type FormEvent, type ReactNode, useState } from 'react';
import { BackendError } from '../backend/types';
import { useBanner } from '../state/context';

const REMEMBERED = 'banner.login';

type Remembered = { server: string; username: string };

/** The server that served this page (the web app at `/app/`), else a local one. */
export function defaultServer(at: Location = location): string {
  return at.protocol === 'http:' || at.protocol === 'https:' ? at.origin : 'http://127.0.0.1:8080';
}

export function remembered(storage: Storage = localStorage): Remembered {
  try {
    const value = JSON.parse(storage.getItem(REMEMBERED) ?? '{}') as Partial<Remembered>;
    return { server: value.server ?? defaultServer(), username: value.username ?? '' };
  } catch {
    return { server: defaultServer(), username: '' };
  }
}

/** `extra` may fill the form (the desktop app's local server does). */
export type LoginExtra = (
  fill: (server: string, username: string, password: string) => void,
) => ReactNode;

export function Login({ extra }: { extra?: LoginExtra }) {
  const { backend, store } = useBanner();
  const [form, setForm] = useState(() => ({ ...remembered(), password: '' }));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const profile = await backend.login(form.server, form.username, form.password);
      localStorage.setItem(
        REMEMBERED,
        JSON.stringify({ server: form.server, username: form.username }),
      );
      store.dispatch({ type: 'logged_in', profile });
    } catch (e) {
      setError(BackendError.from(e).message);
    } finally {
      setBusy(false);
    }
  }

  const field = (name: 'server' | 'username' | 'password') => ({
    name,
    value: form[name],
    onChange: (e: ChangeEvent<HTMLInputElement>) => setForm({ ...form, [name]: e.target.value }),
  });

  return (
    <main className="login">
      <form onSubmit={submit} aria-label="Log in">
        <h1>Banner</h1>
        <label>
          Server
          <input type="url" required {...field('server')} />
        </label>
        <label>
          User
          <input autoComplete="username" required {...field('username')} />
        </label>
        <label>
          Password
          <input type="password" autoComplete="current-password" required {...field('password')} />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        {extra?.((server, username, password) => setForm({ server, username, password }))}
      </form>
    </main>
  );
}
