// The POST policy in words: decodePolicy says in a sentence what makes a policy unreadable (readPolicy's
// problem), and describeCondition quotes a condition the way S3 does. The upload loads this only when a
// policy is wrong; the emulator in mocks/ uses it always.

import { readPolicy, type PolicyCondition, type PolicyDecode, type PolicyReadProblem } from '../form/post-policy';

export function decodePolicy(base64: string): PolicyDecode {
  const read = readPolicy(base64);
  return read.ok ? read : { ok: false, problem: read.problem, detail: policyProblemDetail(read) };
}

/** One sentence on what makes the policy unreadable. */
export function policyProblemDetail(read: PolicyReadProblem): string {
  switch (read.problem) {
    case 'not-base64':
      return 'The policy is not standard base64 text.';
    case 'not-utf8':
      return 'The policy decodes from base64 to bytes that are not UTF-8.';
    case 'not-json':
      return `The policy decodes to text that is not JSON (${read.error}).`;
    case 'not-object':
      return 'The policy JSON is not an object with expiration and conditions.';
    case 'expiration':
      return `The policy's "expiration" must be an ISO 8601 UTC time such as 2025-01-01T12:00:00.000Z; got ${JSON.stringify(read.value)}.`;
    case 'conditions':
      return `The policy's "conditions" must be an array; got ${JSON.stringify(read.value)}.`;
    case 'condition': {
      const shown = JSON.stringify(read.condition);
      switch (read.fault) {
        case 'one-field':
          return `The condition ${shown} must name exactly one field.`;
        case 'string-value':
          return `The condition ${shown} must give the field a string value.`;
        case 'shape':
          return `The condition ${shown} is neither {"field": "value"} nor a three-element array.`;
        case 'byte-counts':
          return `The condition ${shown} needs two whole byte counts, minimum first.`;
        case 'operator': {
          const operator: unknown = Array.isArray(read.condition) ? read.condition[0] : undefined;
          return `The condition ${shown} uses ${JSON.stringify(operator)}; S3 knows "eq", "starts-with" and "content-length-range".`;
        }
        case 'field-name':
          return `The condition ${shown} must name its field with a leading $, as in "$key".`;
        case 'compare-string':
          return `The condition ${shown} must compare with a string.`;
      }
    }
  }
}

/** `["eq", "$acl", "private"]`, as S3 quotes a condition in "Policy Condition failed: ...". */
export function describeCondition(condition: PolicyCondition): string {
  switch (condition.kind) {
    case 'eq':
      return `["eq", "$${condition.name}", ${JSON.stringify(condition.value)}]`;
    case 'starts-with':
      return `["starts-with", "$${condition.name}", ${JSON.stringify(condition.prefix)}]`;
    case 'content-length-range':
      return `["content-length-range", ${condition.min}, ${condition.max}]`;
  }
}
