// A small history router: pages live under /console/…, links are real <a href> (keyboard, new tab, copy link work),
// and a click on one changes the page without a reload.

import { useEffect, useState } from 'preact/hooks';

export const BASE = '/console';

export interface Route {
  /** The path under /console, e.g. "/tasks/123". */
  path: string;
  params: URLSearchParams;
}

const current = (): Route => ({ path: location.pathname.slice(BASE.length) || '/', params: new URLSearchParams(location.search) });

const listeners = new Set<() => void>();

export function navigate(to: string, replace = false): void {
  const url = to.startsWith(BASE) ? to : BASE + to;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** Follows same-app links without a reload (plain clicks only: modified clicks open tabs as usual). */
export function onLinkClick(event: MouseEvent): void {
  const link = (event.target as Element).closest?.('a');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const href = link.getAttribute('href');
  if (!href || !href.startsWith(BASE + '/') || link.target || link.hasAttribute('download')) return;
  event.preventDefault();
  navigate(href);
}
