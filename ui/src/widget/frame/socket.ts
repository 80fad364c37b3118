// The visitor's WebSocket (docs/protocol.md §5, §9): `hello` with the token and
// where the widget's copy of the conversation ends, then frames. Commands wait
// in an outbox until their `ack` or `error`; after any drop the socket comes
// back with exponential back-off (0.5 s doubling to 30 s, with jitter), resumes,
// and sends the outbox again with the same ids, which the server applies once.
// Messages go one at a time, each after the previous one's answer: a message
// refused for a while (rate_limited) is retried before any later one is sent,
// so the conversation keeps the order the visitor wrote in.

import type { Hello, VisitorCommand, VisitorFrame, VisitorWelcome } from '../../protocol';
import { CLOSE_CODES, PATHS, PROTOCOL_VERSION, RETRYABLE_ERROR_CODES } from '../../protocol';

/** What the socket tells its owner. */
export interface SocketEvents {
  welcome(welcome: VisitorWelcome): void;
  /** Any other frame; `command` is the one an `ack` or `error` answers. */
  frame(frame: VisitorFrame, command?: VisitorCommand): void;
  /** Connected (welcomed) or not. */
  connected(on: boolean): void;
  /** The token is refused: a new session is needed. */
  unauthorized(): void;
  /** The server does not speak this protocol: the widget cannot go on. */
  fatal(): void;
  /** The outbox changed (to keep it across a reload). */
  outbox(commands: VisitorCommand[]): void;
}

/** Refusals worth retrying later with the same id (protocol §2). */
const RETRY: ReadonlySet<string> = new Set(RETRYABLE_ERROR_CODES);

const hasId = (c: VisitorCommand): c is VisitorCommand & { id: string } => 'id' in c;

export class Socket {
  private ws: WebSocket | null = null;
  private welcomed = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly outbox = new Map<string, VisitorCommand>();
  /** The id of the message sent and not answered yet; later messages wait for it. */
  private inflight: string | null = null;

  constructor(
    private readonly hello: () => Omit<Hello, 'protocol'>,
    private readonly on: SocketEvents,
    pending: VisitorCommand[] = [],
  ) {
    for (const c of pending) if (hasId(c)) this.outbox.set(c.id, c);
    addEventListener('online', this.now);
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  /** Closes for good (a new session replaces this one). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    removeEventListener('online', this.now);
    this.ws?.close(1000);
    this.ws = null;
  }

  get isConnected(): boolean {
    return this.welcomed;
  }

  /** Sends a command; one with an id stays in the outbox until answered. */
  send(command: VisitorCommand): void {
    if (hasId(command)) {
      this.outbox.set(command.id, command);
      this.on.outbox([...this.outbox.values()]);
    }
    if (command.type === 'send_message') this.nextMessage();
    else if (this.welcomed) this.ws?.send(JSON.stringify(command));
  }

  /** Sends the oldest waiting message, unless one is already on its way. */
  private nextMessage(): void {
    if (!this.welcomed || this.inflight !== null) return;
    for (const command of this.outbox.values()) {
      if (command.type === 'send_message') {
        this.inflight = command.id;
        this.ws?.send(JSON.stringify(command));
        return;
      }
    }
  }

  /** Sends only if connected, never later (typing: a stale one is worse than none). */
  sendNow(command: VisitorCommand): void {
    if (this.welcomed) this.ws?.send(JSON.stringify(command));
  }

  /** Reconnects at once instead of waiting out the back-off (the network came back). */
  private readonly now = () => {
    if (!this.ws && !this.stopped) {
      clearTimeout(this.timer);
      this.open();
    }
  };

  private open(): void {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}${PATHS.VISITOR_WS}`);
    this.ws = ws;
    ws.onopen = () => {
      const hello: VisitorCommand = { type: 'hello', protocol: PROTOCOL_VERSION, ...this.hello() };
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (message) => {
      let frame: VisitorFrame;
      try {
        frame = JSON.parse(String(message.data)) as VisitorFrame;
      } catch {
        return;
      }
      if (frame.type === 'welcome') {
        this.welcomed = true;
        this.attempt = 0;
        this.on.connected(true);
        this.on.welcome(frame);
        this.inflight = null;
        for (const command of this.outbox.values()) {
          if (command.type !== 'send_message') ws.send(JSON.stringify(command));
        }
        this.nextMessage();
        return;
      }
      let command: VisitorCommand | undefined;
      if ((frame.type === 'ack' || frame.type === 'error') && frame.id !== null) {
        const id = frame.id;
        command = this.outbox.get(id);
        if (frame.type === 'error' && command && RETRY.has(frame.code)) {
          const retried = command;
          // The same socket only: a new one sends the whole outbox itself.
          setTimeout(() => this.ws === ws && this.outbox.has(id) && this.sendNow(retried), 2000);
          return;
        }
        this.outbox.delete(id);
        this.on.outbox([...this.outbox.values()]);
        if (id === this.inflight) this.inflight = null;
      }
      this.on.frame(frame, command);
      this.nextMessage();
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.inflight = null;
      if (this.welcomed) this.on.connected(false);
      this.welcomed = false;
      if (this.stopped) return;
      if (event.code === CLOSE_CODES.UNAUTHORIZED) return this.on.unauthorized();
      if (event.code === CLOSE_CODES.UNSUPPORTED_PROTOCOL) return this.on.fatal();
      const pause = Math.min(30_000, 500 * 2 ** this.attempt) * (0.8 + Math.random() * 0.4);
      this.attempt++;
      if (this.attempt > 1) this.on.connected(false);
      this.timer = setTimeout(() => this.open(), pause);
    };
  }
}
