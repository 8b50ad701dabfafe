// What a start tells the operator about credentials. On the start that makes them, every value kiln generated is
// given in `export` form, ready for a shell: on the terminal when there is one, otherwise (a service manager, a
// container, a pipe into a log collector) in a file of the data directory that only its owner can read, so no
// secret lands in a log. Values the operator supplied through the environment are never repeated.

import fs from 'node:fs';
import path from 'node:path';
import type { IssuedCredentials } from '../store/tenants.ts';

export interface NoticeInput {
  /** Where clients reach this kiln. */
  baseUrl: string;
  /** Set on the start that created the default tenant. */
  created?: IssuedCredentials;
  /** Set when this start generated the admin token. */
  adminToken?: string;
  /** Which of the default tenant's values came from the environment (KILN_API_KEY …). */
  supplied: { apiKey?: string; accessKey?: string; secretKey?: string; webhookSecret?: string };
}

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** The `export` lines of what this start generated; empty when it generated nothing. */
export function exportLines(input: NoticeInput): string[] {
  const { created, supplied } = input;
  const values: [string, string | null | undefined, string | undefined][] = [];
  if (created) {
    values.push(
      ['KLING_API_KEY', created.api_key, supplied.apiKey && 'KILN_API_KEY'],
      ['KLING_ACCESS_KEY', created.access_key, supplied.accessKey && 'KILN_ACCESS_KEY'],
      ['KLING_SECRET_KEY', created.secret_key, supplied.secretKey && 'KILN_SECRET_KEY'],
      ['KILN_WEBHOOK_SECRET', created.webhook_secret, supplied.webhookSecret && 'KILN_WEBHOOK_SECRET'],
    );
  }
  if (input.adminToken) values.push(['KILN_ADMIN_TOKEN', input.adminToken, undefined]);
  if (!values.some(([, value, from]) => value && !from)) return [];
  const lines = [`export KLING_BASE_URL=${quote(input.baseUrl)}`];
  for (const [name, value, from] of values) {
    if (from) lines.push(`# ${name}: the value of ${from}, as you set it`);
    else if (value) lines.push(`export ${name}=${quote(value)}`);
  }
  return lines;
}

/**
 * Writes the lines to a new file of the data directory, readable by its owner only (0600), and returns its path.
 * An earlier file is never overwritten: a second one gets the time in its name.
 */
export function writeCredentialsFile(dataDir: string, lines: string[], now = new Date()): string {
  const text = `# kiln credentials made on ${now.toISOString()}; shown nowhere else. Load with: . <this file>\n${lines.join('\n')}\n`;
  for (const name of ['credentials.env', `credentials-${now.toISOString().replace(/[:.]/g, '-')}.env`]) {
    const file = path.join(dataDir, name);
    try {
      // 'wx': created here or not at all; the mode applies at creation, so the file is never readable by others.
      fs.writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`could not write the credentials file in ${dataDir}: both names are taken`);
}

/** The start's words about credentials: the exports on a terminal, else where the file is. */
export function credentialsNotice(input: NoticeInput, out: { isTTY: boolean; dataDir: string }): string[] {
  const lines = exportLines(input);
  if (!lines.length) return [];
  const what = input.created ? 'The default tenant was created' : 'An admin token was made';
  if (out.isTTY) return [`${what}. Keep these values; they are not shown again:`, ...lines.map((l) => `  ${l}`)];
  const file = writeCredentialsFile(out.dataDir, lines);
  return [`${what}. Its credentials are in ${file} (mode 0600, written once, not shown anywhere else). Load them with: . ${file}`];
}
