// A loopback HTTP server that serves the files of one folder by name, as the public URLs of inputs (video_url,
// contents[].url) that a test hands kiln; an unknown name is a 404.

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface FileServer {
  url: string;
  close: () => Promise<void>;
}

export async function serveFiles(dir: string, contentType?: string): Promise<FileServer> {
  const server = http.createServer((req, res) => {
    const file = path.join(dir, path.basename(req.url ?? ''));
    if (!fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, contentType ? { 'content-type': contentType } : {});
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
