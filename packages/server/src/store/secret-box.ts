// Secrets kiln must use again later (an upstream's API key, secret key, webhook secret) are stored encrypted:
// AES-256-GCM, a fresh 12-byte nonce per value, the value's place (`upstream:<name>:api_key`) as associated data so
// a ciphertext copied into another row or field does not decrypt. A copy of the database alone reveals none of them.
//
// The key: KILN_MASTER_KEY (32 bytes, hex or Base64), or, when unset, one generated on first use into the data
// directory (`master.key`, mode 0600) and read from there afterwards — by the server and by `kiln upstream` on the
// same directory. Processes on several machines sharing PostgreSQL must all be given the same KILN_MASTER_KEY.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const KEY_FILE = 'master.key';
const FORMAT = 'v1';

export class SecretBox {
  private loaded?: Buffer;

  /** `key`: the key, or how to get it when first needed (a server without upstream secrets never makes one). */
  constructor(private readonly key: Buffer | (() => Buffer)) {}

  private get secret(): Buffer {
    return (this.loaded ??= typeof this.key === 'function' ? this.key() : this.key);
  }

  seal(plain: string, place: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.secret, nonce);
    cipher.setAAD(Buffer.from(place));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${FORMAT}:${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string, place: string): string {
    const [format, data] = sealed.split(':');
    const bytes = Buffer.from(data ?? '', 'base64');
    if (format !== FORMAT || bytes.length < 28) throw new Error(`the stored secret ${place} is not one kiln sealed`);
    const decipher = createDecipheriv('aes-256-gcm', this.secret, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(place));
    decipher.setAuthTag(bytes.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`the stored secret ${place} does not open with this master key (KILN_MASTER_KEY, or the data directory's ${KEY_FILE})`);
    }
  }
}

/** KILN_MASTER_KEY's 32 bytes: 64 hex digits or Base64. */
export function parseMasterKey(value: string): Buffer {
  const text = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(text) && key.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, ''))) {
    throw new Error('KILN_MASTER_KEY must be 32 bytes, as 64 hex digits or Base64');
  }
  return key;
}

/** The key of the data directory, made on first use; two processes making it at once end up with the same one. */
function dataDirKey(dataDir: string): Buffer {
  const file = path.join(dataDir, KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) {
    // Written whole under another name, then linked into place: a reader never sees half a key, and of two
    // processes linking at once one wins and both read its key.
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(draft, randomBytes(32).toString('base64'), { mode: 0o600 });
    try {
      fs.linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }
  return parseMasterKey(fs.readFileSync(file, 'utf8'));
}

/**
 * The secret box of a server or command: KILN_MASTER_KEY when given (checked now, so a bad one stops the start), else
 * the data directory's key, read or made when a secret is first sealed or opened.
 */
export function openSecretBox(dataDir: string, masterKey: string | undefined): SecretBox {
  return new SecretBox(masterKey ? parseMasterKey(masterKey) : () => dataDirKey(dataDir));
}
