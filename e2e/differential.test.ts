// The same browser POST Object forms, sent to a real S3 (Ceph radosgw) and to our emulator
// (mocks/, whose policy reading is src/core/form/post-policy.ts): both must accept or refuse alike.
// Where radosgw answers with another code than AWS documents (the emulator follows AWS), the difference
// is listed below and asserted, so a change on either side shows up here.
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html

import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator, type S3EmulatorOptions } from '../mocks';
import { md5Hex } from '../test/support/aws-signer';
import { fileOf, formData, sigV2Form, sigV4Form, type PostRequest, type S3Target } from './support/post-form';
import { radosgwUnavailable, startRadosgw, type Radosgw } from './support/radosgw';

interface DifferentialCase {
  readonly name: string;
  /** AWS's answer, which the emulator must give: the status, then S3's error Code for an error. */
  readonly aws: string;
  /** The key an accepted upload is stored under; a refused one must store nothing there. */
  readonly key: string;
  readonly request: (target: S3Target) => PostRequest;
  /** Emulator options for this case, when radosgw stands for another kind of S3 region. */
  readonly emulator?: Pick<S3EmulatorOptions, 'allowSignatureV2'>;
}

const file = (name: string, size = 64) => fileOf(name, size);
const ACCEPTED_204 = '204';
const POLICY_DENIED = '403 AccessDenied';

