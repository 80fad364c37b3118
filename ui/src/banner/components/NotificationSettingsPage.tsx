// The notification settings page: one switch per kind of native notification
// (the protocol's five kinds) and the incoming popup's sound. Each change is
// saved at once: the desktop app keeps them in its data dir and its notifier
// honours them; the switches also reach the server, which sends only the
// kinds switched on.
import { useEffect, useState } from 'react';
import type { NotificationSettings } from '../../protocol';
import { BackendError, type NotificationPrefs } from '../backend/types';
import { useBanner } from '../state/context';

/** Each kind, as an agent would say it. */
export const KINDS: { kind: keyof NotificationSettings; label: string }[] = [
  { kind: 'message_arrives', label: 'A visitor writes in one of my chats' },
  { kind: 'participant_leaves', label: 'The visitor of one of my chats drops' },
  { kind: 'messaging_ended', label: 'A visitor ends one of my chats' },
  { kind: 'monitored_queue_message', label: 'A chat arrives in a queue I monitor' },
  { kind: 'message_exits_queue', label: 'A chat leaves a queue I monitor' },
];

export function NotificationSettingsPage() {
  const { backend } = useBanner();
  const [prefs, setPrefs] = useState<NotificationPrefs | null>(null);
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);

  useEffect(() => {
    backend
      .notificationPrefs()
      .then(setPrefs)
      .catch((e) => setStatus({ error: true, text: BackendError.from(e).message }));
  }, [backend]);

  async function save(next: NotificationPrefs) {
    setPrefs(next);
    setStatus(null);
    try {
      await backend.setNotificationPrefs(next);
      setStatus({ error: false, text: 'Saved.' });
    } catch (e) {
      setStatus({ error: true, text: BackendError.from(e).message });
    }
  }

  if (!prefs) {
    return <section className="settings">{status?.text ?? 'Loading…'}</section>;
  }
  return (
    <section className="settings" aria-label="Notification settings">
      <h2>Notification settings</h2>
      <fieldset>
        <legend>Notify me when</legend>
        {KINDS.map(({ kind, label }) => (
          <label key={kind}>
            <input
              type="checkbox"
              checked={prefs.kinds[kind]}
              onChange={(e) =>
                save({ ...prefs, kinds: { ...prefs.kinds, [kind]: e.target.checked } })
              }
            />
            {label}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Incoming popup</legend>
        <label>
          <input
            type="checkbox"
            checked={prefs.popup_sound}
            onChange={(e) => save({ ...prefs, popup_sound: e.target.checked })}
          />
          Play a sound when a chat rings
        </label>
      </fieldset>
      {status && (
        <p role={status.error ? 'alert' : 'status'} className={status.error ? 'error' : 'saved'}>
          {status.text}
        </p>
      )}
    </section>
  );
}
