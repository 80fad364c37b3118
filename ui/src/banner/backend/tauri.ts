// The desktop backend: every call is a `#[tauri::command]` of src-tauri, a
// thin wrapper over banner-client. Frames come by asking (`next_frames`, in
// a loop: src-tauri/src/frames.rs), link changes as Tauri events. The
// connection lives on the Rust side, so it keeps running (and offers keep
// ringing) while this window is hidden.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type {
  Ack,
  AgentEvent,
  AgentFrame,
  AgentProfile,
  Attachment,
  ConversationDetails,
  Directory,
  EventPage,
  HistoryPage,
  Pool,
  Presence,
  Supervision,
  TransferMode,
  TransferTarget,
} from '../../protocol';
import {
  type Backend,
  BackendError,
  type BackendEvent,
  type Downloaded,
  type Link,
  type NotificationPrefs,
  type Remembered,
  type UploadFile,
} from './types';

/** The events src-tauri emits (`src-tauri/src/events.rs`). */
export const LINK_EVENT = 'banner:link';
export const FOCUS_EVENT = 'banner:focus';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw BackendError.from(e);
  }
}

/** Whether this page runs inside the desktop app. */
export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/** What `start_local_server` answers (`src-tauri/src/local_server.rs`). */
export type LocalServerInfo = {
  url: string;
  data_dir: string;
  site_key: string;
  snippet: string;
  users: { username: string; password: string }[];
};

/** Runs banner-server inside the app (once; later calls answer the same). */
export function startLocalServer(): Promise<LocalServerInfo> {
  return call<LocalServerInfo>('start_local_server');
}

/**
 * Whether this page should let WebKitGTK drop its record of keys and clicks
 * (`src-tauri/src/gesture_tokens.rs`): only where the app turned WebKit's
 * check on; never on macOS or Windows, whose webviews would open the window.
 */
export function shedsGestureTokens(): Promise<boolean> {
  return call<boolean>('sheds_gesture_tokens');
}

/** What `next_frames` answers: the frames after the number asked for, and the number to ask after next. */
export type FrameBatch = { last: number; frames: AgentFrame[] };

/** How long the loop waits before asking again after a failed ask. */
export const RETRY_MS = 500;

export class TauriBackend implements Backend {
  readonly kind = 'tauri' as const;

  login(server: string, username: string, password: string) {
    return call<AgentProfile>('login', { server, username, password });
  }
  logout() {
    return call<void>('logout');
  }
  /** Rust saves it after each login (`remembered.rs`), never the password. */
  rememberedLogin() {
    return call<Remembered | null>('remembered_login');
  }
  notificationPrefs() {
    return call<NotificationPrefs>('notification_prefs');
  }
  setNotificationPrefs(prefs: NotificationPrefs) {
    return call<void>('set_notification_prefs', { prefs });
  }
  onFocus(listener: (conversation: number) => void): () => void {
    const focus = listen<{ conversation: number }>(FOCUS_EVENT, (e) =>
      listener(e.payload.conversation),
    );
    return () => {
      focus.then((stop) => stop());
    };
  }
  setPresence(presence: Presence) {
    return call<Ack>('set_presence', { presence });
  }
  pool() {
    return call<Pool>('pool');
  }
  accept(conversation: number) {
    return call<Ack>('accept', { conversation });
  }
  decline(conversation: number) {
    return call<Ack>('decline', { conversation });
  }
  pick(conversation: number) {
    return call<Ack>('pick', { conversation });
  }
  sendMessage(conversation: number, text: string, isPrivate: boolean, attachments: number[]) {
    return call<Ack>('send_message', { conversation, text, isPrivate, attachments });
  }
  typing(conversation: number, on: boolean, isPrivate: boolean): void {
    call<void>('typing', { conversation, on, isPrivate }).catch(() => {});
  }
  read(conversation: number, seq: number) {
    return call<Ack>('read', { conversation, seq });
  }
  upload(conversation: number, file: UploadFile) {
    return call<Attachment>('upload', {
      conversation,
      filename: file.name,
      contentType: file.type,
      bytes: Array.from(file.bytes),
    });
  }
  async download(attachment: number): Promise<Downloaded> {
    const answer = await call<{
      media_type: string | null;
      filename: string | null;
      bytes: number[];
    }>('download', { attachment });
    return { ...answer, bytes: Uint8Array.from(answer.bytes) };
  }
  directory() {
    return call<Directory>('directory');
  }
  transfer(conversation: number, target: TransferTarget, mode: TransferMode) {
    return call<Ack>('transfer', { conversation, target, mode });
  }
  cancelTransfer(conversation: number) {
    return call<Ack>('cancel_transfer', { conversation });
  }
  waitForCustomer(conversation: number) {
    return call<Ack>('wait_for_customer', { conversation });
  }
  archive(conversation: number) {
    return call<Ack>('archive', { conversation });
  }
  completeWrapUp(conversation: number, disposition: string | null) {
    return call<Ack>('complete_wrap_up', { conversation, disposition });
  }
  conversation(conversation: number) {
    return call<ConversationDetails>('conversation', { conversation });
  }
  events(conversation: number, after: number) {
    return call<EventPage<AgentEvent>>('events', { conversation, after });
  }
  history(q: string) {
    return call<HistoryPage>('history', { q });
  }
  supervision() {
    return call<Supervision>('supervision');
  }
  subscribeSupervision() {
    return call<Ack>('subscribe_supervision');
  }
  watch(conversation: number, lastSeq: number) {
    return call<Ack>('watch', { conversation, lastSeq });
  }
  unwatch(conversation: number) {
    return call<Ack>('unwatch', { conversation });
  }

  /**
   * Frames: asks for them in a loop, each ask confirming what the last one
   * brought (Rust decides from the window which frames: the popup's are
   * trimmed). Tauri would run each event as a script in the page, the
   * payload in its text; an answer is read as JSON. Link changes are events.
   */
  subscribe(listener: (event: BackendEvent) => void): () => void {
    let running = true;
    const frames = async () => {
      let after: number | null = null;
      while (running) {
        let batch: FrameBatch;
        try {
          batch = await invoke<FrameBatch>('next_frames', { after });
        } catch {
          // Asked again after a pause, after the same number: nothing lost.
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          continue;
        }
        if (!running) {
          return;
        }
        after = batch.last;
        for (const frame of batch.frames) {
          try {
            listener({ type: 'frame', frame });
          } catch (e) {
            // One frame the page could not take stops none after it.
            console.error('a frame was not taken', e);
          }
        }
      }
    };
    void frames();
    const links = listen<Link>(LINK_EVENT, (e) => listener({ type: 'link', link: e.payload }));
    return () => {
      running = false;
      links.then((stop) => stop());
    };
  }
}
