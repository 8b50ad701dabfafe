// Fault injection: what a request asks the simulator to do instead of a plain success, from the
// `X-Kiln-Simulate` header or the operator's global rules.
//
// Header grammar: directives separated by `;` (or `,`), each `name` or `name=value`:
//   error=<code>      refuse the create with that Kling code and its HTTP status (e.g. error=1303, error=5001)
//   status=<code>     the same as error=
//   fail[=<code>]     accept the task, then fail it; the code picks a realistic task_status_msg
//   msg=<text>        the task_status_msg of a failing task (quotes optional)
//   delay=<time>      extra time in the queue before processing: 500ms, 30s, 2m
//   stuck             the task stays in processing until the simulator is told to complete it
//   media=slow|fail   result URLs answer slowly (≈64 KB/s) or with HTTP 500

import { KLING_CODES, KlingError } from '@kiln/contract';

export interface Directives {
  error?: number;
  fail?: { code: number; message: string };
  delayMs?: number;
  stuck?: boolean;
  media?: 'slow' | 'fail';
}

export const SIMULATE_HEADER = 'x-kiln-simulate';

/** What Kling says in `task_status_msg` for failures of each kind. */
const FAILURE_MESSAGES: Record<number, string> = {
  1300: 'Failure to pass the platform policy',
  1301: 'Failure to pass the risk control system: the content may violate the content policy',
  5000: 'Internal error during generation',
  5002: 'Generation timed out',
};

export function failureMessage(code: number): string {
  return FAILURE_MESSAGES[code] ?? KLING_CODES[code]?.meaning ?? 'Generation failed';
}

const headerError = (message: string) => new KlingError(1200, `${SIMULATE_HEADER}: ${message}`);

export function parseDirectives(header: string): Directives {
  const out: Directives = {};
  let failCode: number | undefined;
  let message: string | undefined;
  let failing = false;
  for (const part of splitDirectives(header)) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? undefined : part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    switch (name) {
      case 'error':
      case 'status':
        out.error = knownCode(value, name);
        if (out.error === 0) throw headerError(`${name}=0 is success, not an error`);
        break;
      case 'fail':
        failing = true;
        if (value !== undefined) failCode = knownCode(value, name);
        break;
      case 'msg':
        if (!value) throw headerError('msg needs a text');
        message = value.slice(0, 500);
        break;
      case 'delay':
        out.delayMs = parseDuration(value);
        break;
      case 'stuck':
        out.stuck = true;
        break;
      case 'media':
        if (value !== 'slow' && value !== 'fail') throw headerError("media must be 'slow' or 'fail'");
        out.media = value;
        break;
      default:
        throw headerError(`unknown directive '${name}' (known: error, status, fail, msg, delay, stuck, media)`);
    }
  }
  if (failing || message !== undefined) {
    const code = failCode ?? 5000;
    out.fail = { code, message: message ?? failureMessage(code) };
  }
  return out;
}

/** Splits on `;` or `,` outside double quotes, so `msg="busy, try later"` stays whole. */
function splitDirectives(header: string): string[] {
  return (header.match(/(?:[^;,"]|"[^"]*")+/g) ?? []).map((p) => p.trim()).filter(Boolean);
}

function knownCode(value: string | undefined, name: string): number {
  const code = Number(value);
  if (!value || !Number.isInteger(code) || !(code in KLING_CODES)) {
    throw headerError(`${name} needs a documented Kling code (e.g. 1301, 1303, 5001), got '${value ?? ''}'`);
  }
  return code;
}

/** `500ms`, `30s`, `2m`, or a bare number of seconds; at most one day. */
export function parseDuration(value: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value ?? '');
  if (!m) throw headerError(`delay must look like 500ms, 30s or 2m, got '${value ?? ''}'`);
  const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
  if (ms > 86_400_000) throw headerError('delay must be at most one day');
  return Math.round(ms);
}
