// The chat itself: the visitor's session (opened, kept, resumed, replaced when
// refused), the conversation's events applied once each in `seq` order, the
// commands the visitor sends, typing both ways, read receipts, attachments,
// and the ended state.

import type {
  Attachment,
  CustomerClaim,
  Logged,
  VisitorCommand,
  VisitorEvent,
  VisitorFrame,
  VisitorWelcome,
} from '../../protocol';
import type { WidgetConfig } from '../bridge';
import * as api from './api';
import { Files } from './files';
import { lang, type Strings, strings } from './i18n';
import { Socket } from './socket';
import { type Session, Store } from './store';
import { Typing } from './typing';
import { View } from './view';

type Message = VisitorCommand & { type: 'send_message' };

/** What the chat tells the host page, through the loader. */
export interface Host {
  unread(count: number): void;
  close(): void;
}

/** A command id: 32 random hex digits (the protocol allows 64 printable characters). */
function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class Chat {
  private readonly t: Strings;
  private readonly view: View;
  private readonly store: Store;
  private session: Session | null = null;
  private socket: Socket | null = null;
  /** The `seq`s of the current conversation applied so far, and the highest. */
  private applied = new Set<number>();
  private last = 0;
  /** Messages up to this `seq` were shown before this page: not announced again. */
  private seen = 0;
  private ended = false;
  private visible = false;
  /** A first message (conversation `null`) is on its way; later ones wait for its id. */
  private starting = false;
  private deferred: Message[] = [];
  /** Messages written before the socket existed; sent once it does. */
  private early: Message[] = [];
  /** Conversations this page left behind (ended): never adopted again. */
  private readonly left = new Set<number>();
  private readonly typing: Typing;
  private readonly files: Files;
  private unread = -1;
  /** A `read` is on its way: the next waits for its answer and covers all since. */
  private reading = false;
  private dirty = false;
  /** Bumped on every (re)start: answers for an older session are dropped. */
  private generation = 0;

  constructor(
    private readonly config: WidgetConfig,
    private readonly host: Host,
  ) {
    this.t = strings(config.locale);
    document.documentElement.lang = lang(config.locale);
    this.store = new Store(config.site);
    this.view = new View(this.t, {
      send: (text) => this.send(text, []),
      input: (text) => this.typing.input(text),
      files: (files) =>
        this.files.upload(
          files,
          () => (this.ended ? null : (this.session?.conversation ?? null)),
          (attachment) => this.send('', [attachment]),
        ),
      choose: (label) => this.send(label, []),
      preview: (a, img) => this.files.preview(a, img),
      save: (a) => this.files.save(a),
      close: () => this.host.close(),
      leave: () => this.leave(),
      startNew: () => this.startNew(),
      retry: () => this.start(),
    });
    this.files = new Files(this.t, this.view, () => this.session?.token ?? null);
    this.typing = new Typing(
      (on) => {
        const c = this.session?.conversation;
        if (c == null || this.ended || !this.socket?.isConnected) return false;
        this.socket.sendNow({ type: 'typing', conversation: c, on });
        return true;
      },
      (name) => this.view.setTyping(name),
    );
    document.addEventListener('visibilitychange', () => this.changed());
  }

  private get customer(): boolean {
    return this.config.customer !== null;
  }

  /** Opens or resumes the session, shows the history, connects. */
  async start(): Promise<void> {
    const generation = ++this.generation;
    this.socket?.stop();
    this.socket = null;
    this.session = null;
    this.reset();
    this.view.clearNotice();
    this.view.setConnection('connecting');
    const c = this.config;
    let session = this.store.load();
    const fits =
      session &&
      session.site === c.site &&
      session.customer === (c.customer?.id ?? null) &&
      session.agent === c.agent &&
      session.expires > Date.now() + 60_000;
    if (!fits) session = await this.open();
    if (!session || generation !== this.generation) return;
    this.session = session;
    this.seen = session.seq;
    for (const command of this.store.outbox(session.token)) {
      if (command.type === 'send_message') this.view.timeline.sending(command.id, command.text, []);
    }
    if (session.conversation !== null) {
      const done = await this.catchUp(session.conversation, generation);
      if (done === 'unauthorized') {
        this.store.save(null);
        return this.start();
      }
      if (generation !== this.generation) return;
    }
    this.connect();
  }

  /** The loader showed or hid the chat. */
  setVisible(on: boolean): void {
    this.visible = on;
    if (on) requestAnimationFrame(() => this.visible && this.view.composer.focus());
    this.changed();
  }

  /** The host page identified a customer, or forgot one: a new session. */
  identify(customer: CustomerClaim | null): void {
    if ((customer?.id ?? null) === (this.config.customer?.id ?? null)) return;
    this.config.customer = customer;
    void this.start();
  }

  private async open(): Promise<Session | null> {
    const c = this.config;
    try {
      const r = await api.openSession({
        site_key: c.site,
        customer: c.customer,
        direct_agent: c.agent,
        // Agents see the visitor's language: the page's, else the browser's.
        locale: c.locale ?? (navigator.language || null),
      });
      const session: Session = {
        site: c.site,
        customer: c.customer?.id ?? null,
        agent: c.agent,
        token: r.token,
        visitor: r.visitor_id,
        expires: r.expires_at,
        conversation: r.conversation,
        seq: 0,
        read: 0,
      };
      this.store.save(session);
      return session;
    } catch (e) {
      this.view.setConnection('failed');
      this.view.notice(`${this.t.failed} ${(e as Error).message}`, true);
      return null;
    }
  }

  /** Fetches the conversation's events after the last one applied. */
  private async catchUp(
    conversation: number,
    generation: number,
  ): Promise<'done' | 'unauthorized' | 'failed'> {
    const token = this.session?.token ?? '';
    try {
      for (;;) {
        const page = await api.history(token, conversation, this.last);
        if (generation !== this.generation || this.session?.conversation !== conversation) {
          return 'done';
        }
        for (const event of page.events) this.apply(event);
        if (!page.more || !page.events.length) return 'done';
      }
    } catch (e) {
      if (e instanceof api.ApiError && e.code === 'unauthorized') return 'unauthorized';
      if (e instanceof api.ApiError && e.code === 'not_found') this.forget();
      // Anything else: the socket's resume replays what is missing.
      return 'failed';
    }
  }

  private connect(): void {
    const session = this.session;
    if (!session) return;
    this.socket = new Socket(
      () => {
        const c = this.session?.conversation ?? null;
        return {
          token: session.token,
          resume: c === null ? [] : [{ conversation: c, last_seq: this.last }],
        };
      },
      {
        welcome: (w) => this.welcome(w),
        frame: (f, command) => this.frame(f, command),
        connected: (on) => {
          this.view.setConnection(on ? 'online' : 'offline');
          if (!on) this.typing.agent(null);
        },
        unauthorized: () => {
          if (!this.customer && this.session?.conversation != null)
            this.view.notice(this.t.expired);
          this.store.save(null);
          void this.start();
        },
        fatal: () => this.view.setConnection('failed'),
        outbox: (commands) => this.store.saveOutbox(session.token, commands),
      },
      this.store.outbox(session.token),
    );
    this.socket.start();
    for (const command of this.early.splice(0)) this.dispatch(command);
  }

  private welcome(w: VisitorWelcome): void {
    const s = this.session;
    if (!s) return;
    s.expires = w.expires_at;
    if (s.conversation !== null && w.refused.some((r) => r.conversation === s.conversation)) {
      this.forget();
    }
    const current = w.conversation;
    if (current !== null && current !== s.conversation && !this.left.has(current)) {
      this.adopt(current, true);
    }
    this.changed();
  }

  private frame(f: VisitorFrame, command?: VisitorCommand): void {
    const s = this.session;
    if (!s) return;
    if (f.type === 'event') {
      if (s.conversation === null && this.starting && !this.left.has(f.conversation)) {
        this.adopt(f.conversation, false);
      }
      if (f.conversation === s.conversation) this.apply(f);
    } else if (f.type === 'typing') {
      if (f.conversation === s.conversation) this.typing.agent(f.on ? f.name : null);
    } else if (f.type === 'ack' && command) {
      if (command.type === 'send_message') {
        if (s.conversation === null && f.conversation !== null) this.adopt(f.conversation, true);
        this.view.timeline.confirm(command.id, f.seq);
      } else if (command.type === 'leave') {
        this.end();
      } else if (command.type === 'read') {
        this.reading = false;
        this.changed();
      }
    } else if (f.type === 'error' && command) {
      if (command.type === 'read') {
        this.reading = false;
        this.changed();
      }
      if (command.type === 'send_message') {
        this.starting = false;
        this.view.timeline.fail(command.id, f.message);
        if (f.code === 'conversation_ended') this.end();
      } else if (command.type === 'leave' && f.code === 'conversation_ended') {
        this.end();
      }
    }
  }

  /** The conversation the visitor writes in is now `c`. */
  private adopt(c: number, fetch: boolean): void {
    const s = this.session;
    if (!s) return;
    if (s.conversation !== null && s.conversation !== c) this.reset();
    s.conversation = c;
    this.starting = false;
    this.store.save(s);
    for (const command of this.deferred.splice(0)) {
      command.conversation = c;
      this.socket?.send(command);
    }
    if (fetch) void this.catchUp(c, this.generation);
  }

  /** Applies one event of the current conversation, once. */
  private apply(logged: Logged<VisitorEvent>): void {
    const { seq, at, event: e } = logged;
    if (this.applied.has(seq)) return;
    this.applied.add(seq);
    this.last = Math.max(this.last, seq);
    const timeline = this.view.timeline;
    switch (e.type) {
      case 'message': {
        timeline.message(seq, at, e.author, e.text, e.choices, e.attachments);
        if (e.author.type === 'agent') this.typing.agent(null);
        if (e.author.type !== 'visitor' && seq > this.seen) {
          const who = e.author.type === 'agent' ? e.author.name : this.t.assistant;
          this.view.announce(this.t.newFrom(who, e.text || this.t.attachment));
        }
        break;
      }
      case 'receipt':
        timeline.receipt(e.kind, e.up_to);
        break;
      case 'queued':
        timeline.system(seq, this.t.queued);
        break;
      case 'agent_joined':
        timeline.system(seq, this.t.joined(e.name));
        break;
      case 'archived':
        timeline.system(seq, this.t.archived(e.name));
        break;
      case 'interaction_started':
        if (e.interaction > 1) timeline.system(seq, this.t.newInteraction, true);
        break;
      case 'interaction_ended':
        if (this.customer) timeline.system(seq, this.t.closedForNow);
        break;
      case 'conversation_ended':
        this.end();
        break;
    }
    this.changed();
  }

  /** After changes: save, send `read`, tell the unread count, scroll. Once per task. */
  private changed(): void {
    if (this.dirty) return;
    this.dirty = true;
    queueMicrotask(() => {
      this.dirty = false;
      const s = this.session;
      if (!s) return;
      s.seq = Math.max(s.seq, this.last);
      const shown = this.visible && document.visibilityState === 'visible';
      const c = s.conversation;
      if (shown && c !== null && !this.reading && this.view.timeline.lastTheirs() > s.read) {
        s.read = this.last;
        this.reading = true;
        this.socket?.send({ type: 'read', id: newId(), conversation: c, seq: this.last });
      }
      this.store.save(s);
      const unread = shown ? 0 : this.view.timeline.unreadAfter(s.read);
      if (unread !== this.unread) {
        this.unread = unread;
        this.host.unread(unread);
      }
      const open = c !== null && !this.ended;
      this.view.showLeave(open && !this.customer);
      this.view.composer.canAttach(open);
      this.view.scrollDown();
    });
  }

  private send(text: string, attachments: Attachment[]): void {
    if (this.ended) return;
    // The message itself ends the visitor's typing for its receivers.
    this.typing.sent();
    const command: Message = {
      type: 'send_message',
      id: newId(),
      conversation: null,
      text,
      attachments: attachments.map((a) => a.id),
    };
    this.view.timeline.sending(command.id, text, attachments);
    this.view.scrollDown(true);
    // The session is still opening (a quick visitor, a slow network): the
    // message waits for the socket instead of being lost.
    if (!this.socket) this.early.push(command);
    else this.dispatch(command);
  }

  /** Hands a message to the socket, in the conversation it belongs to now. */
  private dispatch(command: Message): void {
    command.conversation = this.session?.conversation ?? null;
    if (command.conversation === null) {
      if (this.starting) {
        this.deferred.push(command);
        return;
      }
      this.starting = true;
    }
    this.socket?.send(command);
  }

  private leave(): void {
    const c = this.session?.conversation;
    if (c == null || this.customer) return;
    this.socket?.send({ type: 'leave', id: newId(), conversation: c });
  }

  /** The conversation is over for this visitor. */
  private end(): void {
    const c = this.session?.conversation;
    if (c != null) this.left.add(c);
    this.ended = true;
    this.typing.stop();
    this.typing.agent(null);
    this.view.setEnded(true);
    this.changed();
  }

  private startNew(): void {
    if (!this.session) return;
    this.forget();
    this.changed();
    this.view.composer.focus();
  }

  /** The conversation is not this visitor's any more (e.g. an old session's). */
  private forget(): void {
    const s = this.session;
    if (!s) return;
    s.conversation = null;
    s.seq = s.read = 0;
    this.reset();
    this.store.save(s);
  }

  /** Clears what is shown of the conversation. */
  private reset(): void {
    this.applied = new Set();
    this.last = this.seen = 0;
    this.ended = this.starting = this.reading = false;
    this.deferred = [];
    this.early = [];
    this.view.timeline.clear();
    this.view.setEnded(false);
    this.view.setTyping(null);
    this.files.revoke();
  }
}
