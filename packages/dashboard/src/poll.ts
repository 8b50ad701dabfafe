// Keeps data fresh while a page is open: loads at once, then again every `everyMs` (not while the tab is hidden),
// never two loads at a time. Errors are shown, and the next round tries again.

import { useEffect, useRef, useState } from 'preact/hooks';

export function usePoll<T>(load: () => Promise<T | undefined>, everyMs: number, deps: unknown[]): { data?: T; error?: string; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  // Data from before a change of deps stays until the new load answers: the page does not blank out meanwhile.
  const tick = useRef<() => void>(() => {});
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let running = false;
    // A hidden tab skips rounds but keeps its timer, so it catches up as soon as it is shown again.
    const schedule = () => { timer = setTimeout(() => (document.hidden ? schedule() : round()), everyMs); };
    const round = async () => {
      if (stopped || running) return;
      running = true;
      clearTimeout(timer);
      try {
        const data = await load();
        // undefined means "unchanged": the state (and the DOM) stay as they are.
        if (!stopped && data !== undefined) setState({ data });
      } catch (error) {
        if (!stopped) setState((s) => ({ ...s, error: error instanceof Error ? error.message : String(error) }));
      } finally {
        running = false;
        if (!stopped && everyMs > 0) schedule();
      }
    };
    tick.current = () => void round();
    round();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, deps);
  return { ...state, reload: () => tick.current() };
}
