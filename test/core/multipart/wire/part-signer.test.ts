// PartSigner keeps the workers supplied: presigned part URLs are fetched in batches, and the next batch
// is asked for while the workers still have signed parts to take, so no worker waits for a backend call
// between parts (the bench showed 16 MiB parts idling ~20 ms per refill on loopback before it did).
import { describe, expect, it } from 'vitest';
import type { MultipartBackend, PartToSign, SignedPart } from '../../../../src/core/multipart/backends/backend';
import { PartLedger } from '../../../../src/core/multipart/part-ledger';
import { PartSigner } from '../../../../src/core/multipart/wire/part-signer';
import { planParts } from '../../../../src/core/multipart/plan';

const MiB = 1024 * 1024;

function signingBackend(signAhead: number) {
  const calls: number[][] = [];
  const unused = (name: string) => () => Promise.reject(new Error(`PartSigner called ${name}`));
  const backend: MultipartBackend = {
    identity: 'part-signer-test',
    corsMethods: ['PUT'],
    signAhead,
    signParts: async (_upload, parts) => {
      calls.push(parts.map((part) => part.partNumber));
      return parts.map((part): SignedPart => ({ partNumber: part.partNumber, url: `https://s3.example.com/part-${part.partNumber}`, headers: [] }));
    },
    create: unused('create'),
    listParts: unused('listParts'),
    complete: unused('complete'),
    abort: unused('abort'),
  };
  return { backend, calls };
}

function signer(signAhead: number, partCount: number) {
  const { backend, calls } = signingBackend(signAhead);
  const ledger = new PartLedger(planParts(partCount * 5 * MiB, { partSize: 5 * MiB }), []);
  const upload = { uploadId: 'u1', key: 'uploads/movie.mp4', bucket: 'photos' };
  const partSigner = new PartSigner(backend, upload, ledger, { signal: new AbortController().signal });
  const part = (partNumber: number): PartToSign => ({ partNumber, size: 5 * MiB });
  /** Signs a part as a worker does, and says whether it needed a backend call of its own. */
  const take = async (partNumber: number) => {
    const before = calls.length;
    const signed = await partSigner.sign(part(partNumber));
    await Promise.resolve();
    return { signed, waited: calls.slice(before).some((batch) => batch.includes(partNumber)) };
  };
  return { partSigner, part, take, calls, ledger };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PartSigner', () => {
  it('signs the parts the workers start together in one call, with signAhead more', async () => {
    const { partSigner, part, calls } = signer(8, 16);
    await Promise.all([1, 2, 3, 4].map((number) => partSigner.sign(part(number))));
    expect(calls).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]]);
  });

  it('asks for the next batch while half of the parts signed ahead are still untaken: no worker waits between parts', async () => {
    const { partSigner, part, take, calls, ledger } = signer(8, 20);
    await Promise.all([1, 2, 3, 4].map((number) => partSigner.sign(part(number))));
    const waits: number[] = [];
    for (let partNumber = 5; partNumber <= 20; partNumber += 1) {
      ledger.finish({ partNumber: partNumber - 4, etag: `"etag-${partNumber - 4}"` });
      const { signed, waited } = await take(partNumber);
      expect(signed.url).toBe(`https://s3.example.com/part-${partNumber}`);
      if (waited) waits.push(partNumber);
      await settle();
    }
    expect(waits).toEqual([]);
    // Each part signed once, in batches of at least half of signAhead.
    expect(calls.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(calls.slice(1).every((batch) => batch.length >= 4)).toBe(true);
    expect(calls.length).toBeLessThanOrEqual(3);
  });

  it('signs nothing ahead when the backend cannot (signAhead 0: checksums, header signing)', async () => {
    const { take, calls } = signer(0, 6);
    for (let partNumber = 1; partNumber <= 6; partNumber += 1) {
      const { waited } = await take(partNumber);
      expect(waited).toBe(true);
      await settle();
    }
    expect(calls).toEqual([[1], [2], [3], [4], [5], [6]]);
  });

  it('a part S3 called expired is signed again when asked for, and only then', async () => {
    const { partSigner, take, calls } = signer(8, 4);
    await take(1);
    partSigner.invalidate(1);
    const { waited } = await take(1);
    expect(waited).toBe(true);
    expect(calls).toEqual([[1, 2, 3, 4], [1]]);
  });
});
