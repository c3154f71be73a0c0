// What is wrong with a policy answer, in words: each AnswerProblem (policy-answer-reader.ts) as the
// PolicyAnswerError a user sees, with what was received (names and types only, never a value: see
// describe-shape.ts).

import { PolicyAnswerError } from '../errors/PolicyAnswerError';
import { answerProblemCode } from './problem';
import { describeShape } from './describe-shape';
import { policyProblemDetail } from './policy-problems';
import { SIGNATURE_V2_HINT } from '../policy/signature';
import { SIGV4_ALGORITHM } from '../policy/credential';
import { ROLE_FIELD, type AnswerProblem } from '../policy/policy-answer-reader';

export function policyAnswerError(problem: AnswerProblem): PolicyAnswerError {
  const received = describeShape(problem.answer);
  // The code is the problem's (answerProblemCode), with or without these words.
  const error = (message: string, hint: string): PolicyAnswerError =>
    new PolicyAnswerError(answerProblemCode(problem), message, hint, { received });
  switch (problem.kind) {
    case 'not-object':
      return error(`The policy answer must be a JSON object with url and the signed fields; got ${received}.`,
        'Return the object your S3 signer produced (for the AWS SDK: the { url, fields } of createPresignedPost) as JSON.');
    case 'fields-not-object':
      return error(`"fields" must be an object of form fields; got ${describeShape(problem.fields)}.`,
        'Return fields as an object whose keys are form field names and whose values are strings.');
    case 'v2-names':
      return error(`The policy answer uses Signature Version 2 field names (${problem.names.join(', ')}); S3 rejects a form that mixes them with Signature Version 4, and regions opened after 2014 accept only Version 4.`,
        SIGNATURE_V2_HINT);
    case 'no-url':
      return error(`The policy answer has no url to post the form to. Received ${received}.`,
        'Return the bucket URL as "url" (createPresignedPost and generate_presigned_post both do).');
    case 'not-a-url':
      return error(`The upload url ${JSON.stringify(problem.value)} is not a URL.`,
        'Return an absolute https URL of the bucket, such as https://my-bucket.s3.eu-west-1.amazonaws.com/.');
    case 'url-protocol':
      return error(`The upload url uses ${problem.protocol}, which cannot be a bucket; only http: and https: are sent to.`,
        'Return the https URL of the bucket.');
    case 'host-not-allowed':
      return error(`The upload url points at ${problem.hostname}, which is not in allowedHosts (${problem.allowed.join(', ')}).`,
        `Add ${problem.hostname} to allowedHosts if it is your bucket's endpoint; otherwise the backend is returning a URL it should not.`);
    case 'not-text':
      return error(`The field ${problem.name} must be a string; got ${describeShape(problem.value)}.`,
        `Send ${problem.name} as text in the policy answer.`);
    case 'conflict':
      return error(`${problem.name} appears twice in the policy answer, in different case, with different values; S3 would read only one of them.`,
        `Return ${problem.name} once, with the value the policy was signed for.`);
    case 'missing': {
      const names = problem.roles.map((role) => ROLE_FIELD[role]).join(', ');
      return error(`The policy answer has no ${names}; S3 needs url, key, Policy, X-Amz-Signature, X-Amz-Credential and X-Amz-Date. Received ${received}.`,
        `Make the backend return ${names} (for example the { url, fields } of the AWS SDK's createPresignedPost, or boto3's generate_presigned_post).`);
    }
    case 'algorithm':
      return error(`X-Amz-Algorithm is ${JSON.stringify(problem.algorithm)}; S3 POST forms signed with Signature Version 4 must say "${SIGV4_ALGORITHM}".`,
        `Set X-Amz-Algorithm to ${SIGV4_ALGORITHM} in the form fields and in the policy's conditions.`);
    case 'credential': {
      const found = problem.problem;
      const why: Record<typeof found.kind, string> = {
        parts: `it has ${found.kind === 'parts' ? found.parts : 0} parts separated by "/"`,
        'access-key': 'the access key id is empty',
        date: 'its date is not a real yyyymmdd date',
        service: `its service is "${found.kind === 'service' ? found.service : ''}" instead of "s3"`,
        terminator: 'it does not end with aws4_request',
      };
      return error(`X-Amz-Credential ${JSON.stringify(problem.credential)} is malformed: ${why[found.kind]}; S3 wants <access key id>/<yyyymmdd>/<region>/s3/aws4_request.`,
        'Build the credential as accessKeyId + "/" + yyyymmdd + "/" + region + "/s3/aws4_request", with the same date and region used to derive the signing key.');
    }
    case 'date':
      return error(`X-Amz-Date is ${JSON.stringify(problem.date)}; S3 wants the ISO 8601 basic form yyyymmddTHHMMSSZ, such as 20151229T000000Z.`,
        'Format the signing time in UTC as yyyyMMdd\'T\'HHmmss\'Z\' (no dashes, colons or milliseconds).');
    case 'date-mismatch':
      return error(`X-Amz-Date is on ${problem.date.slice(0, 8)} but the credential scope is dated ${problem.scopeDate}; S3 derives the signing key from the scope's date, so both must be the same UTC day.`,
        'Take the credential date and X-Amz-Date from one UTC timestamp on the backend.');
    case 'region-mismatch':
      return error(`The credential is scoped to region ${problem.signed} but the upload URL is the ${problem.endpoint} endpoint; S3 would answer "the region '${problem.signed}' is wrong; expecting '${problem.endpoint}'".`,
        `Sign with the bucket's region (${problem.endpoint}) on the backend, or post to the endpoint of ${problem.signed} if the bucket lives there.`);
    case 'policy':
      return error(`The policy is unusable: ${policyProblemDetail(problem.read)}`,
        'Return the policy as base64 of the UTF-8 JSON document {"expiration": ..., "conditions": [...]} that was signed.');
    case 'signature':
      return error(problem.check.message, problem.check.hint);
  }
}
