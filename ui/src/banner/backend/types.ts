// The one interface the agent UI talks to. Three implementations sit behind
// it: `tauri` (commands and events of the desktop app, whose Rust side owns
// the connection), `web` (fetch and a WebSocket straight to banner-server)
// and `mock` (in memory, for component tests). Screens never know which.
import type {
  Ack,
  AgentEvent,
  AgentFrame,
  AgentProfile,
  Attachment,
  AttachmentId,
  ConversationDetails,
  ConversationId,
  Directory,
  ErrorCode,
  EventPage,
  HistoryPage,
  NotificationSettings,
  Pool,
  Presence,
  Supervision,
  TransferMode,
  TransferTarget,
} from '../../protocol';
import { RETRYABLE_ERROR_CODES } from '../../protocol';

/** The state of the link to the server, as the connection sees it. */
export type Link =
  | { state: 'up' }
  | { state: 'down'; close_code: number | null }
  | { state: 'closed'; close_code: number | null };

/** What a backend tells its subscribers. */
export type BackendEvent = { type: 'frame'; frame: AgentFrame } | { type: 'link'; link: Link };

/**
 * Codes a backend adds to the server's own: the server never answered
 * (`network`), the connection is closed for good (`closed`), the URL cannot be
 * used (`bad_url`), nobody is logged in (`not_logged_in`), or the desktop
 * app's own failure (`app`). Mirrors `src-tauri/src/error.rs`.
 */
export type LocalErrorCode = 'network' | 'closed' | 'bad_url' | 'not_logged_in' | 'app';

/** The server's retryable codes (generated from banner-proto), and a socket that went away. */
const RETRYABLE: ReadonlySet<ErrorCode | LocalErrorCode> = new Set([
  ...RETRYABLE_ERROR_CODES,
  'network',
  'closed',
]);

/** A refusal, as every backend reports it: a stable code and a sentence. */
export class BackendError extends Error {
  readonly code: ErrorCode | LocalErrorCode;

  constructor(code: ErrorCode | LocalErrorCode, message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
  }

  /**
   * Whether the same request may succeed later unchanged: the server said
   * so, or it was never answered (as banner-client's `is_retryable`).
   */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  /** `{code, message}` from anything thrown or rejected. */
  static from(e: unknown): BackendError {
    if (e instanceof BackendError) {
      return e;
    }
    if (typeof e === 'object' && e !== null && 'code' in e && 'message' in e) {
      const { code, message } = e as { code: unknown; message: unknown };
      if (typeof code === 'string' && typeof message === 'string') {
        return new BackendError(code as ErrorCode, message);
      }
    }
    return new BackendError('app', e instanceof Error ? e.message : String(e));
  }
}

/** A file to upload: its name, what the UI believes its type is, its bytes. */
export type UploadFile = { name: string; type: string; bytes: Uint8Array };

/** A downloaded attachment. */
export type Downloaded = { media_type: string | null; filename: string | null; bytes: Uint8Array };

/** The last server and user that logged in; never the password. */
export type Remembered = { server: string; username: string };

/**
 * The agent's notification settings: one switch per kind of notification
 * (the five kinds of the protocol) and the incoming popup's sound. Mirrors
 * `src-tauri/src/notification_prefs.rs`.
 */
export type NotificationPrefs = { kinds: NotificationSettings; popup_sound: boolean };

/** Everything on: what an agent who never opened the settings gets. */
export const DEFAULT_PREFS: NotificationPrefs = {
  kinds: {
    message_arrives: true,
    monitored_queue_message: true,
    messaging_ended: true,
    participant_leaves: true,
    message_exits_queue: true,
  },
  popup_sound: true,
};

/** Everything the agent UI asks of a server. See docs/protocol.md §4 and §6. */
export interface Backend {
  /** Which implementation this is (shown in the About line; tests check it). */
  readonly kind: 'tauri' | 'web' | 'mock';
  /** Logs in and opens the socket (subscribed to the pool). */
  login(server: string, username: string, password: string): Promise<AgentProfile>;
  logout(): Promise<void>;
  /** The login to offer on the login screen (the desktop app keeps it in Rust). */
  rememberedLogin(): Promise<Remembered | null>;
  /** This computer's notification settings. */
  notificationPrefs(): Promise<NotificationPrefs>;
  /** Saves them; the switches also reach the server when logged in. */
  setNotificationPrefs(prefs: NotificationPrefs): Promise<void>;
  /**
   * A clicked native notification asks to show its chat (`banner:focus`);
   * returns the unsubscribe function. Only the desktop app has them.
   */
  onFocus(listener: (conversation: ConversationId) => void): () => void;
  setPresence(presence: Presence): Promise<Ack>;
  pool(): Promise<Pool>;
  accept(conversation: ConversationId): Promise<Ack>;
  decline(conversation: ConversationId): Promise<Ack>;
  pick(conversation: ConversationId): Promise<Ack>;
  sendMessage(
    conversation: ConversationId,
    text: string,
    isPrivate: boolean,
    attachments: AttachmentId[],
  ): Promise<Ack>;
  /** No answer, never queued: a stale indicator is worse than none. */
  typing(conversation: ConversationId, on: boolean, isPrivate: boolean): void;
  read(conversation: ConversationId, seq: number): Promise<Ack>;
  upload(conversation: ConversationId, file: UploadFile): Promise<Attachment>;
  download(attachment: AttachmentId): Promise<Downloaded>;
  directory(): Promise<Directory>;
  transfer(conversation: ConversationId, target: TransferTarget, mode: TransferMode): Promise<Ack>;
  cancelTransfer(conversation: ConversationId): Promise<Ack>;
  waitForCustomer(conversation: ConversationId): Promise<Ack>;
  archive(conversation: ConversationId): Promise<Ack>;
  completeWrapUp(conversation: ConversationId, disposition: string | null): Promise<Ack>;
  conversation(conversation: ConversationId): Promise<ConversationDetails>;
  events(conversation: ConversationId, after: number): Promise<EventPage<AgentEvent>>;
  history(q: string): Promise<HistoryPage>;
  supervision(): Promise<Supervision>;
  subscribeSupervision(): Promise<Ack>;
  watch(conversation: ConversationId, lastSeq: number): Promise<Ack>;
  unwatch(conversation: ConversationId): Promise<Ack>;
  /** Frames and link changes, in order; returns the unsubscribe function. */
  subscribe(listener: (event: BackendEvent) => void): () => void;
}
