// The visitor's session, kept in the frame's own storage (the server's
// origin, which the host page cannot read) and never in a URL:
// - localStorage: the token and the conversation, shared by the visitor's
//   tabs, so a reload or a new tab continues the chat;
// - sessionStorage: this tab's unacknowledged commands, resent with their
//   original ids after a reload (the server applies each id once).
// Where the browser blocks storage, the session lives in memory only.

import type { VisitorCommand } from '../../protocol';

export interface Session {
  /** The site key it was opened for. */
  site: string;
  /** The signed customer id, or null for an anonymous visitor. */
  customer: string | null;
  /** The direct-routing agent it was opened with. */
  agent: number | null;
  token: string;
  visitor: string;
  /** When the token stops working (ms since the epoch). */
  expires: number;
  /** The conversation the visitor writes in, if any. */
  conversation: number | null;
  /** The last `seq` this visitor's widget has shown. */
  seq: number;
  /** The last `seq` sent as read. */
  read: number;
}

const memory = new Map<string, string>();

function get(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

function set(storage: () => Storage, key: string, value: string | null): void {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, value);
  } catch {
    if (value === null) memory.delete(key);
    else memory.set(key, value);
  }
}

const local = () => localStorage;
const perTab = () => sessionStorage;

function parse<T>(text: string | null): T | null {
  try {
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

/** Storage for one site's widget. */
export class Store {
  private readonly key: string;

  constructor(site: string) {
    this.key = `banner:v1:${site}`;
  }

  load(): Session | null {
    return parse<Session>(get(local, this.key));
  }

  save(session: Session | null): void {
    set(local, this.key, session && JSON.stringify(session));
  }

  /** This tab's unacknowledged commands for `token`. */
  outbox(token: string): VisitorCommand[] {
    const saved = parse<{ token: string; commands: VisitorCommand[] }>(
      get(perTab, `${this.key}:outbox`),
    );
    return saved && saved.token === token ? saved.commands : [];
  }

  saveOutbox(token: string, commands: VisitorCommand[]): void {
    set(perTab, `${this.key}:outbox`, commands.length ? JSON.stringify({ token, commands }) : null);
  }
}
