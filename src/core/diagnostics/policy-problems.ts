// The POST policy in words: decodePolicy says in a sentence what makes a policy unreadable (readPolicy's
// problem), describeCondition quotes a condition the way S3 does, and violationWords says how a form
// breaks its policy (PolicyViolationError). The emulator in mocks/ uses the first two always.

import { readPolicy, type PolicyCondition, type PolicyDecode, type PolicyFailure, type PolicyReadProblem } from '../form/post-policy';

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

/** The first failure in words; the count of the others, which `failures` lists. */
export function violationWords(failures: readonly [PolicyFailure, ...PolicyFailure[]]): { message: string; hint: string } {
  const { message, hint } = failureWords(failures[0]);
  const more = failures.length > 1 ? ` (${failures.length - 1} more problem${failures.length > 2 ? 's' : ''} in .failures)` : '';
  return { message: message + more, hint };
}

function failureWords(failure: PolicyFailure): { message: string; hint: string } {
  switch (failure.kind) {
    case 'expired':
      return {
        message: `The upload policy expired at ${failure.expiration.toISOString()}; S3 refuses expired policies.`,
        hint: 'Ask the backend for a fresh policy (retry the upload), and check that the backend and this device agree on the time.',
      };
    case 'condition-failed': {
      const condition = describeCondition(failure.condition);
      const field = failure.condition.kind === 'content-length-range' ? 'file' : failure.condition.name;
      const actual = failure.actual === undefined || failure.actual === '' ? 'nothing' : JSON.stringify(failure.actual);
      return {
        message: `The policy requires ${condition} but the upload would send ${actual} for ${field}.`,
        hint: `Make the backend sign a policy whose condition on ${field} allows this value, or send the value the policy expects.`,
      };
    }
    case 'extra-fields':
      return {
        message: `The upload would send ${failure.fields.join(', ')}, which no condition of the policy covers; S3 rejects every form field the policy does not name.`,
        hint: `Add a condition for ${failure.fields.map((f) => `$${f}`).join(', ')} to the policy on the backend (["starts-with", "$${failure.fields[0]}", ""] allows any value), or stop sending the field.`,
      };
    case 'too-large':
      return {
        message: `The file is ${failure.size} bytes; the policy allows at most ${failure.max} (content-length-range).`,
        hint: 'Choose a smaller file, or raise the maximum of content-length-range in the policy the backend signs.',
      };
    case 'too-small':
      return {
        message: `The file is ${failure.size} bytes; the policy requires at least ${failure.min} (content-length-range).`,
        hint: 'Choose a larger file, or lower the minimum of content-length-range in the policy the backend signs.',
      };
  }
}
