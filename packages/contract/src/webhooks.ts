// Standard Webhooks signatures (spec §1.9): HMAC-SHA256 over "{id}.{timestamp}.{body}" keyed with the Base64
// secret after "whsec_". WebCrypto only, so the SDK can verify kiln's and Kling's callbacks in any runtime.

const encoder = new TextEncoder();

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

async function hmacKey(secret: string): Promise<CryptoKey> {
  const raw = base64ToBytes(secret.startsWith('whsec_') ? secret.slice(6) : secret);
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

/** The `webhook-signature` header value: `v1,<base64 signature>`. */
export async function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): Promise<string> {
  const key = await hmacKey(secret);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${id}.${timestampSeconds}.${body}`));
  return `v1,${bytesToBase64(new Uint8Array(mac))}`;
}

export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/**
 * True when one of the space-separated `v1,` signatures matches (compared in constant time by WebCrypto's
 * verify) and the timestamp is within ±5 minutes of now.
 */
export async function verifyWebhookSignature(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > WEBHOOK_TOLERANCE_SECONDS) return false;
  const key = await hmacKey(secret);
  const data = encoder.encode(`${headers.id}.${timestamp}.${body}`);
  for (const part of headers.signature.split(' ')) {
    const [version, sig] = part.split(',', 2);
    if (version !== 'v1' || !sig) continue;
    let given: Uint8Array<ArrayBuffer>;
    try { given = base64ToBytes(sig); } catch { continue; }
    if (await crypto.subtle.verify('HMAC', key, given, data)) return true;
  }
  return false;
}
