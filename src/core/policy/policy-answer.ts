// Checking a backend's policy answer, at once: readPolicyAnswer (policy-answer-reader.ts) says what is
// wrong as data, which the upload explains on failure (diagnostics/explain.ts); this is the throwing
// form, with the words, for backends' own tests and for apps that check an answer before uploading.

import { explainNow } from '../diagnostics/explanations';
import { readPolicyAnswer, type ParseOptions, type SignedPost } from './policy-answer-reader';

export type { ParseOptions, PolicyAnswerShape, SignedPost } from './policy-answer-reader';

/** The answer as a SignedPost; throws PolicyAnswerError saying what is wrong and how to fix it. */
export function parsePolicyAnswer(raw: unknown, options: ParseOptions = {}): SignedPost {
  const read = readPolicyAnswer(raw, options);
  if (!read.ok) throw explainNow({ kind: 'answer', problem: read.problem });
  return read.post;
}
