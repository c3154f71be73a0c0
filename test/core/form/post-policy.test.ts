import { describe, expect, it } from 'vitest';
import { encodeBase64Utf8 } from '../../../src/core/codec';
import { decodePolicy, describeCondition } from '../../../src/core/diagnostics/policy-problems';
import { evaluatePolicy, type PolicyDocument, type PostedForm } from '../../../src/core/form/post-policy';

const NOW = new Date('2025-06-01T12:00:00Z');

function policy(conditions: unknown[], expiration = '2025-06-01T13:00:00.000Z'): PolicyDocument {
  const decoded = decodePolicy(encodeBase64Utf8(JSON.stringify({ expiration, conditions })));
  if (!decoded.ok) throw new Error(decoded.detail);
  return decoded.document;
}

function form(fields: Record<string, string>, extra: Partial<PostedForm> = {}): PostedForm {
  return { fields: Object.entries(fields), bucket: 'photos', fileSize: 100, filename: 'cat.png', ...extra };
}

describe('decodePolicy', () => {
  it('reads AWS documentation example conditions of every kind', () => {
    const document = policy([
      { acl: 'public-read' },
      ['eq', '$success_action_status', '201'],
      ['starts-with', '$key', 'user/eric/'],
      ['content-length-range', 1048576, 10485760],
    ]);
    expect(document.conditions.map((c) => c.kind)).toEqual(['eq', 'eq', 'starts-with', 'content-length-range']);
    expect(document.conditions[0]).toMatchObject({ kind: 'eq', field: 'acl', value: 'public-read' });
    expect(document.conditions[2]).toMatchObject({ kind: 'starts-with', field: 'key', prefix: 'user/eric/' });
    expect(document.conditions[3]).toMatchObject({ min: 1048576, max: 10485760 });
    expect(document.expiration.toISOString()).toBe('2025-06-01T13:00:00.000Z');
  });

  it('says which layer is broken: base64, UTF-8, JSON, or the document', () => {
    expect(decodePolicy('not base64!')).toMatchObject({ ok: false, problem: 'not-base64' });
    expect(decodePolicy(btoa('\xff\xfe'))).toMatchObject({ ok: false, problem: 'not-utf8' });
    expect(decodePolicy(btoa('{"expiration":'))).toMatchObject({ ok: false, problem: 'not-json' });
    expect(decodePolicy(btoa('[]'))).toMatchObject({ ok: false, problem: 'not-object' });
    expect(decodePolicy(btoa('{"conditions":[]}'))).toMatchObject({ ok: false, problem: 'expiration' });
    expect(decodePolicy(btoa('{"expiration":"tomorrow","conditions":[]}'))).toMatchObject({
      ok: false,
      problem: 'expiration',
    });
    expect(decodePolicy(btoa('{"expiration":"2025-06-01T13:00:00Z"}'))).toMatchObject({
      ok: false,
      problem: 'conditions',
    });
  });

  it('rejects malformed conditions the way S3 refuses the document', () => {
    const bad = (condition: unknown) =>
      decodePolicy(encodeBase64Utf8(JSON.stringify({ expiration: '2025-06-01T13:00:00Z', conditions: [condition] })));
    expect(bad({ acl: 'private', bucket: 'b' })).toMatchObject({ ok: false, problem: 'condition' });
    expect(bad(['eq', 'key', 'a'])).toMatchObject({ ok: false, problem: 'condition' });
    expect(bad(['starts-with', '$key'])).toMatchObject({ ok: false, problem: 'condition' });
    expect(bad(['content-length-range', 10, 1])).toMatchObject({ ok: false, problem: 'condition' });
    expect(bad(['content-length-range', '1', 2.5])).toMatchObject({ ok: false, problem: 'condition' });
    expect(bad(['matches', '$key', '.*'])).toMatchObject({ ok: false, problem: 'condition' });
    expect(bad('acl')).toMatchObject({ ok: false, problem: 'condition' });
    // S3: InvalidPolicyDocument "value must be a string" for {"Content-Length": 6199034}.
    expect(bad({ success_action_status: 201 })).toMatchObject({ ok: false, problem: 'condition' });
  });

  it('keeps UTF-8 values intact', () => {
    const document = policy([['starts-with', '$key', 'fotos/año/']]);
    expect(document.conditions[0]).toMatchObject({ prefix: 'fotos/año/' });
  });
});

