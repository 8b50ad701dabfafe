// KILN_LOG_FORMAT=pretty: the same log lines as JSON, written for a person at a terminal — time, level, message,
// then the fields as key=value (an error's stack on the lines below). Written here rather than with pino-pretty:
// a page of code instead of a dependency with its own transport thread.

import type { DestinationStream } from 'pino';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has, or that the line's head already shows. */
const HIDDEN = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'err']);

const show = (value: unknown) => (typeof value === 'string' && !/[\s"=]/.test(value) && value !== '' ? value : JSON.stringify(value));

/** One JSON log line as one readable line. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json);
  } catch {
    return json.trimEnd();
  }
  const time = new Date(Number(entry.time)).toISOString().slice(11, 23);
  const level = LEVELS[Number(entry.level)] ?? String(entry.level);
  // An access line reads as what happened: GET /route 200 3.1ms.
  const head = entry.msg === 'request'
    ? `${entry.method} ${entry.route} ${entry.status} ${entry.ms}ms`
    : String(entry.msg ?? '');
  const skip = entry.msg === 'request' ? new Set([...HIDDEN, 'method', 'route', 'status', 'ms']) : HIDDEN;
  const fields = Object.entries(entry).filter(([k, v]) => !skip.has(k) && v !== undefined).map(([k, v]) => `${k}=${show(v)}`);
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  const tail = err ? `\n    ${(err.stack ?? `${err.type}: ${err.message}`).split('\n').join('\n    ')}` : '';
  return `${time} ${level} ${head}${fields.length ? `  ${fields.join(' ')}` : ''}${tail}`;
}

/** A pino destination writing pretty lines to `out` (stdout by default). */
export function prettyDestination(out: { write(text: string): unknown } = process.stdout): DestinationStream {
  return { write: (line: string) => void out.write(`${prettyLine(line)}\n`) };
}
