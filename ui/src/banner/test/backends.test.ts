// The desktop backend against mocked Tauri IPC: the remembered login comes
// from Rust's `remembered_login` (never local storage), the notification
// settings from their commands, and a clicked notification from
// `banner:focus`. The web backend keeps the login in local storage.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const ipc = vi.hoisted(() => ({
  invoke: vi.fn(),
  listen: vi.fn(),
}));
vi.mock('@tauri-apps/api/core', () => ({ invoke: ipc.invoke }));
vi.mock('@tauri-apps/api/event', () => ({ listen: ipc.listen }));

import { ADA } from '../backend/mock';
import {
  FOCUS_EVENT,
  FRAME_EVENT,
  LINK_EVENT,
  POPUP_FRAME_EVENT,
  TauriBackend,
} from '../backend/tauri';
import { DEFAULT_PREFS } from '../backend/types';
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

  it("listens to its page's own frames: the popup to its trimmed ones only", () => {
    ipc.listen.mockResolvedValue(() => {});
    const heard = () => ipc.listen.mock.calls.map(([name]) => name).sort();
    new TauriBackend().subscribe(() => {});
    expect(heard()).toEqual([FRAME_EVENT, LINK_EVENT].sort());
    ipc.listen.mockClear();
    new TauriBackend(POPUP_FRAME_EVENT).subscribe(() => {});
    expect(heard()).toEqual([LINK_EVENT, POPUP_FRAME_EVENT].sort());
    // The names src-tauri/src/events.rs emits.
    expect([FRAME_EVENT, POPUP_FRAME_EVENT]).toEqual(['banner:frame', 'banner:popup-frame']);
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