const CASES: readonly DifferentialCase[] = [
  {
    name: 'valid',
    aws: ACCEPTED_204,
    key: 'd/valid.txt',
    request: (t) => ({ fields: sigV4Form(t, { key: 'd/valid.txt' }), file: file('valid.txt') }),
  },
  {
    name: 'wrong signature (wrong secret)',
    aws: '403 SignatureDoesNotMatch',
    key: 'd/wrong-secret.txt',
    request: (t) => ({
      fields: sigV4Form(t, { key: 'd/wrong-secret.txt', secretAccessKey: `${t.secretAccessKey}x` }),
      file: file('wrong-secret.txt'),
    }),
  },
  {
    name: 'uppercase-hex signature',
    aws: '403 SignatureDoesNotMatch',
    key: 'd/uppercase.txt',
    request: (t) => ({
      fields: sigV4Form(t, { key: 'd/uppercase.txt', mangleSignature: (signature) => signature.toUpperCase() }),
      file: file('uppercase.txt'),
    }),
  },
  {
    name: 'V2 fields, where SigV2 is allowed (pre-2014 regions; allowSignatureV2)',
    aws: ACCEPTED_204,
    key: 'd/v2.txt',
    request: (t) => ({ fields: sigV2Form(t, { key: 'd/v2.txt' }), file: file('v2.txt') }),
    emulator: { allowSignatureV2: true },
  },
  {
    name: 'V2 fields, SigV4-only region (emulator default)',
    aws: '400 InvalidRequest',
    key: 'd/v2-refused.txt',
    request: (t) => ({ fields: sigV2Form(t, { key: 'd/v2-refused.txt' }), file: file('v2-refused.txt') }),
  },
  {
    name: 'expired policy',
    aws: POLICY_DENIED,
    key: 'd/expired.txt',
    request: (t) => ({ fields: sigV4Form(t, { key: 'd/expired.txt', expiresInSeconds: -60 }), file: file('expired.txt') }),
  },
  {
    name: 'exact-match condition {acl: private}, public-read sent',
    aws: POLICY_DENIED,
    key: 'd/acl.txt',
    request: (t) => ({
      fields: sigV4Form(t, { key: 'd/acl.txt', fields: [['acl', 'public-read']], conditions: [{ acl: 'private' }] }),
      file: file('acl.txt'),
    }),
  },
  {
    name: 'eq condition on Content-Type fails',
    aws: POLICY_DENIED,
    key: 'd/eq.txt',
    request: (t) => ({
      fields: sigV4Form(t, {
        key: 'd/eq.txt',
        fields: [['Content-Type', 'text/plain']],
        conditions: [['eq', '$Content-Type', 'image/png']],
      }),
      file: file('eq.txt'),
    }),
  },
  {
    name: 'starts-with condition on key fails',
    aws: POLICY_DENIED,
    key: 'elsewhere/starts-with.txt',
    request: (t) => ({
      fields: sigV4Form(t, { key: 'elsewhere/starts-with.txt', policyKey: 'd/${filename}' }),
      file: file('starts-with.txt'),
    }),
  },
  {
    name: 'bucket condition names another bucket',
    aws: POLICY_DENIED,
    key: 'd/other-bucket.txt',
    request: (t) => ({
      fields: sigV4Form(t, { key: 'd/other-bucket.txt', policyBucket: `${t.bucket}-other` }),
      file: file('other-bucket.txt'),
    }),
  },
  {
    name: 'field not covered by the policy (extra field)',
    aws: POLICY_DENIED,
    key: 'd/extra.txt',
    request: (t) => ({
      fields: sigV4Form(t, { key: 'd/extra.txt', fields: [['x-amz-meta-extra', 'not in the policy']] }),
      file: file('extra.txt'),
    }),
  },
  {
    name: 'condition on a field not sent (starts-with $x-amz-meta-tag "")',
    aws: POLICY_DENIED,
    key: 'd/unsent.txt',
    request: (t) => ({
      fields: sigV4Form(t, { key: 'd/unsent.txt', conditions: [['starts-with', '$x-amz-meta-tag', '']] }),
      file: file('unsent.txt'),
    }),
  },
  {
    name: 'content-length-range: size = max',
    aws: ACCEPTED_204,
    key: 'd/at-max.txt',
    request: (t) => ({
      fields: sigV4Form(t, { key: 'd/at-max.txt', conditions: [['content-length-range', 10, 1024]] }),
      file: file('at-max.txt', 1024),
    }),
  },
  {
    name: 'content-length-range: size = max + 1',
    aws: '400 EntityTooLarge',
    key: 'd/over-max.txt',
    request: (t) => ({
      fields: sigV4Form(t, { key: 'd/over-max.txt', conditions: [['content-length-range', 10, 1024]] }),
      file: file('over-max.txt', 1025),
    }),
  },
  {
    name: 'content-length-range: size < min',
    aws: '400 EntityTooSmall',
    key: 'd/under-min.txt',
    request: (t) => ({
      fields: sigV4Form(t, { key: 'd/under-min.txt', conditions: [['content-length-range', 10, 1024]] }),
      file: file('under-min.txt', 5),
    }),
  },
  {
    name: 'missing key field',
    aws: '400 InvalidArgument',
    key: 'd/missing-key.txt',
    request: (t) => ({
      fields: sigV4Form(t, { key: undefined, policyKey: 'd/missing-key.txt' }),
      file: file('missing-key.txt'),
    }),
  },
  {
    name: 'missing file',
    aws: '400 InvalidArgument',
    key: 'd/missing-file.txt',
    request: (t) => ({ fields: sigV4Form(t, { key: 'd/missing-file.txt' }), file: undefined }),
  },
  {
    name: '${filename} in the key',
    aws: ACCEPTED_204,
    key: 'd/expanded-name.txt',
    request: (t) => ({ fields: sigV4Form(t, { key: 'd/${filename}' }), file: file('expanded-name.txt') }),
  },
  {
    name: 'success_action_status 201',
    aws: '201',
    key: 'd/created.txt',
    request: (t) => ({
      fields: sigV4Form(t, {
        key: 'd/created.txt',
        fields: [['success_action_status', '201']],
        conditions: [{ success_action_status: '201' }],
      }),
      file: file('created.txt'),
    }),
  },
  {
    name: 'wrong region in the credential (validly signed for it)',
    aws: '400 InvalidArgument',
    key: 'd/wrong-region.txt',
    request: (t) => ({
      fields: sigV4Form(t, { key: 'd/wrong-region.txt', region: t.region === 'us-west-2' ? 'eu-west-1' : 'us-west-2' }),
      file: file('wrong-region.txt'),
    }),
  },
];

/**
 * Where radosgw's answer is not AWS's, as observed with radosgw 16.2.15 (Debian 12). The emulator gives
 * AWS's (the case's `aws`); radosgw gives `radosgw`. Every entry is asserted, so a change in radosgw or
 * in the emulator shows up here. Where the verdicts differ, radosgw is the lenient one; `why` cites AWS.
 */
