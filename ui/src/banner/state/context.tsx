// The backend and the store, handed to every component through React
// context, and the hooks that read them.
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
} from 'react';
import type { Backend } from '../backend/types';
import type { State, Store } from './store';

type Banner = { backend: Backend; store: Store };

const BannerContext = createContext<Banner | null>(null);

/** Feeds the backend's frames into the store for as long as it is mounted. */
export function BannerProvider({ backend, store, children }: Banner & { children: ReactNode }) {
  useEffect(() => backend.subscribe(store.dispatch), [backend, store]);
  return <BannerContext.Provider value={{ backend, store }}>{children}</BannerContext.Provider>;
}

export function useBanner(): Banner {
  const banner = useContext(BannerContext);
  if (!banner) {
    throw new Error('useBanner outside BannerProvider');
  }
  return banner;
}

/** The part of the state a component shows; it re-renders when that changes. */
export function useBannerState<T>(select: (state: State) => T): T {
  const { store } = useBanner();
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}

/** A clock that ticks every `ms`, for countdowns and typing expiry. */
export function useNow(ms = 500): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
