// The SDK's logging: a level (`logLevel`, or env KLING_LOG) and where lines go (`logger`, console by default). Debug
// shows every HTTP exchange (method, path, status, time, request_id), info the retries, warn the requests sent
// despite a local validation failure. Never credentials, bodies or query strings (which may carry ids only).

export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

export const LOG_LEVELS: readonly LogLevel[] = ['off', 'error', 'warn', 'info', 'debug'];

/** Anything with console's four methods: console, pino, winston, a test's recorder. */
export interface Logger {
  error(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  debug(message: string, ...rest: unknown[]): void;
}

/** The SDK's own calls: each level writes only when the configured level lets it through. */
export type Log = Record<Exclude<LogLevel, 'off'>, (message: string, details?: Record<string, unknown>) => void>;

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

export function makeLog(level: LogLevel, logger: Logger): Log {
  const rank = LOG_LEVELS.indexOf(level);
  const at = (name: Exclude<LogLevel, 'off'>) => LOG_LEVELS.indexOf(name) <= rank
    ? (message: string, details?: Record<string, unknown>) => (details ? logger[name](`kling: ${message}`, details) : logger[name](`kling: ${message}`))
    : () => {};
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