const RADOSGW_DIFFERENCES: ReadonlyArray<{
  readonly case: string;
  readonly aws: string;
  readonly radosgw: string;
  /** What radosgw stores when it accepts what AWS refuses. */
  readonly radosgwStores?: string;
  readonly why: string;
}> = [
  {
    case: 'wrong signature (wrong secret)',
    aws: '403 SignatureDoesNotMatch',
    radosgw: '403 AccessDenied',
    why: 'radosgw answers every POST signature mismatch with AccessDenied and an empty Message',
  },
  {
    case: 'uppercase-hex signature',
    aws: '403 SignatureDoesNotMatch',
    radosgw: '403 AccessDenied',
    why: 'both compare the hex signature exactly; radosgw names the failure AccessDenied',
  },
  {
    case: 'V2 fields, SigV4-only region (emulator default)',
    aws: '400 InvalidRequest',
    radosgw: '204',
    why: 'radosgw accepts SigV2 like a pre-2014 AWS region; the emulator agrees with allowSignatureV2 (case above)',
  },
  {
    case: 'condition on a field not sent (starts-with $x-amz-meta-tag "")',
    aws: '403 AccessDenied',
    radosgw: '204',
    why: 'radosgw reads an absent field as "", so starts-with "" passes; AWS fails the condition (tj/node-s3-policy#8: Policy Condition failed: ["starts-with", "$Content-Length", ""])',
  },
  {
    case: 'missing file',
    aws: '400 InvalidArgument',
    radosgw: '204',
    radosgwStores: '\r\n',
    why: 'radosgw stores the CRLF that ends the last field as the object; AWS: "POST requires exactly one file upload per request." (itinance/react-native-fs#992)',
  },
  {
    case: 'wrong region in the credential (validly signed for it)',
    aws: '400 InvalidArgument',
    radosgw: '204',
    why: "radosgw derives the signing key from whatever region the credential names; AWS: \"the region 'us-east-1' is wrong; expecting 'us-west-1'\" (CulturalMe/meteor-slingshot#150)",
  },
];

/** What a POST got back; summary() writes it as '204' or '403 AccessDenied'. */
interface Answer {
  readonly status: number;
  readonly code: string | undefined;
  readonly etag: string | null;
  readonly body: string;
}

const summary = (answer: Answer): string => (answer.code ? `${answer.status} ${answer.code}` : String(answer.status));
/** Accepted or refused, from an Answer or from a summary such as '403 AccessDenied'. */
const verdict = (answer: Answer | string): 'accepted' | 'refused' =>
  (typeof answer === 'string' ? Number.parseInt(answer, 10) : answer.status) < 300 ? 'accepted' : 'refused';

async function readAnswer(response: Response): Promise<Answer> {
  const body = await response.text();
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  return { status: response.status, code, etag: response.headers.get('etag'), body };
}

const xmlElement = (body: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];

