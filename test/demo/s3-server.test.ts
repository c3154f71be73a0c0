// @vitest-environment node
// The embedded S3 over real HTTP: what a browser on the demo page talks to.
import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server } from '../../demo/s3-server';
import { postJson, pngBytes, s3Code, startBackendServer, type RunningBackend } from './support';

const PAGE = 'http://127.0.0.1:5173';
let running: RunningBackend;

beforeAll(async () => {
  running = await startBackendServer();
});
afterAll(async () => {
  await running.stop();
});

describe('demo/s3-server', () => {
  it('stores a form signed by the aws-sdk endpoint and serves the same bytes back', async () => {
    const bytes = pngBytes();
    const { json } = await postJson(`${running.origin}/api/policy/aws-sdk`, { filename: 'photo.png', contentType: 'image/png', size: bytes.length });
    const answer = json as { url: string; fields: Record<string, string> };
    expect(answer.url.startsWith(running.s3.url)).toBe(true);

    const form = new FormData();
    for (const [name, value] of Object.entries(answer.fields)) form.append(name, value);
    form.append('Content-Type', 'image/png');
    form.append('file', new File([bytes], 'photo.png', { type: 'image/png' }));
    const posted = await fetch(answer.url, { method: 'POST', body: form, headers: { Origin: PAGE } });
    const xml = await posted.text();
    expect(posted.status, xml).toBe(201);
    expect(posted.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(posted.headers.get('access-control-expose-headers')).toContain('ETag');

    const key = /<Key>([^<]*)<\/Key>/.exec(xml)?.[1] ?? '';
    expect(key).toMatch(/^uploads\/[0-9a-f-]{36}\/photo\.png$/);
    const location = /<Location>([^<]*)<\/Location>/.exec(xml)?.[1] ?? '';
    const got = await fetch(location);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
    expect(running.s3.emulator.store.getObject('demo-bucket', key)?.size).toBe(bytes.length);
  });

  it('answers a CORS preflight from the page with S3\'s CORS headers', async () => {
    const response = await fetch(`${running.s3.url}/demo-bucket/`, {
      method: 'OPTIONS',
      headers: { Origin: PAGE, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it('refuses a preflight from an origin the bucket does not allow, as S3 does', async () => {
    const response = await fetch(`${running.s3.url}/demo-bucket/`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(response.status).toBe(403);
    expect(s3Code(await response.text())).toBe('AccessForbidden');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers an unknown bucket or key with S3\'s XML 404', async () => {
    const bucket = await fetch(`${running.s3.url}/no-such-bucket/a.txt`);
    expect(bucket.status).toBe(404);
    expect(bucket.headers.get('content-type')).toBe('application/xml');
    expect(s3Code(await bucket.text())).toBe('NoSuchBucket');

    const key = await fetch(`${running.s3.url}/demo-bucket/uploads/missing.txt`);
    expect(key.status).toBe(404);
    expect(s3Code(await key.text())).toBe('NoSuchKey');
  });

  it('answers a request addressed to another host with an XML 404 that says what it serves', async () => {
    const { status, body, contentType } = await new Promise<{ status: number; body: string; contentType: string | undefined }>(
      (resolve, reject) => {
        const url = new URL(running.s3.url);
        const req = httpRequest(
          { host: url.hostname, port: url.port, path: '/demo-bucket/x', headers: { Host: 'demo-bucket.s3.example.test' } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, contentType: res.headers['content-type'] }));
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    expect(status).toBe(404);
    expect(contentType).toBe('application/xml');
    expect(s3Code(body)).toBe('NotFound');
    expect(body).toContain(`${running.s3.url}/&lt;bucket&gt;/&lt;key&gt;`);
  });

  it('answers HEAD with the headers and no body', async () => {
    running.s3.emulator.store.putObject('demo-bucket', 'uploads/head.txt', 'hello', { contentType: 'text/plain' });
    const response = await fetch(`${running.s3.url}/demo-bucket/uploads/head.txt`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('5');
    expect(response.headers.get('etag')).toBe('"5d41402abc4b2a76b9719d911017c592"');
    expect(await response.text()).toBe('');
  });
});

describe('startS3Server on its own', () => {
  const options = {
    port: 0,
    buckets: ['b'],
    credentials: [{ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' }],
  };

  it('binds 127.0.0.1, and stop() closes kept-alive connections too', async () => {
    const server = await startS3Server(options);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const agent = new Agent({ keepAlive: true });
    const socketClosed = new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${server.url}/b/missing`, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          expect(res.statusCode).toBe(404);
          req.socket?.once('close', () => resolve());
        });
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await server.stop();
    await socketClosed;
    agent.destroy();
    await expect(fetch(`${server.url}/b/missing`)).rejects.toThrow();
  });

  it('reads uploads no faster than uploadBytesPerSecond', async () => {
    const server = await startS3Server({ ...options, uploadBytesPerSecond: 1_000_000 });
    try {
      const started = Date.now();
      // No signature: S3 refuses it, but only once it has read the whole form.
      const form = new FormData();
      form.append('key', 'slow.bin');
      form.append('file', new File([new Uint8Array(300_000)], 'slow.bin'));
      const response = await fetch(`${server.url}/b/`, { method: 'POST', body: form });
      expect(response.status).toBe(403);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    } finally {
      await server.stop();
    }
  });
});
