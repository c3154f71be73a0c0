import { describe, expect, it } from 'vitest';
import { assemblePostForm } from '../../../src/core/form/post-form';
import { parsePolicyAnswer } from '../../../src/core/policy/policy-answer';
import { CREDENTIALS, flatAnswer } from '../../support/aws-signer';

const FILE = { name: 'cat.png', type: 'image/png', size: 3 };

describe('assemblePostForm', () => {
  it("sends fields under S3's names in the order of AWS's POST example", () => {
    const answer = flatAnswer({
      url: 'https://photos.s3.amazonaws.com/',
      key: 'user/user1/${filename}',
      credentials: { ...CREDENTIALS, sessionToken: 'token' },
      fields: {
        'X-AMZ-META-UUID': '14365123651274',
        'x-amz-server-side-encryption': 'AES256',
        'content-type': 'image/png',
        success_action_redirect: 'https://app.example/done',
        ACL: 'public-read',
        'x-amz-meta-tag': '',
      },
    });
    const form = assemblePostForm(parsePolicyAnswer(answer), FILE);
    expect(form.fields.map(([name]) => name)).toEqual([
      'key',
      'acl',
      'success_action_redirect',
      'Content-Type',
      'x-amz-meta-uuid',
      'x-amz-meta-tag',
      'x-amz-server-side-encryption',
      'X-Amz-Credential',
      'X-Amz-Algorithm',
      'X-Amz-Date',
      'X-Amz-Security-Token',
      'Policy',
      'X-Amz-Signature',
    ]);
    expect(form.fields[0]).toEqual(['key', 'user/user1/${filename}']);
    expect(form.key).toBe('user/user1/cat.png');
    expect(form.filename).toBe('cat.png');
    expect(form.bucket).toBe('photos');
  });

  it("fills Content-Type from the file when the policy constrains it and the backend left it open", () => {
    const answer = flatAnswer({
      url: 'http://127.0.0.1:9000/photos',
      key: 'a',
      conditions: [['starts-with', '$Content-Type', 'image/']],
    });
    const form = assemblePostForm(parsePolicyAnswer(answer), FILE);
    expect(form.fields).toContainEqual(['Content-Type', 'image/png']);
    expect(form.bucket).toBe('photos');
  });

  it('sends no Content-Type the policy does not mention', () => {
    const form = assemblePostForm(parsePolicyAnswer(flatAnswer({ url: 'http://127.0.0.1:9000/photos', key: 'a' })), FILE);
    expect(form.fields.map(([name]) => name)).not.toContain('Content-Type');
  });
});
