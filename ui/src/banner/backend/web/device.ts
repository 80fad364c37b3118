// What the web build keeps in the browser's local storage: the remembered
// login (server and user, never the password) and this computer's
// notification settings. The desktop app keeps both on the Rust side.
import { DEFAULT_PREFS, type NotificationPrefs, type Remembered } from '../types';

export const REMEMBERED_KEY = 'banner.login';
export const PREFS_KEY = 'banner.notifications';

function read<T>(storage: Storage, key: string): Partial<T> | null {
  try {
    const value: unknown = JSON.parse(storage.getItem(key) ?? 'null');
    return typeof value === 'object' && value !== null ? (value as Partial<T>) : null;
  } catch {
    return null;
  }
}

export function loadRemembered(storage: Storage = localStorage): Remembered | null {
  const value = read<Remembered>(storage, REMEMBERED_KEY);
  if (typeof value?.server !== 'string' || typeof value.username !== 'string') {
    return null;
  }
  return { server: value.server, username: value.username };
}

export function saveRemembered(login: Remembered, storage: Storage = localStorage): void {
  const { server, username } = login;
  storage.setItem(REMEMBERED_KEY, JSON.stringify({ server, username }));
}

export function loadPrefs(storage: Storage = localStorage): NotificationPrefs {
  const value = read<NotificationPrefs>(storage, PREFS_KEY);
  return {
    kinds: { ...DEFAULT_PREFS.kinds, ...value?.kinds },
    popup_sound: value?.popup_sound ?? DEFAULT_PREFS.popup_sound,
  };
}

export function savePrefs(prefs: NotificationPrefs, storage: Storage = localStorage): void {
  storage.setItem(PREFS_KEY, JSON.stringify(prefs));
}
