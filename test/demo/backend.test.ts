// @vitest-environment node
// The demo backend's endpoints, as the kit meets them: every answer goes through the kit's own
// parsePolicyAnswer and prepareUpload, and the prepared form is sent to the embedded S3 over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicyAnswer, preparePost, prepareUpload, type PolicySource } from '../../src/index';
import { startDemoBackend } from '../../demo/backend';
import { startS3Server } from '../../demo/s3-server';
import type { PublicConfig } from '../../demo/server/config';
import { postJson, postPrepared, pngBytes, startBackendServer, type RunningBackend } from './support';

let running: RunningBackend;
let config: PublicConfig;

beforeAll(async () => {
  running = await startBackendServer();
  config = (await (await fetch(`${running.origin}/api/config`)).json()) as PublicConfig;
});
afterAll(async () => {
  await running.stop();
});

function policySource(shape: string): PolicySource {
  if (shape !== 'sign-my-policy') return `${running.origin}/api/policy/${shape}`;
  return {
    signPolicy: {
      signatureEndpoint: `${running.origin}/api/sign-policy`,
      bucket: config.bucket,
      region: config.region,
      accessKeyId: config.accessKeyId,
      endpoint: config.endpoint,
      maxSize: config.maxSize,
    },
  };
}

describe('GET /api/config', () => {
  it('tells the page the embedded bucket, its URL and the access key id, never the secret', async () => {
    const response = await fetch(`${running.origin}/api/config`);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(config).toEqual({
      mode: 'embedded',
      bucket: 'demo-bucket',
      region: 'us-east-1',
      accessKeyId: running.backend.target.credentials.accessKeyId,
      endpoint: `${running.s3.url}/demo-bucket/`,
      maxSize: 10 * 1024 * 1024,
      multipartThreshold: 10 * 1024 * 1024 + 1,
      multipartMaxSize: 1024 * 1024 * 1024,
    });
    expect(config.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(JSON.stringify(config)).not.toContain(running.backend.target.credentials.secretAccessKey);
  });
});

describe.each(['aws-sdk', 'boto3', 'flat'] as const)('POST /api/policy/%s', (shape) => {
  it('answers a policy the kit accepts, in that shape, for a prefix any file can use', async () => {
    const { status, json } = await postJson(`${running.origin}/api/policy/${shape}`, { filename: 'a.png', contentType: 'image/png', size: 10 });
    expect(status).toBe(200);
    const post = parsePolicyAnswer(json);
    expect(post.shape).toBe(shape);
    expect(post.warnings).toEqual([]);
    expect(post.bucket).toBe('demo-bucket');
    expect(post.key).toMatch(/^uploads\/[0-9a-f-]{36}\/\$\{filename\}$/);
    expect(post.scope.region).toBe('us-east-1');
    const conditions = JSON.parse(post.document.text) as { conditions: unknown[] };
    expect(conditions.conditions).toEqual(
      expect.arrayContaining([
        ['starts-with', '$key', 'uploads/'],
        ['starts-with', '$Content-Type', ''],
        ['content-length-range', 0, 10 * 1024 * 1024],
        { success_action_status: '201' },
        { bucket: 'demo-bucket' },
      ]),
    );
    expect(post.document.expiration.getTime() - Date.now()).toBeGreaterThan(5 * 60_000);
  });
});

describe.each(['aws-sdk', 'boto3', 'flat', 'sign-my-policy'] as const)('an upload with the %s backend', (shape) => {
  it('reaches the embedded S3, which stores the exact bytes under the signed prefix', async () => {
    const bytes = pngBytes();
    const file = new File([bytes], 'cat photo.png', { type: 'image/png' });
    const prepared = await prepareUpload(file, {
      policy: policySource(shape),
      key: 'uploads/demo-test/${filename}',
    });
    expect(prepared.fields.map(([name]) => name).slice(-2)).toEqual(['Policy', 'X-Amz-Signature']);
    expect(prepared.fields).toContainEqual(['Content-Type', 'image/png']);
    expect(prepared.fields).toContainEqual(['success_action_status', '201']);

    const response = await postPrepared(prepared);
    const xml = await response.text();
    expect(response.status, xml).toBe(201);
    expect(xml).toContain(`<Key>${prepared.key}</Key>`);
    const stored = running.s3.emulator.store.getObject('demo-bucket', prepared.key);
    expect(stored?.body).toEqual(bytes);
    expect(stored?.contentType).toBe('image/png');
  });
});

describe('one policy, several files', () => {
  it('serves a second file of another type under the same policy', async () => {
    const { json } = await postJson(`${running.origin}/api/policy/boto3`, { filename: 'a.png', contentType: 'image/png', size: 1 });
    const post = parsePolicyAnswer(json);
    for (const file of [new File(['one'], 'one.txt', { type: 'text/plain' }), new File(['{}'], 'two.json', { type: 'application/json' })]) {
      const response = await postPrepared(preparePost(post, file));
      expect(response.status).toBe(201);
    }
  });
});

describe('request validation', () => {
  it('answers an unknown /api path with a JSON 404 naming the endpoints', async () => {
    const response = await fetch(`${running.origin}/api/nope`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: string };
    expect(body.error).toContain('/api/policy/aws-sdk');
  });

  it('answers bad JSON with a JSON 400 that says so', async () => {
    for (const path of ['/api/policy/aws-sdk', '/api/sign-policy', '/api/read-url']) {
      const response = await fetch(`${running.origin}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"filename":' });
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/not valid JSON/);
    }
  });

  it('answers a policy request without the kit\'s fields with a JSON 400 naming the field', async () => {
    const { status, json } = await postJson(`${running.origin}/api/policy/flat`, { contentType: 'image/png', size: 1 });
    expect(status).toBe(400);
    expect(json).toEqual({ error: expect.stringContaining('"filename"') });
  });

  it('answers the wrong method with 405 and Allow', async () => {
    const response = await fetch(`${running.origin}/api/policy/flat`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('answers an unknown mistake with a JSON 400 listing the known ones', async () => {
    const { status, json } = await postJson(`${running.origin}/api/policy/flat?mistake=typo`, { filename: 'a', contentType: '', size: 1 });
    expect(status).toBe(400);
    expect(json).toEqual({ error: expect.stringContaining('wrong-secret') });
  });

  it('leaves every path outside /api/ to the next middleware', async () => {
    for (const path of ['/', '/index.html', '/apiary', '/api']) {
      const response = await fetch(`${running.origin}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).toBe('not an /api/ path');
    }
  });
});

describe('POST /api/read-url', () => {
  it('returns a presigned GET URL that fetches the uploaded bytes', async () => {
    const bytes = pngBytes();
    const prepared = await prepareUpload(new File([bytes], 'back.png', { type: 'image/png' }), { policy: policySource('aws-sdk') });
    expect((await postPrepared(prepared)).status).toBe(201);

    const { status, json } = await postJson(`${running.origin}/api/read-url`, { key: prepared.key });
    expect(status).toBe(200);
    const { url, expiresIn } = json as { url: string; expiresIn: number };
    expect(expiresIn).toBe(300);
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe(`${running.s3.url}/demo-bucket/${prepared.key.split('/').map(encodeURIComponent).join('/')}`);
    expect(parsed.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    // Only the host header is signed: an <img> can fetch it as it is.
    expect(parsed.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    const got = await fetch(url);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);
  });

  it('refuses a key outside the upload prefix, and a body without a key', async () => {
    expect(await postJson(`${running.origin}/api/read-url`, { key: 'secrets/passwords.txt' })).toEqual({
      status: 403,
      json: { error: expect.stringContaining('not under "uploads/"') },
    });
    expect((await postJson(`${running.origin}/api/read-url`, {})).status).toBe(400);
  });
});

describe('external mode: S3_ENDPOINT names an S3-compatible store', () => {
  it('signs path-style for it, and the store accepts every shape and serves the read URL', async () => {
    // Another emulator plays the external store (MinIO, radosgw) with credentials of its own.
    const credentials = { accessKeyId: 'STOREKEY', secretAccessKey: 'store-secret' };
    const store = await startS3Server({ port: 0, buckets: ['media'], region: 'eu-west-1', credentials: [credentials] });
    const backend = await startDemoBackend({
      env: {
        S3_ENDPOINT: store.url,
        S3_BUCKET: 'media',
        S3_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
      log: () => {},
    });
    try {
      expect(backend.s3).toBeUndefined();
      expect(backend.config).toMatchObject({ mode: 'external', endpoint: `${store.url}/media/`, accessKeyId: 'STOREKEY' });
      const call = async (path: string, body: unknown) => {
        const response = await backend.handle(new Request(`http://demo.test${path}`, { method: 'POST', body: JSON.stringify(body) }));
        return response?.json();
      };
      for (const shape of ['aws-sdk', 'boto3', 'flat']) {
        const post = parsePolicyAnswer(await call(`/api/policy/${shape}`, { filename: 'x.txt', contentType: 'text/plain', size: 3 }));
        const prepared = preparePost(post, new File(['abc'], 'x.txt', { type: 'text/plain' }));
        expect((await postPrepared(prepared)).status, shape).toBe(201);
        const { url } = (await call('/api/read-url', { key: prepared.key })) as { url: string };
        expect(await (await fetch(url)).text()).toBe('abc');
      }
    } finally {
      await backend.stop();
      await store.stop();
    }
  });
});
