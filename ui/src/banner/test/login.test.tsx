import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../backend/types';
import { App } from '../components/App';
import { LOGIN_SUBMITTED, POOL_PAINTED } from '../paintMarks';
import { setup } from './render';

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('the login screen', () => {
  it('logs in with the server, user and password, then shows the pool', async () => {
    const { backend } = setup(<App />, { loggedIn: false });
    fill('Server', 'http://127.0.0.1:9999');
    fill('User', 'ada');
    fill('Password', 'secret');
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await screen.findByRole('tab', { name: /In progress/ });
    expect(backend.callsOf('login')).toEqual([['http://127.0.0.1:9999', 'ada', 'secret']]);
  });

  it('marks pressing "Log in", then the first frame that shows the pool', async () => {
    performance.clearMarks();
    setup(<App />, { loggedIn: false });
    fill('User', 'ada');
    fill('Password', 'secret');
    expect(performance.getEntriesByName(LOGIN_SUBMITTED)).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(performance.getEntriesByName(LOGIN_SUBMITTED)).toHaveLength(1);
    await screen.findByRole('tab', { name: /In progress/ });
    await waitFor(() => expect(performance.getEntriesByName(POOL_PAINTED)).toHaveLength(1));
    const [submitted] = performance.getEntriesByName(LOGIN_SUBMITTED);
    const [painted] = performance.getEntriesByName(POOL_PAINTED);
    expect(painted.startTime).toBeGreaterThanOrEqual(submitted.startTime);
  });

  it("offers the backend's remembered server and user, never a password", async () => {
    setup(<App />, {
      loggedIn: false,
      prepare: (b) => {
        b.remembered = { server: 'http://127.0.0.1:9999', username: 'ada' };
      },
    });
    expect(await screen.findByDisplayValue('http://127.0.0.1:9999')).toBeTruthy();
    expect(screen.getByLabelText('User')).toHaveProperty('value', 'ada');
    expect(screen.getByLabelText('Password')).toHaveProperty('value', '');
  });

  it('leaves remembering to the backend: the page stores nothing itself', async () => {
    const { backend } = setup(<App />, { loggedIn: false });
    fill('Server', 'http://127.0.0.1:9999');
    fill('User', 'ada');
    fill('Password', 'secret');
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await screen.findByRole('tab', { name: /In progress/ });
    expect(backend.remembered).toEqual({ server: 'http://127.0.0.1:9999', username: 'ada' });
    expect(localStorage.length).toBe(0);
  });

  it('does not overwrite what the agent started typing', async () => {
    let answer: (r: { server: string; username: string }) => void = () => {};
    setup(<App />, {
      loggedIn: false,
      prepare: (b) => {
        b.rememberedLogin = () =>
          new Promise((resolve) => {
            answer = resolve;
          });
      },
    });
    fill('User', 'grace');
    await act(async () => answer({ server: 'http://x', username: 'ada' }));
    expect(screen.getByLabelText('User')).toHaveProperty('value', 'grace');
  });

  it("shows the server's refusal and stays on the form", async () => {
    const { backend } = setup(<App />, { loggedIn: false });
    backend.failures.set('login', new BackendError('unauthorized', 'Wrong user or password.'));
    fill('User', 'ada');
    fill('Password', 'nope');
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong user or password.');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Log in' })).toHaveProperty('disabled', false),
    );
  });
});
