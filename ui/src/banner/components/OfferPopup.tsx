// The incoming popup: each offer ringing the agent, raspberry red for smart
// routing, ocean blue for direct routing, with its phase, a countdown to its
// deadline (corrected by the server's clock) and Accept / Decline.
import { useState } from 'react';
import type { Offer } from '../../protocol';
import { BackendError } from '../backend/types';
import { useBanner, useBannerState, useNow } from '../state/context';
import { visitorName } from './names';

const NO_OFFERS: Offer[] = [];

/** Whole seconds left before `deadline`, never below zero. */
export function secondsLeft(deadline: number, now: number, clockOffset: number): number {
  return Math.max(0, Math.ceil((deadline - (now + clockOffset)) / 1000));
}

const PHASE: Record<Offer['phase'], string> = {
  preview: 'In preview',
  ringing: 'Incoming chat',
  auto_accept: 'Accepting automatically',
};

export function OfferPopup({ onAccepted }: { onAccepted?: (conversation: number) => void }) {
  const offers = useBannerState((s) => s.pool?.offers ?? NO_OFFERS);
  if (offers.length === 0) {
    return null;
  }
  return (
    <div className="offers">
      {offers.map((offer) => (
        <OfferCard key={offer.conversation} offer={offer} onAccepted={onAccepted} />
      ))}
    </div>
  );
}

function OfferCard({
  offer,
  onAccepted,
}: {
  offer: Offer;
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
    >
      <header>
        {PHASE[offer.phase]} ·{' '}
        {offer.kind === 'smart' ? (offer.queue?.label ?? 'Smart routing') : 'Direct'}
      </header>
      <p className="visitor">{visitorName(offer.visitor)}</p>
      {offer.transfer && <p>Transferred by {offer.transfer.from.name}</p>}
      {offer.returning && <p>The customer replied</p>}
      {offer.script_first_node && <p className="script">{offer.script_first_node}</p>}
      <p className="countdown" role="timer" aria-label="Seconds left">
        {left}
      </p>
      <div className="buttons">
        <button type="button" className="accept" onClick={() => answer(true)}>
          Accept
        </button>
        <button type="button" className="decline" onClick={() => answer(false)}>
          Decline
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
