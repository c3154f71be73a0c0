// Object keys that SigV4 signers get wrong: spaces, +, %, =, &, ~, *, ', brackets, non-ASCII in NFC and
// NFD, an emoji. Each file name goes through both multipart contracts: header signing, where the kit
// builds the canonical URI itself, and presigned URLs from the AWS SDK; the emulator verifies every
// signature as S3 does, and the object must land under the key the kit derived from the name.
// (The same names by POST need no canonical URI: the key travels in the form, covered in upload.test.ts.)
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../../mocks/index';
import { startMultipartUpload, type MultipartOptions } from '../../../src/index';
import { safeFilename } from '../../../src/core/form/file-name';
import { sameBytes } from '../../mocks/multipart-fixtures';
import { CREDENTIALS } from '../../support/aws-signer';
import { BUCKET, ENDPOINT, REGION } from '../../support/backends';
import { isolateXhrResponseHeaders, randomFile } from '../../support/multipart-fixtures';
import { random } from '../../support/fuzz';
import { isS3UploadError } from '../../../src/index';
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

// Random names drawn from the characters that matter to a canonical URI: ASCII punctuation, space,
// percent, Latin-1, combining marks, CJK, astral (emoji), and the odd control or bidi character that
// safeFilename removes. Seeded; FUZZ_CASES searches further.
const ALPHABET = [..."abcXYZ019 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", 'é', 'ß', 'ü', '\u0301', '\u00a0', '日', '本', '😀', '𝄞', '\u0007', '\u202e', '\t'];
const RANDOM_NAMES = Number(process.env['FUZZ_CASES'] ?? 120);

describe.each(Object.keys(CONTRACTS))('%s: random names', (contract) => {
  it('every name is stored under the key the kit derived, or refused by the kit before anything is sent', async () => {
    const next = random(contract.length * 977 + Number(process.env['FUZZ_SEED'] ?? 0));
    const refusals: string[] = [];
    for (let index = 0; index < RANDOM_NAMES; index += 1) {
      const length = 1 + Math.floor(next() * 24);
      const name = Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
      const { file, bytes } = randomFile(64, name, 'application/octet-stream');
      const multipart: MultipartOptions = { backend: CONTRACTS[contract] as MultipartOptions['backend'], resume: false, retry: { attempts: 1 } };
      const from = s3.requests.length;
      try {
        const result = await startMultipartUpload(file, { multipart, key: 'uploads/${filename}' }).promise;
        const key = `uploads/${safeFilename(name)}`;
        expect(result.key, JSON.stringify(name)).toBe(key);
        expect(sameBytes(s3.store.getObject(BUCKET, key)?.body, bytes), JSON.stringify(name)).toBe(true);
      } catch (error) {
        expect(isS3UploadError(error) && error.name !== 'S3ResponseError', `${JSON.stringify(name)}: ${String(error)}`).toBe(true);
        expect(s3.requests.length - from, `${JSON.stringify(name)}: refused, yet S3 was asked`).toBe(0);
        refusals.push(`${JSON.stringify(name)}: ${isS3UploadError(error) ? error.code : ''}`);
      }
    }
    if (refusals.length > 0) console.info(`${contract}: refused ${refusals.length} of ${RANDOM_NAMES}: ${refusals.slice(0, 5).join('; ')}`);
  }, 600_000);
});
