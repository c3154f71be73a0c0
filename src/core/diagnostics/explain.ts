// explain(problem): the error for a Problem, its words loaded on the first failure (explanations.ts,
// the one lazy chunk of words), so that an upload that succeeds ships none of them. When the chunk
// cannot load (offline, or a new deploy removed it) the error still comes, of the same class and code,
// with the problem's facts in a short message and S3's own evidence where there is some.

import { ClockSkewError } from '../errors/ClockSkewError';
import { MultipartError } from '../errors/MultipartError';
import { PolicyAnswerError } from '../errors/PolicyAnswerError';
import { PolicyViolationError } from '../errors/PolicyViolationError';
import { S3ResponseError } from '../errors/S3ResponseError';
import type { S3UploadError } from '../errors/S3UploadError';
import { refusalDetails } from '../transport/s3-refusal';
import { answerProblemCode, endpointProblemCode, type Problem, type ProblemOf } from './problem';

export function explain(problem: ProblemOf<'answer' | 'endpoint'>): Promise<PolicyAnswerError>;
export function explain(problem: ProblemOf<'violation'>): Promise<PolicyViolationError>;
export function explain(problem: ProblemOf<'s3'>): Promise<S3ResponseError>;
export function explain(problem: ProblemOf<'too-large-for-post'>): Promise<MultipartError>;
export function explain(problem: ProblemOf<'clock-skew'>): Promise<ClockSkewError>;
export async function explain(problem: Problem): Promise<S3UploadError> {
  let explanations: typeof import('./explanations');
  try {
    explanations = await import('./explanations');
  } catch (loadError) {
    return unexplained(problem, loadError);
  }
  return explanations.explainNow(problem);
}

/** The error without its words: the same class, code and evidence. */
function unexplained(problem: Problem, loadError: unknown): S3UploadError {
  const hint = `The kit could not load its explanation (${String(loadError)}); reload the page to get it, or look the code up in the kit's README.`;
  const cause = { cause: loadError };
  switch (problem.kind) {
    case 'answer':
      return new PolicyAnswerError(answerProblemCode(problem.problem), `The backend's policy answer is unusable (${problem.problem.kind}); nothing was sent.`, hint, cause);
    case 'endpoint': {
      const failure = problem.problem;
      const status = failure.kind === 'unreachable' ? undefined : failure.status;
      return new PolicyAnswerError(endpointProblemCode(failure), `The ${failure.purpose} endpoint POST ${failure.url} failed (${failure.kind}${status === undefined ? '' : ` ${status}`}).`, hint, {
        ...(status === undefined ? {} : { status }),
        cause: 'error' in failure ? failure.error : loadError,
      });
    }
    case 'violation': {
      const kinds = problem.failures.map((failure) => failure.kind).join(', ');
      return new PolicyViolationError(problem.failures, problem.policy, { message: `S3 would refuse this form under its policy (${kinds}); nothing was sent.`, hint });
    }
    case 's3': {
      const { refusal } = problem;
      return new S3ResponseError({ status: refusal.status, method: refusal.method, url: refusal.url, s3: refusalDetails(refusal), hint, cause: loadError });
    }
    case 'too-large-for-post':
      return new MultipartError('multipart-required', `${problem.name} is ${problem.size} bytes, more than one POST can carry (5 GiB); nothing was sent.`, hint, cause);
    case 'clock-skew':
      return new ClockSkewError(problem.facts, { message: 'S3 refused the upload twice as dated too far from its clock (RequestTimeTooSkewed, more than 15 minutes).', hint });
  }
}
