// The login screen: server URL, user and password. The URL and the user of
// the last login are offered again — the backend remembers them (the desktop
// app in its data dir, the web build in local storage); the password never.
import { type ChangeEvent, type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { BackendError } from '../backend/types';
import { LOGIN_SUBMITTED, markOnce } from '../paintMarks';
import { useBanner } from '../state/context';

/** The server that served this page (the web app at `/app/`), else a local one. */
export function defaultServer(at: Location = location): string {
  return at.protocol === 'http:' || at.protocol === 'https:' ? at.origin : 'http://127.0.0.1:8080';
}

/** `extra` may fill the form (the desktop app's local server does). */
export type LoginExtra = (
  fill: (server: string, username: string, password: string) => void,
) => ReactNode;

export function Login({ extra }: { extra?: LoginExtra }) {
  const { backend, store } = useBanner();
  const [form, setForm] = useState({ server: defaultServer(), username: '', password: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The remembered login arrives asynchronously; it fills only what the
  // agent has not started typing.
  useEffect(() => {
    let live = true;
    backend
      .rememberedLogin()
      .then((last) => {
        if (live && last) {
          setForm((f) => (f.username === '' ? { ...f, ...last } : f));
        }
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [backend]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    markOnce(LOGIN_SUBMITTED);
    setBusy(true);
    setError(null);
    try {
      const profile = await backend.login(form.server, form.username, form.password);
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
