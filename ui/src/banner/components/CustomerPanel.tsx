// Who the agent is talking to: the visitor or authenticated customer, the
// entry point and queue, and what smart routing collected.
import type { ConversationDetails } from '../../protocol';
import { visitorName } from './names';

function entryText(details: ConversationDetails): string {
  const entry = details.entry;
  switch (entry.type) {
    case 'flow':
      return `Smart routing: ${entry.flow.name}`;
    case 'queue':
      return `Queue: ${entry.queue.label}`;
    case 'direct':
      return `Direct to ${entry.agent.name}`;
  }
}

export function CustomerPanel({ details }: { details: ConversationDetails }) {
  const { visitor } = details;
  const variables = Object.entries(details.variables);
  return (
    <aside className="customer" aria-label="Customer">
      <h2>{visitorName(visitor)}</h2>
      <dl>
        {visitor.customer ? (
          <>
            <dt>Customer id</dt>
            <dd>{visitor.customer.id}</dd>
            {visitor.customer.email && (
              <>
                <dt>E-mail</dt>
                <dd>{visitor.customer.email}</dd>
              </>
            )}
          </>
        ) : (
          <>
            <dt>Visitor</dt>
            <dd>Anonymous ({visitor.visitor_id})</dd>
          </>
        )}
        {visitor.locale && (
          <>
            <dt>Language</dt>
            <dd>{visitor.locale}</dd>
          </>
        )}
        <dt>Entry</dt>
        <dd>{entryText(details)}</dd>
        <dt>Queue</dt>
        <dd>{details.queue?.label ?? '—'}</dd>
        <dt>Interactions</dt>
        <dd>{details.interactions}</dd>
        {variables.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {details.actions?.script && (
        <section className="script">
          <h3>Script: {details.actions.script.name}</h3>
          <p>{details.actions.script.first_node}</p>
        </section>
      )}
    </aside>
  );
}
