// kiln behind a TLS reverse proxy (KILN_TRUST_PROXY): a client that reaches kiln over https through the proxy gets
// https URLs on the proxy's host, and kiln's access log names the client's address from X-Forwarded-For. Without
// the setting, forwarded headers change nothing. The proxy is a Node https server with a certificate made by
// openssl for this test (openssl must be installed: the test fails, not skips, without it).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from './helpers/test-server.ts';

const CLIENT_ADDRESS = '203.0.113.7';

function selfSignedCertificate(): { key: string; cert: string } {
  const dir = tempDir('kiln-tls-');
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'pipe' });
  return { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
}

/** A TLS-terminating proxy to `target`, setting X-Forwarded-* as nginx's usual configuration does. */
async function startTlsProxy(target: string, tls: { key: string; cert: string }) {
  const upstream = new URL(target);
  const server = https.createServer(tls, (req, res) => {
    const forward = http.request({
      host: upstream.hostname, port: upstream.port, method: req.method, path: req.url,
      headers: { ...req.headers, 'x-forwarded-proto': 'https', 'x-forwarded-host': req.headers.host, 'x-forwarded-for': CLIENT_ADDRESS },
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `https://localhost:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A client outside kiln's process that trusts the proxy's certificate (as a client trusts a real CA's). */
function httpsRequest(url: string, ca: string, options: { method?: string; token?: string; body?: unknown } = {}) {
  return new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
    const req = https.request(url, {
      method: options.method ?? 'GET', ca,
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.body ? { 'content-type': 'application/json' } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body ? JSON.stringify(options.body) : undefined);
  });
}

describe('behind a TLS reverse proxy', () => {
  const tls = selfSignedCertificate();
  const logLines: Record<string, unknown>[] = [];
  let server: TestServer;
  let proxy: Awaited<ReturnType<typeof startTlsProxy>>;
  beforeAll(async () => {
    const logDestination = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    });
    server = await startTestServer({ trustProxy: true, logLevel: 'info', logDestination, timing: 'instant' });
    proxy = await startTlsProxy(server.url, tls);
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  it('hands a client https result URLs on the proxy host, which download through the proxy', async () => {
    const created = await httpsRequest(`${proxy.url}/v1/images/generations`, tls.cert, { method: 'POST', token: server.creds.api_key, body: { prompt: 'a lantern' } });
    expect(created.status).toBe(200);
    const taskId = JSON.parse(created.body.toString()).data.task_id;
    const done = await httpsRequest(`${proxy.url}/simulator/tasks/${taskId}/complete`, tls.cert, { method: 'POST', token: server.creds.api_key });
    const imageUrl: string = JSON.parse(done.body.toString()).data.task_result.images[0].url;
    expect(imageUrl.startsWith(`${proxy.url}/media/`)).toBe(true);
    const queried = await httpsRequest(`${proxy.url}/v1/images/generations/${taskId}`, tls.cert, { token: server.creds.api_key });
    expect(JSON.parse(queried.body.toString()).data.task_result.images[0].url.startsWith('https://localhost:')).toBe(true);
    const image = await httpsRequest(imageUrl, tls.cert);
    expect(image.status).toBe(200);
    expect(image.body.subarray(1, 4).toString()).toBe('PNG');
  });

  it("logs the client's address from X-Forwarded-For", async () => {
    await httpsRequest(`${proxy.url}/v1/images/generations?pageSize=1`, tls.cert, { token: server.creds.api_key });
    const line = logLines.filter((l) => l.msg === 'request' && l.route === '/v1/images/generations').at(-1);
    expect(line).toMatchObject({ client: CLIENT_ADDRESS, status: 200, method: 'GET' });
    expect(line!.tenant_id).toBe(server.creds.tenant_id);
  });
});

describe('without KILN_TRUST_PROXY', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer({ timing: 'instant' }); });
  afterAll(async () => { await server?.close(); });

  it('ignores forwarded headers: URLs stay on the configured base', async () => {
    const spoofed = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' };
    const created = await server.api('POST', '/v1/images/generations', { body: { prompt: 'a kite' }, headers: spoofed });
    const done = await server.api('POST', `/simulator/tasks/${created.json.data.task_id}/complete`, { headers: spoofed });
    expect(done.json.data.task_result.images[0].url.startsWith(`${server.url}/media/`)).toBe(true);
  });
});
