// The incoming popup: each offer ringing the agent, raspberry red for smart
// routing, ocean blue for direct routing, with its phase, a countdown to its
// deadline (corrected by the server's clock) and Accept / Decline. A new
// offer plays a short tone unless the notification settings mute it.
import { useEffect, useRef, useState } from 'react';
import type { Offer, RoutingKind } from '../../protocol';
import { BackendError } from '../backend/types';
import { useBanner, useBannerState, useNow } from '../state/context';
import { visitorName, waited } from './names';
import { keysOf, useShortcuts } from './shortcuts';
import { playOfferTone } from './sound';

const NO_OFFERS: Offer[] = [];

/** Whole seconds left before `deadline`, never below zero. */
export function secondsLeft(deadline: number, now: number, clockOffset: number): number {
  return Math.max(0, Math.ceil((deadline - (now + clockOffset)) / 1000));
}

const PHASE: Record<Offer['phase'], string> = {
  preview: 'In preview',
  ringing: 'Ringing',
  auto_accept: 'Accepting automatically',
};

/** The popup's title: what is coming in, by its routing kind. */
export function interactionTitle(kind: RoutingKind): string {
  return kind === 'smart'
    ? 'Incoming Smart messaging interaction'
    : 'Incoming Direct messaging interaction';
}

/** Where the chat comes from: the channel, and who the visitor is. */
export function origin(offer: Offer): string {
  const who = offer.visitor.customer
    ? `customer ${visitorName(offer.visitor)} (logged in)`
    : 'anonymous visitor';
  const locale = offer.visitor.locale ? `, ${offer.visitor.locale}` : '';
  return `Web chat, ${who}${locale}`;
}

/**
 * The popup's colour. It is the server's `kind`, never guessed here from the
 * queue or the entry point: the server calls `smart` every offer that came
 * through routing to a queue (a flow, or a site entering straight into a
 * queue) and `direct` one routed to one named agent (direct routing, a
 * transfer to a user) — docs/protocol.md, `offer`.
 */
export function routingColour(kind: RoutingKind): 'raspberry' | 'ocean' {
  return kind === 'smart' ? 'raspberry' : 'ocean';
}

/** The offers ringing now, the current one (the oldest) first. */
function useOffers(): Offer[] {
  return useBannerState((s) => s.pool?.offers ?? NO_OFFERS);
}

/** Plays the tone once for each offer that starts ringing. */
function useOfferSound(offers: Offer[]) {
  const { backend } = useBanner();
  const heard = useRef(new Set<number>());
  useEffect(() => {
    const ringing = new Set(offers.map((o) => o.conversation));
    const fresh = [...ringing].filter((c) => !heard.current.has(c));
    // Forgetting the gone ones lets a chat offered again ring again.
    heard.current = ringing;
    if (fresh.length === 0) {
      return;
    }
    // Read at each offer: the settings may have changed in another window.
    backend
      .notificationPrefs()
      .then((prefs) => prefs.popup_sound && playOfferTone())
      .catch(() => {});
  }, [backend, offers]);
}

/**
 * Accept and decline the current offer from the keyboard, in whichever window
 * has the focus (the desktop app's popup window never takes it).
 */
export function OfferShortcuts({ onAccepted }: { onAccepted?: (conversation: number) => void }) {
  const { backend } = useBanner();
  const current = useOffers()[0];
  useShortcuts({
    accept: () => {
      if (current) {
        backend
          .accept(current.conversation)
          .then(() => onAccepted?.(current.conversation))
          .catch(() => {});
      }
    },
    decline: () => {
      if (current) {
        backend.decline(current.conversation).catch(() => {});
      }
    },
  });
  return null;
}

export function OfferPopup({ onAccepted }: { onAccepted?: (conversation: number) => void }) {
  const offers = useOffers();
  useOfferSound(offers);
  if (offers.length === 0) {
    return null;
  }
  return (
    <div className="offers">
      {offers.map((offer) => (
        <OfferCard
          key={offer.conversation}
          offer={offer}
          current={offer === offers[0]}
          onAccepted={onAccepted}
        />
      ))}
    </div>
  );
}

const ACCEPT_KEYS = keysOf('accept');
const DECLINE_KEYS = keysOf('decline');

function OfferCard({
  offer,
  current,
  onAccepted,
}: {
  offer: Offer;
  /** The one the keyboard shortcuts answer. */
  current: boolean;
  onAccepted?: (conversation: number) => void;
}) {
  const { backend } = useBanner();
  const offset = useBannerState((s) => s.clockOffset);
  const now = useNow(250);
  const [error, setError] = useState<string | null>(null);
  const left = secondsLeft(offer.deadline, now, offset);

  async function answer(accept: boolean) {
    setError(null);
    try {
      if (accept) {
        await backend.accept(offer.conversation);
        onAccepted?.(offer.conversation);
      } else {
        await backend.decline(offer.conversation);
      }
    } catch (e) {
      setError(BackendError.from(e).message);
    }
  }

  return (
    <section
      role="alertdialog"
      aria-label={`${offer.kind === 'smart' ? 'Smart routing' : 'Direct'} chat from ${visitorName(offer.visitor)}`}
      className={`offer offer-${offer.kind}`}
      data-colour={routingColour(offer.kind)}
    >
      <header>{interactionTitle(offer.kind)}</header>
      <p className="phase">{PHASE[offer.phase]}</p>
      <dl>
        <dt>Origin</dt>
        <dd>{origin(offer)}</dd>
        <dt>Queue</dt>
        <dd>{offer.queue?.label ?? 'None: routed to you'}</dd>
        <dt>Waiting</dt>
        <dd>{waited(offer.waiting_since, now + offset)}</dd>
        {offer.transfer && (
          <>
            <dt>Transfer</dt>
            <dd>
              from {offer.transfer.from.name} ({offer.transfer.mode})
            </dd>
          </>
        )}
        {offer.script_first_node && (
          <>
            <dt>Script</dt>
            <dd className="script">{offer.script_first_node}</dd>
          </>
        )}
      </dl>
      {offer.returning && <p>The customer replied</p>}
      <p className="countdown" role="timer" aria-label="Seconds left">
        {left}
      </p>
      <div className="buttons">
        <button
          type="button"
          className="accept"
          title={`Accept (${ACCEPT_KEYS.keys})`}
          aria-keyshortcuts={current ? ACCEPT_KEYS.aria : undefined}
          onClick={() => answer(true)}
        >
          Accept
        </button>
        <button
          type="button"
          className="decline"
          title={`Decline (${DECLINE_KEYS.keys})`}
          aria-keyshortcuts={current ? DECLINE_KEYS.aria : undefined}
          onClick={() => answer(false)}
        >
          Decline
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
