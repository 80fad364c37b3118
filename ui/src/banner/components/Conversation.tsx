// One chat: its log (fetched once over HTTP, then kept current by the
// socket's frames), who is typing, the composer, the actions and the customer
// panel. Shown messages are marked read.
import { useEffect, useRef, useState } from 'react';
import type { AgentEvent, ConversationDetails, Logged } from '../../protocol';
import { BackendError } from '../backend/types';
import { useBanner, useBannerState, useNow } from '../state/context';
import type { Typing } from '../state/store';
import { ChatActions } from './ChatActions';
import { Composer } from './Composer';
import { CustomerPanel } from './CustomerPanel';
import { MessageList } from './MessageList';

const NO_EVENTS: Logged<AgentEvent>[] = [];
const NO_TYPING: Typing[] = [];
/** A refused read's first pause, and the longest (ms). */
const READ_PAUSE_FIRST = 1000;
const READ_PAUSE_MAX = 30_000;

/** The pause after `last`: the first, then twice as long, up to the longest. */
function nextReadPause(last: number): number {
  return last === 0 ? READ_PAUSE_FIRST : Math.min(last * 2, READ_PAUSE_MAX);
}

export function Conversation({ conversation }: { conversation: number }) {
  const { backend, store } = useBanner();
  const me = useBannerState((s) => s.profile?.id);
  const log = useBannerState((s) => s.logs[conversation] ?? NO_EVENTS);
  const typing = useBannerState((s) => s.typing[conversation] ?? NO_TYPING);
  const now = useNow(1000);
  const [details, setDetails] = useState<ConversationDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const readUpTo = useRef(0);
  // The conversation whose `read` waits for its answer: the next read of it
  // waits too and covers all shown meanwhile, as the widget does (the server
  // holds a read a moment, docs/protocol.md "Receipts and typing").
  const reading = useRef<number | null>(null);
  /** Shown while that read waits: the next read covers up to here. */
  const owed = useRef(0);
  const [readAnswered, setReadAnswered] = useState(0);
  /** The pause before a read refused for now is sent again (ms). */
  const readPause = useRef(0);
  const readRetry = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = log.at(-1)?.seq ?? 0;

  // While shown, its log is kept even if the chat is not the agent's.
  useEffect(() => {
    store.dispatch({ type: 'shown', conversation });
    return () => store.dispatch({ type: 'hidden', conversation });
  }, [store, conversation]);

  // The log from its start: the socket carries only what happens from now on.
  useEffect(() => {
    let after = 0;
    let stop = false;
    readUpTo.current = 0;
    (async () => {
      try {
        for (;;) {
          const page = await backend.events(conversation, after);
          if (stop) return;
          store.dispatch({ type: 'page', events: page.events });
          after = page.events.at(-1)?.seq ?? after;
          if (!page.more || page.events.length === 0) break;
        }
      } catch (e) {
        setError(BackendError.from(e).message);
      }
    })();
    return () => {
      stop = true;
    };
  }, [backend, store, conversation]);

  // Where the chat stands changes with its events: ask again after each.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `latest` is the trigger.
  useEffect(() => {
    backend
      .conversation(conversation)
      .then(setDetails)
      .catch((e) => setError(BackendError.from(e).message));
  }, [backend, conversation, latest]);

  // Mark read what is shown, when someone else wrote after the last mark;
  // one `read` at a time, the next after the answer (`readAnswered`). A read
  // refused for now (a rate limit, a busy server, the socket down) is sent
  // again after a pause, which counts as waiting for an answer; one refused
  // for good (the chat is not the agent's to mark) is not.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `readAnswered` is a trigger.
  useEffect(() => {
    const unread = log.some(
      (e) =>
        e.seq > readUpTo.current &&
        e.event.type === 'message' &&
        !(e.event.author.type === 'agent' && e.event.author.id === me),
    );
    if (!unread || latest === 0) return;
    if (reading.current === conversation) {
      owed.current = latest;
      return;
    }
    owed.current = 0;
    const before = readUpTo.current;
    readUpTo.current = latest;
    reading.current = conversation;
    let pause = 0;
    backend
      .read(conversation, latest)
      .then(() => {
        readPause.current = 0;
      })
      .catch((e) => {
        if (!BackendError.from(e).retryable) return;
        if (readUpTo.current === latest) readUpTo.current = before;
        pause = nextReadPause(readPause.current);
        readPause.current = pause;
      })
      .finally(() => {
        const answered = () => {
          if (reading.current === conversation) reading.current = null;
          setReadAnswered((n) => n + 1);
        };
        if (pause > 0) readRetry.current = setTimeout(answered, pause);
        else answered();
      });
  }, [backend, conversation, log, latest, me, readAnswered]);

  useEffect(() => () => clearTimeout(readRetry.current), []);

  // Leaving the chat while a read waits for its answer: what was shown
  // meanwhile is read now, or it would stay unread until the chat opens again.
  useEffect(
    () => () => {
      if (owed.current > readUpTo.current) {
        backend.read(conversation, owed.current).catch(() => {});
      }
      owed.current = 0;
    },
    [backend, conversation],
  );

  const typers = typing.filter(
    (t) => t.until > now && !(t.who.type === 'agent' && t.who.id === me),
  );
  const holder = details?.agent?.id === me;

  return (
    <section className="conversation" aria-label={`Conversation ${conversation}`}>
      <div className="chat">
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <MessageList log={log} />
        <p className="typing" aria-live="polite">
          {typers
            .map((t) =>
              t.who.type === 'visitor'
                ? 'The visitor is typing…'
                : `${t.who.name} is typing${t.private ? ' a private note' : ''}…`,
            )
            .join(' ')}
        </p>
        {details && <ChatActions details={details} />}
        <Composer
          conversation={conversation}
          canWritePublic={
            holder && (details?.place === 'active' || details?.place === 'pending_customer')
          }
        />
      </div>
      {details && <CustomerPanel details={details} />}
    </section>
  );
}
