// @vitest-environment node
// Each ?mistake= switch commits its mistake, and the kit (or, where only S3 can tell, the embedded S3)
// reports it the way the demo page shows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parsePolicyAnswer,
  prepareUpload,
  PolicyAnswerError,
  PolicyViolationError,
  type PolicySource,
  type PreparedUpload,
} from '../../src/index';
import { createDemoApi } from '../../demo/backend';
import type { PublicConfig, S3Target } from '../../demo/server/config';
import { pngBytes, postJson, postPrepared, s3Code, startBackendServer, type RunningBackend } from './support';

let running: RunningBackend;
let config: PublicConfig;

beforeAll(async () => {
  running = await startBackendServer();
  config = (await (await fetch(`${running.origin}/api/config`)).json()) as PublicConfig;
});
afterAll(async () => {
  await running.stop();
});

const SHAPES = ['aws-sdk', 'boto3', 'flat', 'sign-my-policy'] as const;
type Shape = (typeof SHAPES)[number];

function policySource(shape: Shape, mistake: string): PolicySource {
  if (shape !== 'sign-my-policy') return `${running.origin}/api/policy/${shape}?mistake=${mistake}`;
  return {
    signPolicy: {
      signatureEndpoint: `${running.origin}/api/sign-policy?mistake=${mistake}`,
      bucket: config.bucket,
      region: config.region,
      accessKeyId: config.accessKeyId,
      endpoint: config.endpoint,
      maxSize: config.maxSize,
    },
  };
}

const NOTE = new File(['hello, mistakes'], 'note.txt', { type: 'text/plain' });

function prepare(shape: Shape, mistake: string, file = NOTE): Promise<PreparedUpload> {
  // A fresh folder per upload, so a test can tell that nothing was stored by its own upload.
  return prepareUpload(file, { policy: policySource(shape, mistake), key: `uploads/${crypto.randomUUID()}/\${filename}` });
}

/** What S3 answers to the prepared form: status and Code. */
async function sendToS3(prepared: PreparedUpload): Promise<{ status: number; code: string | undefined; body: string }> {
  const response = await postPrepared(prepared);
  const body = await response.text();
  return { status: response.status, code: s3Code(body), body };
}

describe.each(SHAPES)('mistakes of the %s backend', (shape) => {
  it.each([
    ['uppercase-hex', 'signature-uppercase-hex'],
    ['base64-signature', 'signature-base64'],
  ])('%s: the kit repairs the signature with a warning, and S3 accepts the upload', async (mistake, warning) => {
    const prepared = await prepare(shape, mistake);
    expect(prepared.warnings.map((w) => w.code)).toEqual([warning]);
    expect(prepared.fields.find(([name]) => name === 'X-Amz-Signature')?.[1]).toMatch(/^[0-9a-f]{64}$/);
    expect((await sendToS3(prepared)).status).toBe(201);
  });

  it('v2-field-names: the kit refuses the Signature Version 2 answer before sending', async () => {
    const error = await prepare(shape, 'v2-field-names').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyAnswerError);
    // sign-my-policy answers only { policy, signature }: there the V2 signature itself gives it away.
    expect(error).toMatchObject({ code: shape === 'sign-my-policy' ? 'v2-signature' : 'v2-field-names' });
  });

  it('expired: the kit refuses the expired policy before sending', async () => {
    const error = await prepare(shape, 'expired').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect(error).toMatchObject({ code: 'policy-expired' });
  });

  it('missing-field: the kit refuses a field the policy does not cover', async () => {
    const error = await prepare(shape, 'missing-field').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect(error).toMatchObject({ code: 'field-not-in-policy' });
    expect((error as PolicyViolationError).message).toContain(shape === 'sign-my-policy' ? 'success_action_status' : 'acl');
  });

  it('wrong-secret: only S3 can tell, and the real server answers SignatureDoesNotMatch', async () => {
    const prepared = await prepare(shape, 'wrong-secret');
    expect(prepared.warnings).toEqual([]);
    const answer = await sendToS3(prepared);
    expect(answer.status).toBe(403);
    expect(answer.code).toBe('SignatureDoesNotMatch');
    expect(answer.body).toContain(`<StringToSign>${prepared.fields.find(([name]) => name === 'Policy')?.[1] ?? ''}</StringToSign>`);
    expect(running.s3.emulator.store.getObject('demo-bucket', prepared.key)).toBeUndefined();
  });

  it('size-in-kilobytes: the kit refuses a file over the policy\'s limit, which is the page\'s limit / 1024', async () => {
    const limit = Math.floor(config.maxSize / 1024);
    const error = await prepare(shape, 'size-in-kilobytes', new File([new Uint8Array(limit + 1)], 'big.bin')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect(error).toMatchObject({ code: 'file-too-large' });
    expect((error as PolicyViolationError).message).toContain(`allows at most ${limit} (content-length-range)`);
    // A file under the (wrong) limit still goes through: the mistake only shows on bigger files.
    const small = await prepare(shape, 'size-in-kilobytes', new File([new Uint8Array(limit)], 'small.bin'));
    expect((await sendToS3(small)).status).toBe(201);
  });

  it('content-type-mismatch: the kit refuses a text file under a policy that requires image/png', async () => {
    const error = await prepare(shape, 'content-type-mismatch').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect(error).toMatchObject({ code: 'condition-failed' });
    expect((error as PolicyViolationError).message).toMatch(/image\/png.*"text\/plain" for Content-Type/);
    // The one type the policy allows is accepted, by the kit and by S3.
    const png = await prepare(shape, 'content-type-mismatch', new File([pngBytes()], 'pixel.png', { type: 'image/png' }));
    expect((await sendToS3(png)).status).toBe(201);
  });

  it('key-outside-prefix: the kit refuses a key under uploads/ when the policy allows only private/', async () => {
    const error = await prepare(shape, 'key-outside-prefix').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect(error).toMatchObject({ code: 'condition-failed' });
    const message = (error as PolicyViolationError).message;
    expect(message).toContain('private/');
    expect(message).toMatch(/"uploads\/[^"]*note\.txt" for key/);
  });

  it('wrong-region: an emulator URL names no region, so S3 is the one to refuse it', async () => {
    const prepared = await prepare(shape, 'wrong-region');
    const answer = await sendToS3(prepared);
    if (shape === 'sign-my-policy') {
      // The kit composed the credential for the right region; the backend derived its key for another.
      expect(answer).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    } else {
      expect(answer).toMatchObject({ status: 400, code: 'InvalidArgument' });
      expect(answer.body).toContain("the region 'eu-central-1' is wrong; expecting 'us-east-1'");
    }
  });
});