const unavailable = radosgwUnavailable();
if (unavailable) console.warn(`e2e/differential.test.ts skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('POST Object: radosgw and the emulator give the same verdict', () => {
  let radosgw: Radosgw | undefined;
  let sdk: S3Client | undefined;
  const seen: Array<{ case: string; aws: string; emulator: string; radosgw: string }> = [];

  beforeAll(async () => {
    radosgw = await startRadosgw();
    sdk = new S3Client({
      endpoint: radosgw.endpoint,
      region: radosgw.region,
      credentials: { accessKeyId: radosgw.accessKeyId, secretAccessKey: radosgw.secretAccessKey },
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  });

  afterAll(async () => {
    if (seen.length > 0) console.table(seen);
    sdk?.destroy();
    await radosgw?.stop();
  });

  const target = (): Radosgw => {
    if (!radosgw) throw new Error('radosgw did not start (see beforeAll)');
    return radosgw;
  };

  async function readBack(key: string): Promise<Uint8Array | undefined> {
    if (!sdk) throw new Error('radosgw did not start (see beforeAll)');
    try {
      const object = await sdk.send(new GetObjectCommand({ Bucket: target().bucket, Key: key }));
      return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  it.each(CASES)('$name', async (testCase) => {
    const rgw = target();
    const request = testCase.request(rgw);
    const url = `${rgw.endpoint}/${rgw.bucket}`;
    const s3 = createS3Emulator({
      endpoint: rgw.endpoint,
      region: rgw.region,
      buckets: [rgw.bucket],
      credentials: [{ accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey }],
      ...testCase.emulator,
    });

    const real = await readAnswer(await fetch(url, { method: 'POST', body: formData(request) }));
    const emulated = await s3.handle(new Request(url, { method: 'POST', body: formData(request) }));
    if (!emulated) throw new Error(`the emulator does not serve ${url}`);
    const emulator = await readAnswer(emulated);
    const difference = RADOSGW_DIFFERENCES.find((entry) => entry.case === testCase.name);
    seen.push({ case: testCase.name, aws: testCase.aws, emulator: summary(emulator), radosgw: summary(real) });

    const evidence = `radosgw answered:\n${real.body}\nthe emulator answered:\n${emulator.body}`;
    if (!difference || verdict(difference.aws) === verdict(difference.radosgw)) {
      expect(verdict(real), evidence).toBe(verdict(emulator));
    }
    expect(summary(emulator), evidence).toBe(testCase.aws);
    expect(summary(real), evidence).toBe(difference ? difference.radosgw : testCase.aws);
    if (difference) expect(difference.aws).toBe(testCase.aws);

    // What a user sees in the end: the bytes stored under the key, or nothing at all.
    const sent = request.file?.bytes;
    const emulatorStored = s3.store.getObject(rgw.bucket, testCase.key)?.body;
    expect(emulatorStored).toEqual(verdict(emulator) === 'accepted' ? sent : undefined);
    const radosgwStored = await readBack(testCase.key);
    const radosgwExpected = difference?.radosgwStores === undefined ? sent : new TextEncoder().encode(difference.radosgwStores);
    expect(radosgwStored).toEqual(verdict(real) === 'accepted' ? radosgwExpected : undefined);

    if (verdict(emulator) === 'accepted' && sent) expect(emulator.etag).toBe(`"${md5Hex(sent)}"`);
    // radosgw 16 sends no ETag header on a POST answer, 204 or 201; AWS does (RESTObjectPOST, Responses).
    // A browser must therefore ask for success_action_status=201 and read the ETag from the document.
    if (verdict(real) === 'accepted') expect(real.etag).toBeNull();

    if (real.status === 201 && sent) {
      // The PostResponse document: both name the same bucket and key; Location too (key percent-encoded).
      for (const name of ['Bucket', 'Key'] as const) {
        expect(xmlElement(real.body, name), name).toBe(xmlElement(emulator.body, name));
      }
      expect(xmlElement(real.body, 'Location')).toBe(`${url}/${encodeURIComponent(testCase.key)}`);
      expect(xmlElement(emulator.body, 'Location')).toBe(`${url}/${encodeURIComponent(testCase.key)}`);
      // AWS quotes the ETag in the document as in the header ("<ETag>\"...\"</ETag>"); radosgw does not.
      expect(xmlElement(emulator.body, 'ETag')).toBe(`"${md5Hex(sent)}"`);
      expect(xmlElement(real.body, 'ETag')).toBe(md5Hex(sent));
    }
  });

  it('allows a browser preflight for POST, as the emulator does (the CORS rule start.sh set)', async () => {
    const rgw = target();
    const url = `${rgw.endpoint}/${rgw.bucket}`;
    const s3 = createS3Emulator({ endpoint: rgw.endpoint, region: rgw.region, buckets: [rgw.bucket], credentials: [] });
    const origin = 'http://localhost:5173';
    const preflight = () =>
      new Request(url, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
    const real = await fetch(preflight());
    const emulated = await s3.handle(preflight());
    const exposed = (response: Response | undefined) =>
      (response?.headers.get('access-control-expose-headers') ?? '').split(',').map((name) => name.trim().toLowerCase());

    expect([real.status, emulated?.status]).toEqual([200, 200]);
    // For AllowedOrigin "*" AWS answers "*" (the emulator too); radosgw echoes the origin. A browser takes either.
    expect(emulated?.headers.get('access-control-allow-origin')).toBe('*');
    expect(real.headers.get('access-control-allow-origin')).toBe(origin);
    for (const response of [real, emulated]) expect(exposed(response)).toEqual(expect.arrayContaining(['etag', 'location']));
  });

  it('lists every known difference under a case that exists', () => {
    for (const entry of RADOSGW_DIFFERENCES) expect(CASES.map((c) => c.name)).toContain(entry.case);
  });
});
