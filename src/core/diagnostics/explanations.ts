// The one lazy entry of the kit's words (explain.ts loads it on the first failure): every Problem as
// the error a user sees, with what happened, what was expected and how to fix it. The synchronous
// public checks (parsePolicyAnswer, preparePost) import it directly.

import { ClockSkewError } from '../errors/ClockSkewError';
import type { MultipartError } from '../errors/MultipartError';
import type { PolicyAnswerError } from '../errors/PolicyAnswerError';
import { PolicyViolationError } from '../errors/PolicyViolationError';
import { S3ResponseError } from '../errors/S3ResponseError';
import type { S3UploadError } from '../errors/S3UploadError';
import { refusalDetails } from '../transport/s3-refusal';
import { policyAnswerError } from './answer-problems';
import { clockSkewWords } from './clock-skew';
import { endpointProblemError } from './endpoint-problems';
import { violationWords } from './policy-problems';
import type { Problem, ProblemOf } from './problem';
import { explainS3Error } from './s3-hints';
import { tooLargeForPost } from './too-large-for-post';

export function explainNow(problem: ProblemOf<'answer' | 'endpoint'>): PolicyAnswerError;
export function explainNow(problem: ProblemOf<'violation'>): PolicyViolationError;
export function explainNow(problem: ProblemOf<'s3'>): S3ResponseError;
export function explainNow(problem: ProblemOf<'too-large-for-post'>): MultipartError;
export function explainNow(problem: ProblemOf<'clock-skew'>): ClockSkewError;
export function explainNow(problem: Problem): S3UploadError;
export function explainNow(problem: Problem): S3UploadError {
  switch (problem.kind) {
    case 'answer':
      return policyAnswerError(problem.problem);
    case 'endpoint':
      return endpointProblemError(problem.problem);
    case 'violation':
      return new PolicyViolationError(problem.failures, problem.policy, violationWords(problem.failures));
    case 's3': {
      const { refusal } = problem;
      const s3 = refusalDetails(refusal);
      const hint = explainS3Error(s3, refusal.status, { fields: refusal.sent, url: refusal.url, bucket: refusal.bucket, key: refusal.key });
      return new S3ResponseError({ status: refusal.status, method: refusal.method, url: refusal.url, s3, hint });
    }
    case 'too-large-for-post':
      return tooLargeForPost(problem);
    case 'clock-skew':
      return new ClockSkewError(problem.facts, clockSkewWords(problem.facts));
  }
}
