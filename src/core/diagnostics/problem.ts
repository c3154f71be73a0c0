// What went wrong, as data: every failure the kit explains in words is one Problem, handed to explain()
// (explain.ts), which loads the words only then. The codes each problem ends in are here, with the data,
// so that an error keeps its class and code even when the words cannot be loaded.

import type { PolicyAnswerErrorCode } from '../errors/PolicyAnswerError';
import type { PolicyViolationErrorCode } from '../errors/PolicyViolationError';
import type { ClockSkewSigner } from '../errors/ClockSkewError';
import type { S3ResponseError } from '../errors/S3ResponseError';
import type { PolicyFailure } from '../form/post-policy';
import type { AnswerProblem } from '../policy/policy-answer-reader';
import type { S3Refusal } from '../transport/s3-refusal';

/** A failed call to the app's backend: no answer, an error status, or a body that is not JSON. `purpose` names the endpoint. */
export type EndpointProblem = { readonly purpose: string; readonly url: string } & (
  | { readonly kind: 'unreachable'; readonly error: unknown }
  | { readonly kind: 'http'; readonly status: number; readonly statusText: string; readonly text: string }
  | { readonly kind: 'empty'; readonly status: number }
  | { readonly kind: 'not-json'; readonly status: number; readonly text: string; readonly error: unknown }
);

export interface ClockSkewFacts {
  /** S3's clock when it refused (ServerTime, or the Date header), epoch ms. */
  readonly serverTime: number;
  /** The X-Amz-Date the upload carried, when known. */
  readonly requestTime: number | undefined;
  readonly deviceTime: number;
  readonly signer: ClockSkewSigner;
  readonly cause: S3ResponseError;
}

export type Problem =
  /** The backend's policy answer cannot make a form S3 accepts (PolicyAnswerError). */
  | { readonly kind: 'answer'; readonly problem: AnswerProblem }
  /** A call to the app's backend failed (PolicyAnswerError). */
  | { readonly kind: 'endpoint'; readonly problem: EndpointProblem }
  /** S3 would refuse the form under its policy (PolicyViolationError). */
  | { readonly kind: 'violation'; readonly failures: readonly [PolicyFailure, ...PolicyFailure[]]; readonly policy: string }
  /** S3 refused a request (S3ResponseError). */
  | { readonly kind: 's3'; readonly refusal: S3Refusal }
  /** A file over 5 GiB with no multipart upload configured (MultipartError). */
  | { readonly kind: 'too-large-for-post'; readonly name: string; readonly size: number }
  /** RequestTimeTooSkewed, and signing again did not help (ClockSkewError). */
  | { readonly kind: 'clock-skew'; readonly facts: ClockSkewFacts };

export type ProblemOf<K extends Problem['kind']> = Extract<Problem, { readonly kind: K }>;

const ANSWER_CODES: Readonly<Record<Exclude<AnswerProblem['kind'], 'signature'>, PolicyAnswerErrorCode>> = {
  'not-object': 'wrong-type',
  'fields-not-object': 'wrong-type',
  'not-text': 'wrong-type',
  'v2-names': 'v2-field-names',
  'no-url': 'missing-field',
  missing: 'missing-field',
  'not-a-url': 'bad-url',
  'url-protocol': 'bad-url',
  'host-not-allowed': 'bad-url',
  conflict: 'conflicting-fields',
  algorithm: 'bad-algorithm',
  credential: 'bad-credential',
  date: 'bad-date',
  'date-mismatch': 'date-mismatch',
  'region-mismatch': 'region-mismatch',
  policy: 'bad-policy',
};

export function answerProblemCode(problem: AnswerProblem): PolicyAnswerErrorCode {
  return problem.kind === 'signature' ? problem.check.code : ANSWER_CODES[problem.kind];
}

export function endpointProblemCode(problem: EndpointProblem): PolicyAnswerErrorCode {
  return problem.kind === 'unreachable' ? 'backend-unreachable' : problem.kind === 'http' ? 'backend-http-error' : 'backend-not-json';
}

const VIOLATION_CODES: Readonly<Record<PolicyFailure['kind'], PolicyViolationErrorCode>> = {
  expired: 'policy-expired',
  'condition-failed': 'condition-failed',
  'extra-fields': 'field-not-in-policy',
  'too-large': 'file-too-large',
  'too-small': 'file-too-small',
};

export function violationCode(failure: PolicyFailure): PolicyViolationErrorCode {
  return VIOLATION_CODES[failure.kind];
}
