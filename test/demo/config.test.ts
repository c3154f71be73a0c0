// @vitest-environment node
// Which S3 the demo signs for, from the environment.
import { describe, expect, it } from 'vitest';
import { bucketUrl, publicConfig, readS3Settings } from '../../demo/server/config';

const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };

describe('readS3Settings', () => {
  it('uses the embedded S3 when no bucket or endpoint is configured, whatever AWS keys the shell has', () => {
    expect(readS3Settings({ ...KEYS })).toEqual({
      mode: 'embedded',
      bucket: 'demo-bucket',
      region: 'us-east-1',
      maxSize: 10 * 1024 * 1024,
      multipart: { threshold: 10 * 1024 * 1024 + 1, maxSize: 1024 * 1024 * 1024 },
    });
  });

  it('signs for AWS itself, virtual-hosted, without S3_ENDPOINT', () => {
    const settings = readS3Settings({ ...KEYS, S3_BUCKET: 'photos', S3_REGION: 'eu-west-1', DEMO_MAX_SIZE: '1000' });
    if (settings.mode !== 'external') throw new Error('expected external');
    expect(bucketUrl(settings.target)).toBe('https://photos.s3.eu-west-1.amazonaws.com/');
    expect(publicConfig(settings.target)).toEqual({
      mode: 'external',
      bucket: 'photos',
      region: 'eu-west-1',
      accessKeyId: KEYS.AWS_ACCESS_KEY_ID,
      endpoint: 'https://photos.s3.eu-west-1.amazonaws.com/',
      maxSize: 1000,
      multipartThreshold: 1001,
      multipartMaxSize: 1024 * 1024 * 1024,
    });
  });

  it('reads the multipart threshold and size limit the page is told', () => {
    const settings = readS3Settings({ ...KEYS, S3_BUCKET: 'photos', S3_REGION: 'eu-west-1', DEMO_MULTIPART_THRESHOLD: '8388608', DEMO_MULTIPART_MAX_SIZE: '52428800' });
    if (settings.mode !== 'external') throw new Error('expected external');
    expect(publicConfig(settings.target)).toMatchObject({ multipartThreshold: 8 * 1024 * 1024, multipartMaxSize: 50 * 1024 * 1024 });
    expect(readS3Settings({ DEMO_MULTIPART_THRESHOLD: '8388608' })).toMatchObject({ multipart: { threshold: 8 * 1024 * 1024 } });
    expect(() => readS3Settings({ DEMO_MULTIPART_MAX_SIZE: '1GB' })).toThrow('DEMO_MULTIPART_MAX_SIZE is "1GB"; it must be a positive whole number of bytes.');
  });

  it('signs path-style for a custom endpoint, and hands the session token of temporary keys to the page', () => {
    const settings = readS3Settings({
      ...KEYS,
      S3_ENDPOINT: 'http://127.0.0.1:9000/',
      S3_BUCKET: 'media',
      S3_REGION: 'us-east-1',
      AWS_SESSION_TOKEN: 'token',
    });
    if (settings.mode !== 'external') throw new Error('expected external');
    expect(publicConfig(settings.target)).toMatchObject({ endpoint: 'http://127.0.0.1:9000/media/', sessionToken: 'token' });
  });

  it('names every missing variable when a real S3 is half configured', () => {
    expect(() => readS3Settings({ S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(
      /S3_ENDPOINT is set, but S3_BUCKET, S3_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY are not/,
    );
    expect(() => readS3Settings({ ...KEYS, S3_BUCKET: 'photos' })).toThrow(/S3_BUCKET is set, but S3_REGION is not/);
  });

  it('refuses values it cannot use', () => {
    expect(() => readS3Settings({ ...KEYS, S3_BUCKET: 'b', S3_REGION: 'r', S3_ENDPOINT: '127.0.0.1:9000' })).toThrow(/http\(s\) URL/);
    expect(() => readS3Settings({ DEMO_MAX_SIZE: '10MB' })).toThrow(/DEMO_MAX_SIZE/);
  });
});
