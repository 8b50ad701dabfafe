// A Kling account in memory, for running the Engine port's behaviour suite (engine-cases.ts) on the relay without
// sockets or real time: a `fetch` that answers the official API's task calls as Kling does (envelope, task object,
// "Task not found" for an unknown id, the list newest first). Each query moves a task one state on — submitted,
// processing, then succeed, or failed when its input image cannot be fetched (named as Kling names it). Results
// point at `https://outputs.example/…`, which the suite's output fetcher serves. The relay's end-to-end tests use
// real simulator kilns instead.

import { taskNotFoundMessage } from '@kiln/contract';

export const SCRIPTED_OUTPUTS = 'https://outputs.example/';

interface ScriptedTask {
  task_id: string;
  external_task_id: string | null;
  path: string;
  body: Record<string, unknown>;
  status: 'submitted' | 'processing' | 'succeed' | 'failed';
  created_at: number;
}

export class ScriptedUpstream {
  readonly baseUrl = 'https://upstream.example';
  private readonly tasks: ScriptedTask[] = [];
  /** Creates received, by external id: the suite can tell a resent create from an adopted one. */
  readonly creates: string[] = [];

  /** Inputs the account cannot fetch (its tasks fail, naming the field). */
  constructor(private readonly missingInputs: readonly string[] = []) {}

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = init?.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    if (method === 'POST') return this.create(path, JSON.parse(String(init?.body ?? '{}')));
    const byId = this.tasks.find((t) => path === `${t.path}/${t.task_id}` || (t.external_task_id !== null && path === `${t.path}/${t.external_task_id}`));
    if (byId) return envelope(this.advance(byId));
    const listed = this.tasks.filter((t) => t.path === path);
    if (listed.length || /^\/v1\/(videos|images)\/[\w-]+$/.test(path)) return envelope(listed.reverse().map((t) => this.advance(t)));
    return answer(400, { code: 1201, message: taskNotFoundMessage(path.split('/').pop() ?? ''), request_id: 'scripted' });
  };

  private create(path: string, body: Record<string, unknown>): Response {
    const external = typeof body.external_task_id === 'string' ? body.external_task_id : null;
    if (external) this.creates.push(external);
    const task: ScriptedTask = { task_id: `up-${this.tasks.length + 1}`, external_task_id: external, path, body, status: 'submitted', created_at: Date.now() };
    this.tasks.push(task);
    return envelope(this.view(task));
  }

  private advance(task: ScriptedTask) {
    const view = this.view(task);
    if (task.status === 'submitted') task.status = 'processing';
    else if (task.status === 'processing') task.status = this.missingInputs.includes(String(task.body.image)) ? 'failed' : 'succeed';
    return view;
  }

  private view(task: ScriptedTask) {
    const done = task.status === 'succeed';
    return {
      task_id: task.task_id,
      task_status: task.status,
      task_status_msg: task.status === 'failed' ? 'image: could not download (HTTP 404 Not Found)' : '',
      task_info: { external_task_id: task.external_task_id },
      task_result: done ? { images: [{ index: 0, url: `${SCRIPTED_OUTPUTS}${task.task_id}-0.png` }] } : {},
      ...(done ? { final_unit_deduction: '1' } : task.status === 'failed' ? { final_unit_deduction: '0' } : {}),
      created_at: task.created_at,
      updated_at: task.created_at,
    };
  }
}

const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const envelope = (data: unknown) => answer(200, { code: 0, message: 'SUCCEED', request_id: 'scripted', data });
