// The access keys the emulator knows, and S3's answers about a credential: an unknown key id, a
// session token that does not belong to it, a credential scope that does not parse. Shared by the
// POST form (post-auth.ts) and by signed requests (sigv4-request.ts), which S3 answers alike.
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList

import type { CredentialProblem } from '../src/core/policy/credential';
import { s3Failure, type S3Failure } from './s3-failure';

export interface EmulatedCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The credential for `accessKeyId`, or S3's refusal of it. `token` is the X-Amz-Security-Token sent, if any. */
export function findCredential(
  credentials: readonly EmulatedCredential[],
  accessKeyId: string,
  token: string | undefined,
): EmulatedCredential | S3Failure {
  const credential = credentials.find((candidate) => candidate.accessKeyId === accessKeyId);
  // Temporary (STS) key ids do not exist for S3 without their session token.
  if (!credential || (credential.sessionToken !== undefined && token === undefined)) {
    return s3Failure(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', [
      ['AWSAccessKeyId', accessKeyId],
    ]);
  }
  if (token !== undefined && token !== credential.sessionToken) {
    return s3Failure(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.', [['Token-0', token]]);
  }
  return credential;
}

/**
 * S3's words for a credential scope that does not parse. A POST form says them alone, the
 * Authorization header after "The authorization header is malformed; ", a presigned URL after
 * "Error parsing the X-Amz-Credential parameter; ".
 */
export function credentialMessage(problem: CredentialProblem): string {
  switch (problem.kind) {
    case 'parts':
      return 'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".';
    case 'access-key':
      return 'a non-empty Access Key (AKID) must be provided in the credential.';
    case 'date':
      return `incorrect date format "${problem.date}". This date in the credential must be in the format "yyyyMMdd".`;
    case 'service':
      return `incorrect service "${problem.service}". This endpoint belongs to "s3".`;
    case 'terminator':
      return `incorrect terminal "${problem.terminator}". This endpoint uses "aws4_request".`;
  }
}

/** "the region 'x' is wrong; expecting 'y'", S3's words in all three places, each with its own prefix. */
export function wrongRegionMessage(region: string, expected: string): string {
  return `the region '${region}' is wrong; expecting '${expected}'`;
}
