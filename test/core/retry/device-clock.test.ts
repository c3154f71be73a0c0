// This device's clock runs 30 minutes ahead of S3's (here S3 and the backend are 30 minutes behind the
// real time, the device on it). The kit learns the difference from S3's first RequestTimeTooSkewed and
// from then on uses S3's time: to date a policy it composes, and to check a policy's expiry before sending.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PolicyViolationError, uploadFile, type PolicySigner, type UploadWait } from '../../../src/index';
import { forgetClockOffset } from '../../../src/core/retry/clock-offset';
import { CREDENTIALS, signPolicy } from '../../support/aws-signer';
import { FAULT_BUCKET, FAULT_REGION, installUploadProgress, s3Error, startFaultServer, type FaultServer } from '../../support/fault-server';
import { formField, KEY_PREFIX, policyBackend, randomFile, sameBytes, uploadPosts } from './fault-fixtures';

const BEHIND_MS = 30 * 60_000;
const s3Clock = () => new Date(Date.now() - BEHIND_MS);

let server: FaultServer;
let restoreXhr: () => void;
beforeEach(async () => {
  forgetClockOffset();
  server = await startFaultServer({ now: s3Clock });
  restoreXhr = installUploadProgress(server);
  // S3 checks X-Amz-Date against its clock: more than 15 minutes off is RequestTimeTooSkewed.
  server.inject({
    name: 'skewed',
    when: ({ method, url }) => method === 'POST' && url.pathname === `/${FAULT_BUCKET}/`,
    times: Number.POSITIVE_INFINITY,
    action: {
      kind: 'answer',
      response: ({ body }) => {
        const date = formField(body, 'X-Amz-Date') ?? '';
        const sent = Date.parse(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
        if (Math.abs(s3Clock().getTime() - sent) <= 15 * 60_000) return undefined;
        return s3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
          RequestTime: date,
          ServerTime: s3Clock().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          MaxAllowedSkewMilliseconds: '900000',
        });
      },
    },
  });
});
afterEach(async () => {
  restoreXhr();
  await server.stop();
  forgetClockOffset();
});

/** The "sign my policy" backend: signs the document the kit composed, whatever its dates. */
const signer: PolicySigner = async (document) => {
  const policy = Buffer.from(JSON.stringify(document)).toString('base64');
  const credential = document.conditions.map((condition) => ('x-amz-credential' in condition ? condition['x-amz-credential'] : undefined)).find(Boolean) ?? '';
  return { policy, signature: signPolicy(policy, CREDENTIALS.secretAccessKey, credential.split('/')[1] ?? '', FAULT_REGION) };
};

it('learns S3\'s time from RequestTimeTooSkewed, then dates and checks policies by it', async () => {
  // A policy the backend signed for 10 minutes by its (S3's) clock looks expired to this device.
  const backend = policyBackend(server, { clockOffsetMs: -BEHIND_MS });
  const early = await uploadFile(randomFile(1024).file, { policy: backend.policy }).catch((caught: unknown) => caught);
  expect(early).toBeInstanceOf(PolicyViolationError);
  expect(early).toMatchObject({ code: 'policy-expired' });
  expect(uploadPosts(server)).toEqual([]);

  // Sign my policy: the kit dates the document by the device's clock, S3 refuses it with its own time,
  // and the kit dates it again by S3's.
  const signPolicyOptions = {
    signatureEndpoint: signer,
    bucket: FAULT_BUCKET,
    region: FAULT_REGION,
    accessKeyId: CREDENTIALS.accessKeyId,
    endpoint: server.bucketUrl,
  };
  const { file, bytes } = randomFile(64 * 1024, 'a.jpg');
  const waits: UploadWait[] = [];
  await uploadFile(file, { policy: { signPolicy: signPolicyOptions }, key: `${KEY_PREFIX}\${filename}`, retry: { attempts: 1 }, onWaiting: (wait) => waits.push(wait) });
  expect(sameBytes(server.s3.store.getObject(FAULT_BUCKET, `${KEY_PREFIX}a.jpg`)?.body, bytes)).toBe(true);
  expect(uploadPosts(server).map((post) => post.fault ?? post.status)).toEqual(['skewed', 201]);
  expect(waits).toEqual([{ reason: 'resign', cause: 'clock-skew' }]);

  // From now on, the kit's clock is S3's: a composed policy is dated right the first time...
  await uploadFile(randomFile(1024, 'b.jpg').file, { policy: { signPolicy: signPolicyOptions }, key: `${KEY_PREFIX}\${filename}` });
  expect(uploadPosts(server).map((post) => post.fault ?? post.status)).toEqual(['skewed', 201, 201]);

  // ...and the backend's 10-minute policy is no longer called expired before sending.
  const { file: late, bytes: lateBytes } = randomFile(1024, 'c.jpg');
  await uploadFile(late, { policy: backend.policy });
  expect(sameBytes(server.s3.store.getObject(FAULT_BUCKET, `${KEY_PREFIX}c.jpg`)?.body, lateBytes)).toBe(true);
  expect(uploadPosts(server)).toHaveLength(4);
});
