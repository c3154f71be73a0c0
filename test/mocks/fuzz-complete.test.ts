// @vitest-environment node
// The emulator under fuzzed CompleteMultipartUpload bodies: the XML of a valid two-part list cut short,
// with bytes changed, or with its part numbers and ETags swapped for strange values, parts repeated or
// dropped. S3 answers such bodies with MalformedXML, InvalidPart, InvalidPartOrder, EntityTooSmall or
// NoSuchUpload; the emulator must do the same (a 4xx with S3's XML error) or complete, never crash.
// Seeded; FUZZ_CASES searches further.
import { CreateMultipartUploadCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Emulator } from '../../mocks';
import { pick, random } from '../support/fuzz';
import { BUCKET, BUCKET_URL, emulatorOptions } from './fixtures';
import { completeBody, MIN_PART_SIZE, randomPart, sdkClient, signedFetch } from './multipart-fixtures';

const s3 = createS3Emulator(emulatorOptions());
const server = setupServer(...s3.handlers);
const client = sdkClient();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => {
  client.destroy();
  server.close();
});

const CASES = Number(process.env['FUZZ_CASES'] ?? 300);
const SEED = Number(process.env['FUZZ_SEED'] ?? 0);
const KEY = 'big/file.bin';
const FIRST = randomPart(MIN_PART_SIZE);
const LAST = randomPart(1000);
const STRANGE = ['0', '-1', '10001', '1.5', '', ' 1', 'one', '"', '<x/>', '&amp;', '"0123456789abcdef0123456789abcdef"', 'A'.repeat(3000)];

async function uploadWithTwoParts(): Promise<{ uploadId: string; etags: string[] }> {
  const { UploadId: uploadId = '' } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: KEY }));
  const etags: string[] = [];
  for (const [index, body] of [FIRST, LAST].entries()) {
    const { ETag = '' } = await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: KEY, UploadId: uploadId, PartNumber: index + 1, Body: body }));
    etags.push(ETag);
  }
  return { uploadId, etags };
}

/** One change to the body's text; returns it with what was done. */
function mangle(body: string, next: () => number): [string, string] {
  switch (Math.floor(next() * 5)) {
    case 0: {
      const cut = Math.floor(next() * body.length);
      return [body.slice(0, cut), `cut at ${cut}`];
    }
    case 1: {
      const at = Math.floor(next() * body.length);
      const byte = String.fromCharCode(Math.floor(next() * 128));
      return [body.slice(0, at) + byte + body.slice(at + 1), `char ${at} = ${JSON.stringify(byte)}`];
    }
    case 2: {
      const value = pick(next, STRANGE);
      const tag = pick(next, ['PartNumber', 'ETag']);
      return [body.replace(new RegExp(`<${tag}>[^<]*</${tag}>`), `<${tag}>${value}</${tag}>`), `${tag} = ${JSON.stringify(value.slice(0, 20))}`];
    }
    case 3: {
      const part = /<Part>.*?<\/Part>/.exec(body)?.[0] ?? '';
      return next() < 0.5 ? [body.replace(part, ''), 'part dropped'] : [body.replace(part, part + part), 'part repeated'];
    }
    default: {
      const tag = pick(next, ['Part', 'PartNumber', 'ETag', 'CompleteMultipartUpload']);
      return [body.replace(`<${tag}>`, '').replace(`<${tag} `, '<'), `<${tag}> removed`];
    }
  }
}

describe('the emulator under fuzzed CompleteMultipartUpload bodies', () => {
  it('answers every body with a completed object or S3\'s XML error, never a crash', async () => {
    const tally = new Map<string, number>();
    // A refused Complete leaves the upload as it was, so one upload serves until a body completes it.
    let upload = await uploadWithTwoParts();
    for (let index = 0; index < CASES; index += 1) {
      const seed = (SEED + index * 2_246_822_519) >>> 0;
      const next = random(seed);
      const { uploadId, etags } = upload;
      let body = completeBody(etags.map((etag, number) => ({ partNumber: number + 1, etag })));
      const done: string[] = [];
      for (let change = 1 + Math.floor(next() * 2); change > 0; change -= 1) {
        const [changed, what] = mangle(body, next);
        body = changed;
        done.push(what);
      }
      const replay = `seed ${seed} (${done.join('; ')})`;
      const response = await signedFetch('POST', `${BUCKET_URL}/${KEY}?uploadId=${uploadId}`, { body, headers: { 'content-type': 'application/xml' } });
      const text = await response.text();
      expect(response.status, `${replay}: ${text.slice(0, 300)}`).toBeLessThan(500);
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
      if (response.status >= 400) expect(code, `${replay}: ${text.slice(0, 300)}`).toBeDefined();
      const outcome = response.status >= 400 ? `${response.status} ${code}` : /<Error>/.test(text) ? `200 with ${code}` : `${response.status} completed`;
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
      if (response.status === 200) upload = await uploadWithTwoParts();
    }
    console.info(`fuzzed Complete bodies: ${[...tally].map(([outcome, count]) => `${outcome} ×${count}`).join(', ')}`);
    expect(tally.size).toBeGreaterThan(2);
  }, 600_000);
});
