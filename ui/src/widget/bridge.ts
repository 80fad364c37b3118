// The messages between the loader (on the host page) and the frame (on the
// server's origin), sent with postMessage to one exact target origin and
// accepted only from that origin and that window. They never carry a token:
// the frame keeps its session to itself.

import type { CustomerClaim } from '../protocol';

/** Every message carries this tag, so other scripts' messages are told apart. */
export const TAG = 'banner/1';

/** The frame's configuration, from the loader's data attributes and API calls. */
export interface WidgetConfig {
  /** The site's public key. */
  site: string;
  /** A BCP 47 tag; French strings for `fr…`, English otherwise. */
  locale: string | null;
  /** An authenticated customer, signed by the host site's back end. */
  customer: CustomerClaim | null;
  /** Direct routing: the agent this visitor's chats go to. */
  agent: number | null;
}

/** From the loader to the frame (posted with `tag: TAG` added). */
export type ToFrame =
  | { t: 'init'; config: WidgetConfig; open: boolean }
  | { t: 'open'; open: boolean }
  | { t: 'identify'; customer: CustomerClaim | null };

/** From the frame to the loader (posted with `tag: TAG` added). */
export type ToHost = { t: 'ready' } | { t: 'close' } | { t: 'unread'; count: number };

/** A message as posted: the payload and the tag. */
export type Tagged<T> = T & { tag: typeof TAG };

/** The frame page's URL fragment names the host's origin under this key. */
export const ORIGIN_PARAM = 'origin';
