// Batched polling: instead of asking an upstream about each task (one request per task per poll: a 5-minute task
// polled every 15 s costs 20), the relay reads the family's task list — up to 500 tasks a page, newest first — and
// every task of that upstream and family due for a poll takes its state from the same page. One page is shared by
// all the tasks that need news at about the same time; a new one is fetched only when a due task has already seen
// the newest, or the newest is older than that task's poll interval, and never more often than `minIntervalMs`.
// Kept per process: with several processes each reads its own pages, still one per interval, not one per task.

import type { TaskObject } from '@kiln/contract';

/** Kling's largest page. */
export const LIST_PAGE_SIZE = 500;

export interface ListPage {
  /** When the read started: every task the upstream had accepted before then is on it, if it fits the page. */
  at: number;
  tasks: Map<string, TaskObject>;
  /** A full page: older tasks are on later pages, so a task missing from this one may still exist. */
  full: boolean;
}

export type ListView = { page: ListPage } | { waitUntil: number };

export class ListPolls {
  private readonly pages = new Map<string, { at: number; page: Promise<ListPage> }>();

  constructor(private readonly minIntervalMs: number) {}

  /**
   * A page for a task due for a poll: the newest if it is newer than the one the task last saw (`seenAt`) and no
   * older than `maxAgeMs`; otherwise a fresh one, unless the newest is younger than the minimum interval, when the
   * task is told when to come back (or takes the newest, if it has not seen it).
   */
  view(key: string, list: () => Promise<TaskObject[]>, seenAt: number, maxAgeMs: number, now: number): Promise<ListView> | ListView {
    const newest = this.pages.get(key);
    if (newest && newest.at > seenAt && now - newest.at <= maxAgeMs) return newest.page.then((page) => ({ page }));
    if (newest && now - newest.at < this.minIntervalMs) {
      return newest.at > seenAt ? newest.page.then((page) => ({ page })) : { waitUntil: newest.at + this.minIntervalMs };
    }
    const page = list().then((tasks) => ({ at: now, tasks: new Map(tasks.map((t) => [t.task_id, t])), full: tasks.length >= LIST_PAGE_SIZE }));
    this.pages.set(key, { at: now, page });
    // A failed read is not kept: the next due task reads again.
    page.catch(() => {
      if (this.pages.get(key)?.page === page) this.pages.delete(key);
    });
    return page.then((p) => ({ page: p }));
  }
}
