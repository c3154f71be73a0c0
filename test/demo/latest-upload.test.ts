// What the diagnostics panel can show of the latest upload's form, by how far the upload got.
import { describe, expect, it } from 'vitest';
import { NetworkError, PolicyAnswerError, PolicyViolationError, S3ResponseError, UploadAbortedError } from '../../src/index';
import { formEvidence, latestFrom } from '../../demo/latest-upload';

const file = new File(['hello'], 'note.txt', { type: 'text/plain' });
const context = { seq: 1, via: 'Custom UI', selection: { shape: 'aws-sdk', mistake: undefined }, plan: { policy: '/api/policy/aws-sdk' } } as const;
const result = { bucket: 'demo-bucket', key: 'uploads/x/note.txt', location: 'http://s3/x', etag: 'abc', status: 201, warnings: [] };

function failed(error: Error) {
  const latest = latestFrom({ id: 'upload1-1', file, status: 'error', error }, context);
  if (!latest) throw new Error('expected an entry for a failed upload');
  return latest;
}

describe('latestFrom', () => {
  it('keeps stored and failed files, and ignores canceled ones', () => {
    expect(latestFrom({ id: 'upload1-1', file, status: 'success', result }, context)).toMatchObject({ status: 'success', file, result });
    expect(latestFrom({ id: 'upload1-1', file, status: 'canceled' }, context)).toBeUndefined();
  });
});

describe('formEvidence', () => {
  it('rebuilds the form when one was sent: stored, refused by S3, or lost on the network', () => {
    const stored = latestFrom({ id: 'upload1-1', file, status: 'success', result }, context);
    if (!stored) throw new Error('expected an entry');
    expect(formEvidence(stored)).toEqual({ kind: 'rebuild' });
    const s3 = new S3ResponseError({ status: 403, method: 'POST', url: 'http://s3/', hint: 'fix it', s3: { code: 'SignatureDoesNotMatch', message: 'no', elements: {} } });
    expect(formEvidence(failed(s3))).toEqual({ kind: 'rebuild' });
    expect(formEvidence(failed(new NetworkError('network-or-cors', { method: 'POST', url: 'http://s3/' })))).toEqual({ kind: 'rebuild' });
  });

  it('shows the signed policy of a form the kit refused, and nothing for an answer it refused', () => {
    const policy = JSON.stringify({ expiration: '2020-01-01T00:00:00.000Z', conditions: [] });
    const violation = new PolicyViolationError([{ kind: 'expired', expiration: new Date('2020-01-01T00:00:00Z') }], policy, { message: 'expired', hint: 'sign again' });
    expect(formEvidence(failed(violation))).toEqual({ kind: 'refused-form', policy });
    expect(formEvidence(failed(new PolicyAnswerError('v2-field-names', 'V2 names', 'use V4')))).toEqual({ kind: 'none' });
    expect(formEvidence(failed(new UploadAbortedError('upload')))).toEqual({ kind: 'none' });
  });
});
