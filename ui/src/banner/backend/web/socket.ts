// The agent's WebSocket in the browser, with the same guarantees as
// banner-client's `Connection` (docs/protocol.md §5, §12): every command keeps
// its id in an outbox until its `ack` or `error`; the last `seq` of each
// conversation is kept and events at or below it are dropped; on a drop the
// socket comes back with exponential back-off and jitter, its `hello` resumes
// every conversation, and the outbox is sent again with the original ids, so
// the server applies each command once. 4401 and 4426 end it for good.
import {
  type Ack,
  type AgentCommand,
  type AgentFrame,
  CLOSE_CODES,
  PROTOCOL_VERSION,
  type Welcome,
} from '../../../protocol';
import { BackendError, type BackendEvent } from '../types';

/** What the socket needs of `WebSocket` (tests pass a fake). */
export type SocketLike = {
  readyState: number;
  send(data: string): void;
  close(code?: number): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
};

export type SocketFactory = (url: string) => SocketLike;

type Waiting = {
  command: AgentCommand;
  resolve: (ack: Ack) => void;
  reject: (e: BackendError) => void;
};

const OPEN = 1;
const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 30_000;

/** A fresh command id (a UUID v4). */
export function newId(): string {
  return crypto.randomUUID();
}

export class AgentSocket {
  private ws: SocketLike | null = null;
  private welcomed = false;
  private everWelcomed = false;
  private closedForGood = false;
  private failures = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private readonly lastSeq = new Map<number, number>();
  private readonly outbox = new Map<string, Waiting>();

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly emit: (event: BackendEvent) => void,
    private readonly factory: SocketFactory = (url) => new WebSocket(url) as unknown as SocketLike,
  ) {}

  /** Opens the socket; resolves with the first `welcome`. */
  open(): Promise<Welcome> {
    return new Promise((resolve, reject) => this.connect(resolve, reject));
  }

  /** Sends a command and resolves with its `ack`; rejects with the server's refusal. */
  send(command: AgentCommand): Promise<Ack> {
    if (!('id' in command)) {
      return Promise.reject(new BackendError('app', 'This command gets no answer.'));
    }
    if (this.closedForGood) {
      return Promise.reject(closed());
    }
    return new Promise((resolve, reject) => {
      this.outbox.set(command.id, { command, resolve, reject });
      if (this.isUp()) {
        this.ws?.send(JSON.stringify(command));
      }
    });
  }

  /** Sends a frame without an answer (`typing`) if the socket is up; drops it otherwise. */
  sendUnanswered(command: AgentCommand): void {
    if (this.isUp()) {
      this.ws?.send(JSON.stringify(command));
    }
  }

  /** The commands still waiting for an answer, in order. */
  unanswered(): string[] {
    return [...this.outbox.keys()];
  }

  /** The last `seq` received of a conversation. */
  seqOf(conversation: number): number | undefined {
    return this.lastSeq.get(conversation);
  }

  /** Closes for good; waiting commands fail with `closed`. */
  close(): void {
    this.closedForGood = true;
    if (this.retry) {
      clearTimeout(this.retry);
    }
    this.ws?.close(1000);
    this.fail(closed());
    this.emit({ type: 'link', link: { state: 'closed', close_code: null } });
  }

  private isUp(): boolean {
    return this.welcomed && this.ws?.readyState === OPEN;
  }

  private connect(onWelcome?: (w: Welcome) => void, onFail?: (e: BackendError) => void): void {
    const ws = this.factory(this.url);
    this.ws = ws;
    this.welcomed = false;
    ws.onopen = () => {
      const resume = [...this.lastSeq].map(([conversation, last_seq]) => ({
        conversation,
        last_seq,
      }));
      const hello: AgentCommand = {
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        token: this.token,
        resume,
      };
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (message) => {
      if (typeof message.data !== 'string') {
        return;
      }
      let frame: AgentFrame;
      try {
        frame = JSON.parse(message.data) as AgentFrame;
      } catch {
        return;
      }
      if (frame.type === 'welcome') {
        this.welcomed = true;
        this.everWelcomed = true;
        this.failures = 0;
        for (const { conversation } of frame.refused) {
          this.lastSeq.delete(conversation);
        }
        // The outbox goes again with the original ids: the server answers a
        // command it already applied with its original `ack`.
        for (const { command } of this.outbox.values()) {
          ws.send(JSON.stringify(command));
        }
        this.emit({ type: 'link', link: { state: 'up' } });
        onWelcome?.(frame);
        onWelcome = undefined;
        onFail = undefined;
      } else if (frame.type === 'error' && !this.welcomed && frame.id === null) {
        onFail?.(new BackendError(frame.code, frame.message));
        onFail = undefined;
      }
      this.receive(frame);
    };
    ws.onerror = () => {};
    ws.onclose = (event) => {
      if (this.ws !== ws) {
        return;
      }
      this.ws = null;
      this.welcomed = false;
      const code = event.code;
      if (!this.everWelcomed) {
        // The first socket never got its welcome: the login fails, and
        // nothing reconnects behind the caller's back.
        this.closedForGood = true;
        onFail?.(new BackendError('network', `The server closed the socket (code ${code}).`));
        return;
      }
      if (this.closedForGood) {
        return;
      }
      if (code === CLOSE_CODES.UNAUTHORIZED || code === CLOSE_CODES.UNSUPPORTED_PROTOCOL) {
        this.closedForGood = true;
        this.fail(closed(code));
        this.emit({ type: 'link', link: { state: 'closed', close_code: code } });
        return;
      }
      this.emit({ type: 'link', link: { state: 'down', close_code: code } });
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    const base = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures);
    this.failures += 1;
    const wait = base / 2 + Math.random() * (base / 2);
    this.retry = setTimeout(() => {
      this.retry = null;
      if (!this.closedForGood) {
        this.connect();
      }
    }, wait);
  }

  private receive(frame: AgentFrame): void {
    if (frame.type === 'ack' || frame.type === 'error') {
      const waiting = frame.id === null ? undefined : this.outbox.get(frame.id);
      if (waiting && frame.id !== null) {
        this.outbox.delete(frame.id);
        if (frame.type === 'ack') {
          waiting.resolve(frame);
        } else {
          waiting.reject(new BackendError(frame.code, frame.message));
        }
      }
      return;
    }
    if (frame.type === 'event') {
      const last = this.lastSeq.get(frame.conversation) ?? 0;
      if (frame.seq <= last) {
        return;
      }
      this.lastSeq.set(frame.conversation, frame.seq);
    }
    this.emit({ type: 'frame', frame });
  }

  private fail(error: BackendError): void {
    for (const waiting of this.outbox.values()) {
      waiting.reject(error);
    }
    this.outbox.clear();
  }
}

function closed(code?: number): BackendError {
  return new BackendError(
    'closed',
    code === CLOSE_CODES.UNAUTHORIZED
      ? 'Your session ended: log in again.'
      : 'The connection to the server is closed.',
  );
}
