// One synchronous endpoint (a contract action) as a function: checked locally with the contract's validateAction
// (the server's own messages), sent to the provider's path, answered with the envelope's `data`.
// Retries: a GET is a read, retried on network errors, 429 and 5xx like task queries. A POST may create or bill
// (tts, identify-face, init-selection, image-recognize) or change state (add-selection, deletes), and the contract
// does not say which are safe to repeat, so every POST is treated as a create: re-sent only when the connection was
// never made, never once the server may have received it.

import { checkInlineMedia, KlingError, validateAction, type AnyAction } from '@kiln/contract';
import { apiError, KlingAbortError, KlingApiError, KlingConnectionError } from './errors.ts';
import { resolveFileInputs, type WithFileInputs } from './file-inputs.ts';
import type { CallOptions, ResourceContext, ValidationMode } from './family-resource.ts';
import { actionPath } from './providers.ts';

export interface ActionOptions extends CallOptions {
  /** Overrides the client's `validation` for this call. */
  validation?: ValidationMode;
}

/** What an action answers: the envelope's `data`, shaped as the action's `response` describes. */
export type ActionData = any;

/** Params are optional when the action needs none (`presetsVoices()`); media fields may be files (file-inputs.ts). */
type ActionArgs<Req> = {} extends Req
  ? [params?: WithFileInputs<Req>, options?: ActionOptions]
  : [params: WithFileInputs<Req>, options?: ActionOptions];

export interface ActionMethod<Req = Record<string, unknown>> {
  <T = ActionData>(...args: ActionArgs<Req>): Promise<T>;
  /** The contract's definition. */
  readonly action: AnyAction;
  /** The path at this client's provider: `/kling/v1/audio/tts`. */
  readonly path: string;
  /** Checks params as the server would; throws InvalidRequestError with its message. */
  validate(params: Req): void;
}

export type ActionContext = Pick<ResourceContext, 'transport' | 'provider' | 'validation' | 'warn'>;

/** Query values as text: numbers and strings as they are, anything else as JSON. */
function toQuery(params: Record<string, unknown>): Record<string, string | number | undefined> {
  const query: Record<string, string | number | undefined> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    query[key] = typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value);
  }
  return query;
}

const MAY_HAVE_ARRIVED = ' — the request may have reached the server (and been billed); a POST is never re-sent, so check before calling again';

export function actionMethod(action: AnyAction, ctx: ActionContext): ActionMethod<any> {
  const path = actionPath(ctx.provider, action.path);

  const validate = (params: unknown) => {
    try {
      validateAction(action, params ?? {});
      checkInlineMedia(action.request, params ?? {});
    } catch (error) {
      if (!(error instanceof KlingError)) throw error;
      throw apiError(error.message, { code: error.code, httpStatus: error.httpStatus, local: true });
    }
  };

  const call = async (given: Record<string, unknown> = {}, options: ActionOptions = {}) => {
    // Files in media fields (identify-face's video, …) become Base64 first (file-inputs.ts).
    const params = await resolveFileInputs(action.request, given);
    const mode = options.validation ?? ctx.validation;
    if (mode !== 'off') {
      try {
        validate(params);
      } catch (error) {
        if (mode === 'error' || !(error instanceof KlingApiError)) throw error;
        ctx.warn(`${action.name}: ${error.message} (sent anyway: validation is 'warn')`);
      }
    }
    const isGet = action.method === 'GET';
    try {
      const answer = await ctx.transport.request({
        method: action.method,
        path,
        ...(isGet ? { query: toQuery(params ?? {}) } : { body: params }),
        signal: options.signal,
        headers: options.headers,
        onResponse: options.onResponse,
        create: !isGet,
      });
      return answer.data;
    } catch (error) {
      const sent = (error instanceof KlingConnectionError || error instanceof KlingAbortError) && error.requestSent;
      if (!isGet && sent && !error.message.includes(MAY_HAVE_ARRIVED)) error.message += MAY_HAVE_ARRIVED;
      throw error;
    }
  };

  return Object.assign(call, { action, path, validate }) as unknown as ActionMethod<any>;
}
