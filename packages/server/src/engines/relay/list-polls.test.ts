// Batched polling: how many list reads tasks due for a poll cost, and when a task is told to come back instead.

import { describe, expect, it } from 'vitest';
import type { TaskObject } from '@kiln/contract';
import { ListPolls, type ListView } from './list-polls.ts';

const task = (id: string, status = 'processing') => ({ task_id: id, task_status: status }) as TaskObject;

function counted(pages: TaskObject[][]) {
  let reads = 0;
  return { list: async () => pages[Math.min(reads++, pages.length - 1)], reads: () => reads };
}

const page = async (view: Promise<ListView> | ListView) => {
  const v = await view;
  if (!('page' in v)) throw new Error(`told to wait until ${v.waitUntil}`);
  return v.page;
};

describe('list polls', () => {
  it('serves every task due at about the same time from one read', async () => {
    const polls = new ListPolls(5_000);
    const upstream = counted([[task('a'), task('b', 'succeed')]]);
    const [a, b] = await Promise.all([page(polls.view('k', upstream.list, 0, 1_000, 10_000)), page(polls.view('k', upstream.list, 0, 1_000, 10_050))]);
    expect(upstream.reads()).toBe(1);
    expect(a.tasks.get('a')?.task_status).toBe('processing');
    expect(b.tasks.get('b')?.task_status).toBe('succeed');
    expect(a.full).toBe(false);
  });

  it('tells a task that has seen the newest page when the next may be read, and reads it then', async () => {
    const polls = new ListPolls(5_000);
    const upstream = counted([[task('a')], [task('a', 'succeed')]]);
    const first = await page(polls.view('k', upstream.list, 0, 1_000, 10_000));
    expect(await polls.view('k', upstream.list, first.at, 1_000, 12_000)).toEqual({ waitUntil: 15_000 });
    expect(upstream.reads()).toBe(1);
    const second = await page(polls.view('k', upstream.list, first.at, 1_000, 15_000));
    expect(second.tasks.get('a')?.task_status).toBe('succeed');
    expect(upstream.reads()).toBe(2);
  });

  it('gives a task a page it has not seen, even one older than its poll interval, rather than read too soon', async () => {
    const polls = new ListPolls(5_000);
    const upstream = counted([[task('a')]]);
    await page(polls.view('k', upstream.list, 0, 1_000, 10_000));
    await page(polls.view('k', upstream.list, 0, 1_000, 13_000));
    expect(upstream.reads()).toBe(1);
  });

  it('keeps pages per upstream family apart, and forgets a failed read', async () => {
    const polls = new ListPolls(5_000);
    const upstream = counted([[task('a')]]);
    await page(polls.view('one', upstream.list, 0, 1_000, 0));
    await page(polls.view('two', upstream.list, 0, 1_000, 0));
    expect(upstream.reads()).toBe(2);
    const failing = async (): Promise<TaskObject[]> => { throw new Error('connection failed'); };
    await expect(page(polls.view('three', failing, 0, 1_000, 0))).rejects.toThrow('connection failed');
    await page(polls.view('three', upstream.list, 0, 1_000, 1));
    expect(upstream.reads()).toBe(3);
  });
});
