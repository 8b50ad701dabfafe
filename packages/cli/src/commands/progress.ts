// Live progress on a terminal: one line redrawn in place (a spinner with the task's status and times, or a
// download bar). On a pipe or a file it draws nothing, so scripts see only the command's real output.

const UNICODE = /utf-?8/i.test(process.env.LC_ALL || process.env.LC_CTYPE || process.env.LANG || '');
const FRAMES = UNICODE ? ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] : ['-', '\\', '|', '/'];

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export class StatusLine {
  private frame = 0;
  private timer?: ReturnType<typeof setInterval>;
  private shown = false;
  readonly enabled: boolean;

  constructor(private readonly stream: Stream = process.stderr, enabled?: boolean) {
    this.enabled = enabled ?? Boolean(stream.isTTY);
  }

  /** Redraws `render()` every `everyMs` until stop(), so elapsed times tick between polls. */
  start(render: () => string, everyMs = 200): void {
    if (!this.enabled) return;
    this.stop();
    this.draw(render());
    this.timer = setInterval(() => this.draw(render()), everyMs);
  }

  draw(text: string): void {
    if (!this.enabled) return;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    const line = `${FRAMES[this.frame++ % FRAMES.length]} ${text}`;
    this.stream.write(`\r\x1b[2K${line.length > width ? line.slice(0, width - 1) + '…' : line}`);
    this.shown = true;
  }

  /** Removes the line, leaving the cursor at the start of an empty line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i++;
  } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function bar(fraction: number, width = 24): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return UNICODE ? `${'█'.repeat(full)}${'░'.repeat(width - full)}` : `${'#'.repeat(full)}${'.'.repeat(width - full)}`;
}
