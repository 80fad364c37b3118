import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentCommand, AgentFrame, Welcome } from '../../protocol';
import { ADA } from '../backend/mock';
import type { BackendEvent } from '../backend/types';
import { AgentSocket, type SocketLike } from '../backend/web/socket';

/** A WebSocket the test plays the server of. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: AgentCommand[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data) as AgentCommand);
  }
  close() {}
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  frame(frame: AgentFrame) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const WELCOME: Welcome = {
  protocol: 1,
  server_time: 0,
  expires_at: 0,
  agent: ADA,
  resumed: [],
  refused: [],
};

function message(seq: number): AgentFrame {
  return {
    type: 'event',
    conversation: 1042,
    seq,
    at: 0,
    event: {
      type: 'message',
      author: { type: 'visitor' },
      private: false,
      text: `m${seq}`,
      choices: [],
      attachments: [],
    },
  };
}

describe('the web socket client', () => {
  let sockets: FakeSocket[];
  let events: BackendEvent[];
  let socket: AgentSocket;

  beforeEach(async () => {
    vi.useFakeTimers();
    sockets = [];
    events = [];
    socket = new AgentSocket(
      'ws://127.0.0.1:1/v1/ws',
      'token',
      (e) => events.push(e),
      () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
    );
    const welcomed = socket.open();
    sockets[0]?.open();
    sockets[0]?.frame({ type: 'welcome', ...WELCOME });
    await welcomed;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says hello with the token, and passes each event on once', () => {
    expect(sockets[0]?.sent[0]).toEqual({ type: 'hello', protocol: 1, token: 'token', resume: [] });
    sockets[0]?.frame(message(1));
    sockets[0]?.frame(message(2));
    sockets[0]?.frame(message(2));
    const seqs = events.flatMap((e) =>
      e.type === 'frame' && e.frame.type === 'event' ? [e.frame.seq] : [],
    );
    expect(seqs).toEqual([1, 2]);
  });

  it('keeps unanswered commands and sends them again, same id, after a reconnect that resumes', async () => {
    sockets[0]?.frame(message(5));
    const answer = socket.send({ type: 'pick', id: 'c-1', conversation: 1050 });
    expect(socket.unanswered()).toEqual(['c-1']);
    sockets[0]?.drop(1006);
    expect(events.at(-1)).toEqual({ type: 'link', link: { state: 'down', close_code: 1006 } });

    await vi.advanceTimersByTimeAsync(1_000);
    const second = sockets[1];
    second?.open();
    expect(second?.sent[0]).toEqual({
      type: 'hello',
      protocol: 1,
      token: 'token',
      resume: [{ conversation: 1042, last_seq: 5 }],
    });
    second?.frame({ type: 'welcome', ...WELCOME });
    expect(second?.sent[1]).toEqual({ type: 'pick', id: 'c-1', conversation: 1050 });
    second?.frame({ type: 'ack', id: 'c-1', conversation: 1050, seq: 9 });
    await expect(answer).resolves.toEqual({ type: 'ack', id: 'c-1', conversation: 1050, seq: 9 });
    expect(socket.unanswered()).toEqual([]);
  });

  it("rejects a refused command with the server's code and message", async () => {
    const answer = socket.send({ type: 'pick', id: 'c-2', conversation: 1050 });
    sockets[0]?.frame({
      type: 'error',
      id: 'c-2',
      code: 'not_pending',
      message: 'Picked by someone else.',
    });
    await expect(answer).rejects.toMatchObject({
      code: 'not_pending',
      message: 'Picked by someone else.',
    });
  });

  it('stops for good when the session is gone (4401)', async () => {
    const answer = socket.send({ type: 'ping', id: 'c-3' });
    sockets[0]?.drop(4401);
    await expect(answer).rejects.toMatchObject({ code: 'closed' });
    expect(events.at(-1)).toEqual({ type: 'link', link: { state: 'closed', close_code: 4401 } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
  });
});

describe('the first connection', () => {
  it("fails the login with the server's refusal and never reconnects", async () => {
    vi.useFakeTimers();
    const sockets: FakeSocket[] = [];
    const socket = new AgentSocket(
      'ws://127.0.0.1:1/v1/ws',
      'stale',
      () => {},
      () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
    );
    const welcomed = socket.open();
    sockets[0]?.open();
    sockets[0]?.frame({ type: 'error', id: null, code: 'unauthorized', message: 'Log in again.' });
    sockets[0]?.drop(4401);
    await expect(welcomed).rejects.toMatchObject({ code: 'unauthorized' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
    vi.useRealTimers();
  });
});