describe('evaluatePolicy', () => {
  it('accepts a form that meets every condition', () => {
    const document = policy([
      { bucket: 'photos' },
      ['starts-with', '$key', 'uploads/'],
      { acl: 'private' },
      ['content-length-range', 1, 100],
    ]);
    expect(evaluatePolicy(document, form({ key: 'uploads/cat.png', acl: 'private' }), { now: NOW })).toEqual([]);
  });

  it('reports an expired policy first, allowing the given clock skew', () => {
    const document = policy([], '2025-06-01T11:58:00Z');
    expect(evaluatePolicy(document, form({}), { now: NOW })[0]).toMatchObject({ kind: 'expired' });
    expect(evaluatePolicy(document, form({}), { now: NOW, clockSkewMs: 5 * 60_000 })).toEqual([]);
  });

  it('matches field names case-insensitively and values case-sensitively', () => {
    const document = policy([['eq', '$Content-Type', 'image/png'], { 'X-Amz-Meta-Owner': 'Ana' }]);
    expect(
      evaluatePolicy(document, form({ 'content-type': 'image/png', 'x-amz-meta-owner': 'Ana' }), { now: NOW }),
    ).toEqual([]);
    const failures = evaluatePolicy(document, form({ 'Content-Type': 'IMAGE/PNG', 'x-amz-meta-owner': 'Ana' }), {
      now: NOW,
    });
    expect(failures).toEqual([expect.objectContaining({ kind: 'condition-failed', actual: 'IMAGE/PNG' })]);
  });

  it('fails a condition on a field the form omits, even starts-with "" (S3: Policy Condition failed: ["starts-with", "$utf8", ""])', () => {
    const document = policy([{ acl: 'private' }, ['starts-with', '$utf8', '']]);
    const failures = evaluatePolicy(document, form({ 'utf-8': '✓' }), { now: NOW });
    expect(failures).toEqual([
      expect.objectContaining({ kind: 'condition-failed', condition: expect.objectContaining({ field: 'acl' }), actual: undefined }),
      expect.objectContaining({ kind: 'condition-failed', condition: expect.objectContaining({ field: 'utf8' }), actual: undefined }),
      { kind: 'extra-fields', fields: ['utf-8'] },
    ]);
    expect(evaluatePolicy(document, form({ acl: 'private', utf8: '' }), { now: NOW })).toEqual([]);
  });

  it('lists every sent field that no condition covers, except the exempt ones', () => {
    const document = policy([['starts-with', '$key', '']]);
    const failures = evaluatePolicy(
      document,
      form({
        key: 'a',
        acl: 'private',
        'X-Amz-Meta-Owner': 'Ana',
        Policy: 'eyJ9',
        'X-Amz-Signature': 'ab',
        'x-ignore-trace': '1',
        file: 'x',
      }),
      { now: NOW },
    );
    expect(failures).toEqual([{ kind: 'extra-fields', fields: ['acl', 'x-amz-meta-owner'] }]);
  });

  it('checks key conditions after ${filename} is expanded, as S3 does', () => {
    const document = policy([['eq', '$key', 'uploads/cat.png']]);
    expect(evaluatePolicy(document, form({ key: 'uploads/${filename}' }), { now: NOW })).toEqual([]);
  });

  it('reads a comma-separated Content-Type as a list under starts-with', () => {
    const document = policy([['starts-with', '$Content-Type', 'image/']]);
    expect(evaluatePolicy(document, form({ 'Content-Type': 'image/png, image/jpeg' }), { now: NOW })).toEqual([]);
    expect(evaluatePolicy(document, form({ 'Content-Type': 'image/png, text/html' }), { now: NOW })).toHaveLength(1);
  });

  it('checks content-length-range with an inclusive minimum and maximum', () => {
    const document = policy([['content-length-range', 10, 100]]);
    expect(evaluatePolicy(document, form({}, { fileSize: 100 }), { now: NOW })).toEqual([]);
    expect(evaluatePolicy(document, form({}, { fileSize: 10 }), { now: NOW })).toEqual([]);
    expect(evaluatePolicy(document, form({}, { fileSize: 101 }), { now: NOW })).toEqual([
      { kind: 'too-large', size: 101, max: 100 },
    ]);
    expect(evaluatePolicy(document, form({}, { fileSize: 9 }), { now: NOW })).toEqual([
      { kind: 'too-small', size: 9, min: 10 },
    ]);
  });

  it('checks the bucket condition against the bucket of the URL, and skips it when that is unknown', () => {
    const document = policy([{ bucket: 'photos' }]);
    expect(evaluatePolicy(document, form({}, { bucket: 'videos' }), { now: NOW })).toEqual([
      expect.objectContaining({ kind: 'condition-failed', actual: 'videos' }),
    ]);
    expect(evaluatePolicy(document, form({}, { bucket: undefined }), { now: NOW })).toEqual([]);
  });

  it('describes a failed condition in S3 message syntax', () => {
    const [condition] = policy([{ acl: 'private' }]).conditions;
    expect(condition && describeCondition(condition)).toBe('["eq", "$acl", "private"]');
  });
});
