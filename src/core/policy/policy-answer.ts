// Checking a backend's policy answer, at once: the reading is policy-answer-reader.ts (which the upload
// itself uses, loading the explanations only when an answer is wrong); this is the synchronous form,
// for backends' own tests and for apps that check an answer before uploading.

import { policyAnswerError } from '../diagnostics/answer-problems';
import { readPolicyAnswer, type ParseOptions, type SignedPost } from './policy-answer-reader';

export type { ParseOptions, PolicyAnswerShape, SignedPost } from './policy-answer-reader';

/** The answer as a SignedPost; throws PolicyAnswerError saying what is wrong and how to fix it. */
export function parsePolicyAnswer(raw: unknown, options: ParseOptions = {}): SignedPost {
  const read = readPolicyAnswer(raw, options);
  if (!read.ok) throw policyAnswerError(read.problem);
  return read.post;
}
