// `client.newStandard.<product>`: typed creates of the new standard (model in the path), one object per product
// with the model as the first argument — `client.newStandard.textToVideo.create('kling-3.0-turbo', {prompt})`.
// Bodies are checked against the contract before sending and get an `options.external_task_id` when they have none,
// so a create whose answer was lost can be recovered; tasks are read and awaited through `client.tasks`.

import {
  checkInlineMedia, KlingError, newStandardEndpoint, newStandardPath, validateCreate,
  type NewStandardCreated, type NewStandardProduct, type NewStandardTask,
} from '@kiln/contract';
import { apiError, KlingAbortError, KlingApiError, KlingConnectionError, KlingSdkError } from './errors.ts';
import type { CreateOptions } from './family-resource.ts';
import type {
  ImageToVideoModel, ImageToVideoRequest, MotionControlModel, MotionControlRequest, OmniVideoModel, OmniVideoRequest,
  TextToVideoModel, TextToVideoRequest,
} from './new-standard-types.ts';
import type { TasksContext, TasksResource, TaskWaitOptions } from './tasks.ts';

function mayExist(error: unknown): boolean {
  if (error instanceof KlingConnectionError || error instanceof KlingAbortError) return error.requestSent;
  if (error instanceof KlingApiError) return !error.local && error.httpStatus >= 500;
  return false;
}

export class NewStandardProductResource<M extends string, Req> {
  constructor(readonly product: NewStandardProduct, private readonly ctx: TasksContext, private readonly tasks: TasksResource) {}

  private endpoint(model: string) {
    const endpoint = newStandardEndpoint(this.product, model);
    if (!endpoint) throw apiError(`model is not supported: ${this.product} has no model '${model}'`, { code: 1201, httpStatus: 400, local: true });
    return endpoint;
  }

  /** The create path at this client's provider: `/kling/text-to-video/kling-3.0-turbo` for a `/kling` reseller. */
  path(model: M): string {
    return newStandardPath(this.ctx.provider.style, `/${this.product}/${model}`, this.ctx.provider.endpoint);
  }

  /** Checks a body as the server would; throws InvalidRequestError with its message. */
  validate(model: M, body: Req): void {
    const endpoint = this.endpoint(model);
    try {
      validateCreate(endpoint, body);
      checkInlineMedia(endpoint.request, body);
    } catch (error) {
      if (!(error instanceof KlingError)) throw error;
      throw apiError(error.message, { code: error.code, httpStatus: error.httpStatus, local: true });
    }
  }

  async create(model: M, body: Req, options: CreateOptions = {}): Promise<NewStandardCreated> {
    const given = body as { options?: Record<string, unknown> };
    const sent = { ...given, options: { ...given.options } } as { options: Record<string, unknown> };
    if (!sent.options.external_task_id && this.ctx.externalTaskId) sent.options.external_task_id = this.ctx.externalTaskId();
    const externalTaskId = typeof sent.options.external_task_id === 'string' && sent.options.external_task_id ? sent.options.external_task_id : undefined;
    try {
      const mode = options.validation ?? this.ctx.validation;
      if (mode !== 'off') {
        try {
          this.validate(model, sent as Req);
        } catch (error) {
          if (mode === 'error' || !(error instanceof KlingApiError)) throw error;
          this.ctx.warn(`${this.product}/${model}: ${error.message} (sent anyway: validation is 'warn')`);
        }
      }
      const answer = await this.ctx.transport.request<NewStandardCreated>({
        method: 'POST', path: this.path(model), body: sent, signal: options.signal, headers: options.headers, create: true,
      });
      return answer.data;
    } catch (error) {
      if (error instanceof KlingSdkError) {
        // recover() resolves the new-standard record here (the legacy families resolve their task object).
        error.attachCreate({ taskMayExist: mayExist(error), externalTaskId }, () => this.recover(externalTaskId!) as Promise<any>);
      }
      throw error;
    }
  }

  /** create, then wait until the task succeeds (or fails: NewStandardTaskFailedError). */
  async createAndWait(model: M, body: Req, options: CreateOptions & TaskWaitOptions = {}): Promise<NewStandardTask> {
    const created = await this.create(model, body, options);
    return this.tasks.wait(created.id, options);
  }

  /** The task with this external_task_id, or undefined when none exists (after a create whose answer was lost). */
  async recover(externalTaskId: string): Promise<NewStandardTask | undefined> {
    if (!externalTaskId) throw new KlingSdkError('no external_task_id was sent with this create, so the task cannot be looked up');
    return this.tasks.getOne(externalTaskId, { by: 'external_task_ids' });
  }
}

/** A product's methods with the body typed by the model passed: `create('kling-2.6', …)` takes kling-2.6's settings and items only. */
export type ProductApi<M extends string, Requests extends Record<M, unknown>> =
  Omit<NewStandardProductResource<M, unknown>, 'create' | 'createAndWait' | 'validate'> & {
    create<K extends M>(model: K, body: Requests[K], options?: CreateOptions): Promise<NewStandardCreated>;
    createAndWait<K extends M>(model: K, body: Requests[K], options?: CreateOptions & TaskWaitOptions): Promise<NewStandardTask>;
    validate<K extends M>(model: K, body: Requests[K]): void;
  };

/** The new standard's products, each typed by its models. */
export interface NewStandardResources {
  readonly textToVideo: ProductApi<TextToVideoModel, { [K in TextToVideoModel]: TextToVideoRequest<K> }>;
  readonly imageToVideo: ProductApi<ImageToVideoModel, { [K in ImageToVideoModel]: ImageToVideoRequest<K> }>;
  readonly omniVideo: ProductApi<OmniVideoModel, { [K in OmniVideoModel]: OmniVideoRequest<K> }>;
  readonly motionControl: ProductApi<MotionControlModel, { [K in MotionControlModel]: MotionControlRequest<K> }>;
}

export function newStandardResources(ctx: TasksContext, tasks: TasksResource): NewStandardResources {
  return {
    textToVideo: new NewStandardProductResource('text-to-video', ctx, tasks),
    imageToVideo: new NewStandardProductResource('image-to-video', ctx, tasks),
    omniVideo: new NewStandardProductResource('omni-video', ctx, tasks),
    motionControl: new NewStandardProductResource('motion-control', ctx, tasks),
  } as unknown as NewStandardResources;
}
