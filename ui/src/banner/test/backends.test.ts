// The desktop backend against mocked Tauri IPC: the remembered login comes
// from Rust's `remembered_login` (never local storage), the notification
// settings from their commands, and a clicked notification from
// `banner:focus`; frames come by asking for them (`next_frames`) in a loop.
// The web backend keeps the login in local storage.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const ipc = vi.hoisted(() => ({
  invoke: vi.fn(),
  listen: vi.fn(),
}));
vi.mock('@tauri-apps/api/core', () => ({ invoke: ipc.invoke }));
vi.mock('@tauri-apps/api/event', () => ({ listen: ipc.listen }));

import type { AgentFrame } from '../../protocol';
import { ADA } from '../backend/mock';
import { FOCUS_EVENT, type FrameBatch, LINK_EVENT, RETRY_MS, TauriBackend } from '../backend/tauri';
import { type BackendEvent, DEFAULT_PREFS } from '../backend/types';
import { WebBackend } from '../backend/web';
import { loadRemembered, REMEMBERED_KEY, saveRemembered } from '../backend/web/device';

describe('the desktop backend', () => {
  beforeEach(() => {
    ipc.invoke.mockReset();
    ipc.listen.mockReset();
  });

  it("reads the remembered login from Rust's remembered_login", async () => {
    ipc.invoke.mockResolvedValueOnce({ server: 'http://10.0.0.5:8080', username: 'ada' });
    const login = await new TauriBackend().rememberedLogin();
    expect(ipc.invoke).toHaveBeenCalledWith('remembered_login', undefined);
    expect(login).toEqual({ server: 'http://10.0.0.5:8080', username: 'ada' });
    ipc.invoke.mockResolvedValueOnce(null);
    expect(await new TauriBackend().rememberedLogin()).toBeNull();
  });

  it('logs in through Rust, which remembers; the page stores nothing', async () => {
    ipc.invoke.mockResolvedValueOnce(ADA);
    await new TauriBackend().login('http://10.0.0.5:8080', 'ada', 'secret');
    expect(ipc.invoke).toHaveBeenCalledWith('login', {
      server: 'http://10.0.0.5:8080',
      username: 'ada',
      password: 'secret',
    });
    expect(localStorage.length).toBe(0);
  });

  it('reads and saves the notification settings through their commands', async () => {
    ipc.invoke.mockResolvedValueOnce(DEFAULT_PREFS).mockResolvedValueOnce(null);
    const backend = new TauriBackend();
    expect(await backend.notificationPrefs()).toEqual(DEFAULT_PREFS);
    const muted = { ...DEFAULT_PREFS, popup_sound: false };
    await backend.setNotificationPrefs(muted);
    expect(ipc.invoke).toHaveBeenLastCalledWith('set_notification_prefs', { prefs: muted });
  });

  it('hands a clicked notification (banner:focus) to its listener, until unsubscribed', async () => {
    const stop = vi.fn();
    let deliver: (e: { payload: { conversation: number } }) => void = () => {};
    ipc.listen.mockImplementation((_name, handler) => {
      deliver = handler;
      return Promise.resolve(stop);
    });
    const shown: number[] = [];
    const unsubscribe = new TauriBackend().onFocus((c) => shown.push(c));
    expect(ipc.listen).toHaveBeenCalledWith(FOCUS_EVENT, expect.any(Function));
    expect(FOCUS_EVENT).toBe('banner:focus');
    deliver({ payload: { conversation: 1042 } });
    expect(shown).toEqual([1042]);
    unsubscribe();
    await Promise.resolve();
    expect(stop).toHaveBeenCalled();
  });

  it('asks for its frames in a loop, each ask after the last number, and stops when unsubscribed', async () => {
    const frame = (n: number) => ({ type: 'typing', conversation: n }) as unknown as AgentFrame;
    const answers = [
      { last: 4, frames: [] },
      { last: 6, frames: [frame(5), frame(6)] },
      { last: 7, frames: [frame(7)] },
    ];
    const asked: unknown[] = [];
    let release: (batch: FrameBatch) => void = () => {};
    ipc.invoke.mockImplementation((command: string, args: unknown) => {
      expect(command).toBe('next_frames');
      asked.push(args);
      const answer = answers.shift();
      return answer ? Promise.resolve(answer) : new Promise((resolve) => (release = resolve));
    });
    ipc.listen.mockResolvedValue(() => {});
    const got: BackendEvent[] = [];
    const unsubscribe = new TauriBackend().subscribe((e) => got.push(e));
    await vi.waitFor(() => expect(asked).toHaveLength(4));
    // The first ask starts from now; each next one confirms the last answer.
    expect(asked).toEqual([{ after: null }, { after: 4 }, { after: 6 }, { after: 7 }]);
    expect(got).toEqual([5, 6, 7].map((n) => ({ type: 'frame', frame: frame(n) })));
    expect(ipc.listen).toHaveBeenCalledWith(LINK_EVENT, expect.any(Function));
    // Unsubscribed while an ask waits: its answer is dropped, no ask follows.
    unsubscribe();
    release({ last: 8, frames: [frame(8)] });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(got).toHaveLength(3);
    expect(asked).toHaveLength(4);
  });

  it('asks again after the same number when an ask fails, and a throwing listener stops nothing', async () => {
    vi.useFakeTimers();
    try {
      const frame = (n: number) => ({ type: 'typing', conversation: n }) as unknown as AgentFrame;
      const asked: unknown[] = [];
      const answers: (() => Promise<FrameBatch>)[] = [
        () => Promise.resolve({ last: 1, frames: [] }),
        () => Promise.reject({ code: 'app', message: 'the window is gone' }),
        () => Promise.resolve({ last: 3, frames: [frame(2), frame(3)] }),
      ];
      ipc.invoke.mockImplementation((_command: string, args: unknown) => {
        asked.push(args);
        const answer = answers.shift();
        return answer ? answer() : new Promise(() => {});
      });
      ipc.listen.mockResolvedValue(() => {});
      const got: unknown[] = [];
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      const unsubscribe = new TauriBackend().subscribe((e) => {
        got.push(e);
        if (got.length === 1) {
          throw new Error('the first frame breaks the listener');
        }
      });
      await vi.advanceTimersByTimeAsync(0);
      expect(asked).toEqual([{ after: null }, { after: 1 }]);
      await vi.advanceTimersByTimeAsync(RETRY_MS);
      expect(asked).toEqual([{ after: null }, { after: 1 }, { after: 1 }, { after: 3 }]);
      expect(got).toHaveLength(2);
      expect(errors).toHaveBeenCalledTimes(1);
      errors.mockRestore();
      unsubscribe();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the web backend', () => {
  it('keeps the remembered login in local storage, without the password', async () => {
    expect(await new WebBackend().rememberedLogin()).toBeNull();
    saveRemembered({ server: 'https://chat.example.com', username: 'ada' });
    expect(await new WebBackend().rememberedLogin()).toEqual({
      server: 'https://chat.example.com',
      username: 'ada',
    });
    localStorage.setItem(REMEMBERED_KEY, '{broken');
    expect(loadRemembered()).toBeNull();
  });

  it('keeps the notification settings in local storage while logged out', async () => {
    const backend = new WebBackend();
    expect(await backend.notificationPrefs()).toEqual(DEFAULT_PREFS);
    const muted = { ...DEFAULT_PREFS, popup_sound: false };
    await backend.setNotificationPrefs(muted);
    expect(await new WebBackend().notificationPrefs()).toEqual(muted);
  });
});
