// Object keys that SigV4 signers get wrong: spaces, +, %, =, &, ~, *, ', brackets, non-ASCII in NFC and
// NFD, an emoji. Each file name goes through both multipart contracts: header signing, where the kit
// builds the canonical URI itself, and presigned URLs from the AWS SDK; the emulator verifies every
// signature as S3 does, and the object must land under the key the kit derived from the name.
// (The same names by POST need no canonical URI: the key travels in the form, covered in upload.test.ts.)
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../../mocks/index';
import { startMultipartUpload, type MultipartOptions } from '../../../src/index';
import { safeFilename } from '../../../src/core/file-name';
import { sameBytes } from '../../mocks/multipart-fixtures';
import { CREDENTIALS } from '../../support/aws-signer';
import { BUCKET, ENDPOINT, REGION } from '../../support/backends';
import { isolateXhrResponseHeaders, randomFile } from '../../support/multipart-fixtures';
import { MULTIPART_API, presignedBackend } from '../../support/multipart-presigned-backend';
import { SIGN_HEADERS_URL, signingHandler, type Verdict } from '../../support/multipart-signing-backend';

const s3 = createS3Emulator({ endpoint: ENDPOINT, region: REGION, buckets: [BUCKET], credentials: [CREDENTIALS] });
const verdicts: Verdict[] = [];
const presigned = presignedBackend();
const server = setupServer(...s3.handlers, signingHandler({}, verdicts), ...presigned.handlers);
beforeAll(() => {
  isolateXhrResponseHeaders();
  server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => {
  server.resetHandlers();
  s3.store.clear();
});
afterAll(() => server.close());

const NAMES = [
  'two words.png',
  'a+b=c&d.png',
  '100% sure.png',
  'tilde~star*.png',
  "it's (1) [final].png",
  'semi;colon,comma:colon@at$dollar!.png',
  'crème brûlée.png',
  'cre\u0300me bru\u0302le\u0301e.png',
  '日本語のファイル.png',
  'smile 😀.png',
  '#hash?query.png',
  'back\\slash.png',
];

const CONTRACTS: Record<string, MultipartOptions['backend']> = {
  'header signing': { signHeaders: { signatureEndpoint: SIGN_HEADERS_URL, bucket: BUCKET, region: REGION, accessKeyId: CREDENTIALS.accessKeyId } },
  presigned: { presigned: { url: MULTIPART_API } },
};

describe.each(Object.keys(CONTRACTS))('%s: keys that SigV4 signers get wrong', (contract) => {
  it.each(NAMES)('%s', async (name) => {
    const { file, bytes } = randomFile(1024, name, 'image/png');
    const multipart: MultipartOptions = { backend: CONTRACTS[contract] as MultipartOptions['backend'], resume: false, retry: { attempts: 1 } };
    const result = await startMultipartUpload(file, { multipart, key: 'uploads/${filename}' }).promise;
    const key = `uploads/${safeFilename(name)}`;
    expect(result.key).toBe(key);
    expect(sameBytes(s3.store.getObject(BUCKET, key)?.body, bytes)).toBe(true);
    if (contract === 'header signing') expect(verdicts.every((verdict) => verdict.ok)).toBe(true);
  });
});
