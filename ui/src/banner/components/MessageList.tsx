// A conversation's log as the agent reads it: the visitor on the left, agents
// on the right, smart routing and system messages in their own style, private
// notes marked as such, routing events as quiet lines, receipts under the
// agents' public messages, attachments previewed (AttachmentView). Every text
// is rendered as a React text node.
//
// Only the latest lines are in the document (`SHOWN`, more on "Show earlier
// messages"): a chat of thousands of lines would otherwise be thousands of
// nodes to lay out and restyle for each new one. The list sticks to its
// bottom while the agent is there; scrolled up, new lines leave the view
// alone, and earlier lines are added above without moving it.
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AgentEvent, Logged } from '../../protocol';
import { AttachmentView } from './AttachmentView';
import { clock } from './names';

type Message = Extract<AgentEvent, { type: 'message' }>;

/** How many of the latest lines show at first, and how many more each "Show earlier messages" adds. */
export const SHOWN = 100;
/** Within this many pixels of the bottom, the list counts as at its bottom. */
const NEAR_BOTTOM = 40;

/** The highest `up_to` of the visitor's receipts of each kind. */
export function visitorReceipts(log: Logged<AgentEvent>[]): { read: number; delivered: number } {
  let read = 0;
  let delivered = 0;
  for (const { event } of log) {
    if (event.type === 'receipt' && event.by.type === 'visitor') {
      if (event.kind === 'read') {
        read = Math.max(read, event.up_to);
      } else {
        delivered = Math.max(delivered, event.up_to);
      }
    }
  }
  return { read, delivered: Math.max(read, delivered) };
}

/** One line for an event that is not a message (null: not shown). */
export function eventLine(event: AgentEvent): string | null {
  switch (event.type) {
    case 'enqueued':
      return `Waiting in ${event.queue.label}`;
    case 'waiting_for_agent':
      return `Waiting for ${event.agent.name}`;
    case 'assigned':
      return `${event.agent.name} took the chat (${event.by.replace('_', ' ')})`;
    case 'offer_ended':
      return `Offer to ${event.agent.name} ended: ${event.reason.replace('_', ' ')}`;
    case 'transfer_requested':
      return `${event.by.name} transfers to ${event.target.label} (${event.mode})`;
    case 'transfer_returned':
      return `The transfer came back to ${event.to.name}`;
    case 'waiting_for_customer':
      return event.frozen ? 'Frozen until the customer replies' : 'Waiting for the customer';
    case 'visitor_disconnected':
      return 'The visitor dropped';
    case 'visitor_reconnected':
      return 'The visitor is back';
    case 'visitor_left':
      return 'The visitor left';
    case 'archived':
      return `${event.agent.name} archived the chat`;
    case 'wrap_up_completed':
      return event.disposition ? `Wrap-up done: ${event.disposition}` : 'Wrap-up done';
    case 'conversation_ended':
      return 'The conversation ended';
    default:
      return null;
  }
}

function authorName(message: Message): string {
  switch (message.author.type) {
    case 'visitor':
      return 'Visitor';
    case 'agent':
      return message.author.name;
    case 'smart_routing':
      return 'Smart routing';
    case 'system':
      return 'System';
  }
}

/** The events shown as lines: messages, and the others that have a line. */
function shownLines(log: Logged<AgentEvent>[]): Logged<AgentEvent>[] {
  return log.filter((e) => e.event.type === 'message' || eventLine(e.event) !== null);
}

/**
 * A conversation's latest lines. Memoized: the conversation re-renders every
 * second for its typing indicators, and the log has not changed then.
 */
export const MessageList = memo(function MessageList({ log }: { log: Logged<AgentEvent>[] }) {
  const receipts = useMemo(() => visitorReceipts(log), [log]);
  const lines = useMemo(() => shownLines(log), [log]);
  // The `seq` of the oldest line shown while the agent reads earlier lines;
  // null at the bottom, where the latest `SHOWN` lines show.
  const [oldest, setOldest] = useState<number | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  // Distance from the bottom to restore once earlier lines are added above.
  const keepFromBottom = useRef<number | null>(null);

  const start =
    oldest === null
      ? Math.max(0, lines.length - SHOWN)
      : Math.max(
          0,
          lines.findIndex((e) => e.seq >= oldest),
        );
  const visible = lines.slice(start);

  // After each change of the lines shown: to the bottom, or back to where
  // the agent read once earlier lines are added above.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the lines shown are the trigger.
  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    if (keepFromBottom.current !== null) {
      el.scrollTop = el.scrollHeight - el.clientHeight - keepFromBottom.current;
      keepFromBottom.current = null;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [visible.length, lines]);

  function onScroll() {
    const el = list.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.clientHeight - el.scrollTop <= NEAR_BOTTOM;
    atBottom.current = bottom;
    if (bottom && oldest !== null) {
      // Back at the bottom: the earlier lines leave the document again.
      setOldest(null);
    } else if (!bottom && oldest === null && visible[0]) {
      // Reading up: new lines must not slide the shown ones away.
      setOldest(visible[0].seq);
    }
  }

  function showEarlier() {
    const el = list.current;
    if (el) {
      keepFromBottom.current = el.scrollHeight - el.clientHeight - el.scrollTop;
      atBottom.current = false;
    }
    setOldest(lines[Math.max(0, start - SHOWN)]?.seq ?? null);
  }

  return (
    <ol className="messages" aria-label="Messages" ref={list} onScroll={onScroll}>
      {start > 0 && (
        <li className="earlier">
          <button type="button" onClick={showEarlier}>
            Show earlier messages ({start})
          </button>
        </li>
      )}
      {visible.map(({ seq, at, event }) => {
        if (event.type !== 'message') {
          return (
            <li key={seq} className="event-line">
              {eventLine(event)}
            </li>
          );
        }
        const classes = ['msg', `msg-${event.author.type}`, event.private ? 'msg-private' : ''];
        const receipt =
          event.author.type === 'agent' && !event.private
            ? seq <= receipts.read
              ? 'Read'
              : seq <= receipts.delivered
                ? 'Delivered'
                : 'Sent'
            : null;
        return (
          <li key={seq} className={classes.join(' ').trim()} data-seq={seq}>
            <div className="meta">
              {authorName(event)} · {clock(at)}
              {event.private && <span className="tag">Private note</span>}
            </div>
            {event.text && <p className="text">{event.text}</p>}
            {event.choices.length > 0 && (
              <ul className="choices">
                {event.choices.map((c) => (
                  <li key={c.value}>{c.label}</li>
                ))}
              </ul>
            )}
            {event.attachments.map((file) => (
              <AttachmentView key={file.id} file={file} />
            ))}
            {receipt && <div className="receipt">{receipt}</div>}
          </li>
        );
      })}
    </ol>
  );
});
