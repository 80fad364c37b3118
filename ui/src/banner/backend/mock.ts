// The mock backend, for component tests: answers from memory, records every
// call, and lets a test play the server's frames (`push`) and the link.
import type {
  Ack,
  AgentEvent,
  AgentFrame,
  AgentProfile,
  ConversationDetails,
  Directory,
  EventPage,
  HistoryPage,
  Pool,
  Supervision,
} from '../../protocol';
import {
  type Backend,
  type BackendError,
  type BackendEvent,
  DEFAULT_PREFS,
  type Downloaded,
  type Link,
  type NotificationPrefs,
  type Remembered,
} from './types';

export type Call = { method: string; args: unknown[] };

export const ADA: AgentProfile = {
  id: 4,
  username: 'ada',
  name: 'Ada',
  profile: 'agent',
  permissions: ['pick', 'transfer_to_user', 'transfer_to_queue', 'transfer_to_flow'],
  capacity: 3,
  auto_accept: false,
  preview: false,
  queues: [{ id: 2, label: 'Billing' }],
  monitored_queues: [],
  notifications: {
    message_arrives: true,
    monitored_queue_message: true,
    messaging_ended: true,
    participant_leaves: true,
    message_exits_queue: false,
  },
  presence: 'offline',
};

export function emptyPool(): Pool {
  return {
    at: 0,
    presence: 'offline',
    load: 0,
    capacity: 3,
    offers: [],
    in_progress: [],
    pending: [],
    pending_customers: [],
    wrap_up: [],
    history: [],
  };
}

export class MockBackend implements Backend {
  readonly kind = 'mock' as const;
  readonly calls: Call[] = [];
  profile: AgentProfile = ADA;
  /** Logs per conversation, served by `events`. */
  logs = new Map<number, EventPage<AgentEvent>['events']>();
  /** A refusal the next call of this method answers with, once. */
  failures = new Map<string, BackendError>();
  /** What `rememberedLogin` answers; a login replaces it, as Rust does. */
  remembered: Remembered | null = null;
  /** What `notificationPrefs` answers; `setNotificationPrefs` replaces it. */
  prefs: NotificationPrefs = DEFAULT_PREFS;
  private readonly listeners = new Set<(event: BackendEvent) => void>();
  private readonly held = new Map<string, Array<() => void>>();
  private readonly focusListeners = new Set<(conversation: number) => void>();
  private nextSeq = 1;

  /** Plays a click on a native notification about `conversation`. */
  focus(conversation: number): void {
    for (const listener of this.focusListeners) {
      listener(conversation);
    }
  }

  onFocus(listener: (conversation: number) => void): () => void {
    this.focusListeners.add(listener);
    return () => this.focusListeners.delete(listener);
  }

  /** Plays a frame from the server. */
  push(frame: AgentFrame): void {
    this.emit({ type: 'frame', frame });
  }

  /** Plays a change of the link. */
  setLink(link: Link): void {
    this.emit({ type: 'link', link });
  }

