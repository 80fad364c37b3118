// A conversation's log as the agent reads it: the visitor on the left, agents
// on the right, smart routing and system messages in their own style, private
// notes marked as such, routing events as quiet lines, receipts under the
// agents' public messages, attachments previewed (AttachmentView). Every text
// is rendered as a React text node.
import type { AgentEvent, Logged } from '../../protocol';
import { AttachmentView } from './AttachmentView';
import { clock } from './names';

type Message = Extract<AgentEvent, { type: 'message' }>;

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

export function MessageList({ log }: { log: Logged<AgentEvent>[] }) {
  const receipts = visitorReceipts(log);
  return (
    <ol className="messages" aria-label="Messages">
      {log.map(({ seq, at, event }) => {
        if (event.type !== 'message') {
          const line = eventLine(event);
          return line === null ? null : (
            <li key={seq} className="event-line">
              {line}
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
}
