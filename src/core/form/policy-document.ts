// The S3 POST policy, whole: reading it and judging a form (post-policy.ts), and saying what is wrong
// with it (policy-document-problems.ts). For the emulator in mocks/ and for tests; the kit's own upload
// imports post-policy.ts, so that it loads the sentences only when a policy is wrong.

export * from './post-policy';
export { decodePolicy, describeCondition } from '../diagnostics/policy-problems';