  /** The calls of one method, in order. */
  callsOf(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  subscribe(listener: (event: BackendEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  login(server: string, username: string, password: string): Promise<AgentProfile> {
    return this.answer('login', [server, username, password], () => {
      this.remembered = { server, username };
      return { ...this.profile, username };
    });
  }
  rememberedLogin(): Promise<Remembered | null> {
    return this.answer('rememberedLogin', [], () => this.remembered);
  }
  notificationPrefs(): Promise<NotificationPrefs> {
    return this.answer('notificationPrefs', [], () => this.prefs);
  }
  setNotificationPrefs(prefs: NotificationPrefs): Promise<void> {
    return this.answer('setNotificationPrefs', [prefs], () => {
      this.prefs = prefs;
    });
  }
  logout(): Promise<void> {
    return this.answer('logout', [], () => undefined);
  }
  setPresence(presence: AgentProfile['presence']) {
    return this.ack('setPresence', [presence]);
  }
  pool(): Promise<Pool> {
    return this.answer('pool', [], emptyPool);
  }
  accept(conversation: number) {
    return this.ack('accept', [conversation]);
  }
  decline(conversation: number) {
    return this.ack('decline', [conversation]);
  }
  pick(conversation: number) {
    return this.ack('pick', [conversation]);
  }
  sendMessage(conversation: number, text: string, isPrivate: boolean, attachments: number[]) {
    return this.ack('sendMessage', [conversation, text, isPrivate, attachments]);
  }
  typing(conversation: number, on: boolean, isPrivate: boolean): void {
    this.calls.push({ method: 'typing', args: [conversation, on, isPrivate] });
  }
  read(conversation: number, seq: number) {
    return this.ack('read', [conversation, seq]);
  }
  upload(conversation: number, file: { name: string; type: string; bytes: Uint8Array }) {
    return this.answer('upload', [conversation, file.name], () => ({
      id: 900 + this.calls.length,
      conversation,
      filename: file.name,
      media_type: file.type,
      size: file.bytes.length,
      created_at: 0,
    }));
  }
  download(attachment: number): Promise<Downloaded> {
    return this.answer('download', [attachment], () => ({
      media_type: 'application/pdf',
      filename: 'file.pdf',
      bytes: new Uint8Array(),
    }));
  }
  directory(): Promise<Directory> {
    return this.answer('directory', [], () => ({
      agents: [{ id: 5, name: 'Bob', presence: 'available' as const }],
      queues: [{ id: 3, label: 'Sales' }],
      flows: [{ id: 1, name: 'Welcome' }],
    }));
  }
  transfer(
    conversation: number,
    target: { kind: 'user' | 'queue' | 'flow'; id: number },
    mode: 'attended' | 'blind',
  ) {
    return this.ack('transfer', [conversation, target, mode]);
  }
  cancelTransfer(conversation: number) {
    return this.ack('cancelTransfer', [conversation]);
  }
  waitForCustomer(conversation: number) {
    return this.ack('waitForCustomer', [conversation]);
  }
  archive(conversation: number) {
    return this.ack('archive', [conversation]);
  }
  completeWrapUp(conversation: number, disposition: string | null) {
    return this.ack('completeWrapUp', [conversation, disposition]);
  }
  conversation(conversation: number): Promise<ConversationDetails> {
    return this.answer('conversation', [conversation], () => ({
      conversation,
      visitor: { visitor_id: 'v-1', customer: null, locale: null },
      entry: { type: 'queue' as const, queue: { id: 2, label: 'Billing' } },
      place: 'active' as const,
      queue: { id: 2, label: 'Billing' },
      agent: { id: 4, name: 'Ada' },
      variables: {},
      interactions: 1,
      started_at: 0,
      latest_seq: this.logs.get(conversation)?.at(-1)?.seq ?? 0,
      actions: null,
    }));
  }
  events(conversation: number, after: number): Promise<EventPage<AgentEvent>> {
    return this.answer('events', [conversation, after], () => {
      const events = (this.logs.get(conversation) ?? []).filter((e) => e.seq > after);
      return { conversation, events, latest_seq: events.at(-1)?.seq ?? after, more: false };
    });
  }
  history(q: string): Promise<HistoryPage> {
    return this.answer('history', [q], () => ({ hits: [] }));
  }
  supervision(): Promise<Supervision> {
    return this.answer('supervision', [], () => ({
      at: 0,
      queues: [],
      agents: [],
      conversations: [],
    }));
  }
  subscribeSupervision() {
    return this.ack('subscribeSupervision', []);
  }
  watch(conversation: number, lastSeq: number) {
    return this.ack('watch', [conversation, lastSeq]);
  }
  unwatch(conversation: number) {
    return this.ack('unwatch', [conversation]);
  }

  private emit(event: BackendEvent): void {
    for (const listener of this.listeners) {
      listener(event);
    }
  }

  /** Holds the answers to `method` until `release` (as the server holds a `read`). */
  hold(method: string): void {
    this.held.set(method, []);
  }

  /** Gives the held answers to `method`, and stops holding them. */
  release(method: string): void {
    const waiting = this.held.get(method) ?? [];
    this.held.delete(method);
    for (const answer of waiting) answer();
  }

  private answer<T>(method: string, args: unknown[], make: () => T): Promise<T> {
    this.calls.push({ method, args });
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      return Promise.reject(failure);
    }
    const waiting = this.held.get(method);
    if (waiting) return new Promise((resolve) => waiting.push(() => resolve(make())));
    return Promise.resolve(make());
  }

  private ack(method: string, args: unknown[]): Promise<Ack> {
    const conversation = typeof args[0] === 'number' ? args[0] : null;
    return this.answer(method, args, () => ({
      id: `mock-${this.nextSeq}`,
      conversation,
      seq: this.nextSeq++,
    }));
  }
}
