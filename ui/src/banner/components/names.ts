// How people and reasons are named on screen.
import type { ErrorCode, VisitorInfo } from '../../protocol';

/** A visitor's name: the customer's, else their id. */
export function visitorName(visitor: VisitorInfo): string {
  return visitor.customer?.name ?? visitor.customer?.id ?? visitor.visitor_id;
}

/** Why the hand button is disabled, in words. */
export function pickReason(code: ErrorCode | null): string {
  switch (code) {
    case 'at_capacity':
      return 'You have no room for another chat';
    case 'not_a_member':
      return 'Not one of your queues';
    case 'forbidden':
      return 'Your profile may not pick';
    case 'unavailable':
      return 'Be available to pick';
    default:
      return '';
  }
}

// One formatter for every time shown: `toLocaleTimeString` with options
// builds a new ICU formatter on each call, which a chat of hundreds of
// messages pays for on every render, in time and in native memory the
// JavaScript collector does not see.
const TIME_OF_DAY = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' });

/** A time of day from milliseconds since the epoch. */
export function clock(at: number): string {
  return TIME_OF_DAY.format(at);
}

/** How long since `since`, as m:ss (h:mm:ss past an hour), on the server's clock. */
export function waited(since: number, now: number): string {
  const total = Math.max(0, Math.floor((now - since) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
