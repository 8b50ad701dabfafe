// Credential formats: API keys, access/secret key pairs (JWT signing) and Standard Webhooks secrets.

import { createHash, randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  // 256 % 62 bias is negligible for identifiers of this length; they are not passwords chosen by people.
  for (const b of bytes) out += ALPHANUMERIC[b % ALPHANUMERIC.length];
  return out;
}

export const newApiKey = () => `kiln_${randomToken(40)}`;
export const newAccessKey = () => randomToken(32);
export const newSecretKey = () => randomToken(32);
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** API keys are stored only as hashes: a stolen database does not reveal them. */
export const hashApiKey = (apiKey: string) => createHash('sha256').update(apiKey).digest('hex');
