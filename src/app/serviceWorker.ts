// The page's side of the offline notebook (the worker is src/sw.js): register
// the service worker in production builds, under the build's base URL, and
// when a newer version has installed and waits, offer it to the reader
// ("A new version is available — reload", UpdateBanner.tsx) instead of
// swapping code under the running page. Reloading is the reader's choice:
// only then is the waiting worker told to take over, and the page reloads
// once it has.
import { useSyncExternalStore } from 'react';

type Apply = () => void;

let offer: Apply | null = null;
const listeners = new Set<() => void>();

function setOffer(next: Apply | null) {
  offer = next;
  for (const l of listeners) l();
}

/** The pending update's "reload", or null while there is none. */
export function useUpdateOffer(): Apply | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => offer,
  );
}

/** How often a long-open notebook asks whether a newer version was deployed. */
const CHECK_EVERY_MS = 60 * 60 * 1000;

export function registerServiceWorker(base: string = import.meta.env.BASE_URL): void {
  if (!('serviceWorker' in navigator)) return;
  const container = navigator.serviceWorker;
  let accepted = false;
  container.addEventListener('controllerchange', () => {
    // A first install also changes the controller (the worker claims the open page): no reload then.
    if (accepted) window.location.reload();
  });
  const offerWaiting = (waiting: ServiceWorker) =>
    setOffer(() => {
      accepted = true;
      waiting.postMessage({ type: 'skip-waiting' });
    });
  container
    .register(`${base}sw.js`)
    .then((registration) => {
      // A version that installed during an earlier visit and still waits.
      if (registration.waiting && container.controller) offerWaiting(registration.waiting);
      registration.addEventListener('updatefound', () => {
        const installing = registration.installing;
        installing?.addEventListener('statechange', () => {
          // With no controller this is the first install, not an update.
          if (installing.state === 'installed' && container.controller) offerWaiting(installing);
        });
      });
      setInterval(() => void registration.update().catch(() => {}), CHECK_EVERY_MS);
    })
    .catch((err: unknown) => {
      // Offline use is a bonus: the notebook works without it.
      console.warn('The notebook could not install its offline cache:', err);
    });
}