describe('wrong-region against an AWS endpoint', () => {
  const target: S3Target = {
    mode: 'external',
    bucket: 'photos',
    region: 'eu-west-1',
    endpoint: undefined,
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    maxSize: 1024,
  };
  const api = createDemoApi(target, () => {});
  afterAll(() => api.close());

  it.each(['aws-sdk', 'boto3', 'flat'])('the kit catches the %s answer before sending: the URL names the region', async (shape) => {
    const response = await api.handle(
      new Request(`http://demo.test/api/policy/${shape}?mistake=wrong-region`, {
        method: 'POST',
        body: JSON.stringify({ filename: 'a.txt', contentType: 'text/plain', size: 1 }),
      }),
    );
    const answer: unknown = await response?.json();
    expect(() => parsePolicyAnswer(answer)).toThrow(expect.objectContaining({ code: 'region-mismatch' }));
    // Without the mistake, the same endpoint answers for the bucket's own virtual-hosted URL.
    const good = await api.handle(
      new Request(`http://demo.test/api/policy/${shape}`, { method: 'POST', body: JSON.stringify({ filename: 'a.txt', contentType: '', size: 1 }) }),
    );
    expect(parsePolicyAnswer(await good?.json()).url).toBe('https://photos.s3.eu-west-1.amazonaws.com/');
  });
});

describe('a custom endpoint (MinIO, R2, radosgw)', () => {
  it.each(['aws-sdk', 'boto3', 'flat'])('%s answers a path-style URL under S3_ENDPOINT', async (shape) => {
    const api = createDemoApi(
      {
        mode: 'external',
        bucket: 'media',
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:9000',
        credentials: { accessKeyId: 'minioadmin', secretAccessKey: 'minioadmin' },
        maxSize: 1024,
      },
      () => {},
    );
    const response = await api.handle(
      new Request(`http://demo.test/api/policy/${shape}`, { method: 'POST', body: JSON.stringify({ filename: 'a', contentType: '', size: 1 }) }),
    );
    api.close();
    const post = parsePolicyAnswer(await response?.json());
    expect(new URL(post.url).pathname.replace(/\/$/, '')).toBe('/media');
    expect(post.bucket).toBe('media');
  });
});

describe('the mistake switch is a query parameter of every policy endpoint', () => {
  it.each(['aws-sdk', 'boto3', 'flat'])('%s with no mistake or ?mistake=none answers a correct policy', async (shape) => {
    for (const query of ['', '?mistake=none']) {
      const { status, json } = await postJson(`${running.origin}/api/policy/${shape}${query}`, { filename: 'a', contentType: '', size: 1 });
      expect(status).toBe(200);
      expect(parsePolicyAnswer(json).warnings).toEqual([]);
    }
  });
});
