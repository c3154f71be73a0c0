// The upload the diagnostics panel explains: the last file either uploader settled, with the policy
// source it ran under. The React layer keeps the form it sent to itself, so what the panel can show of
// that form depends on how far the upload got; formEvidence says which.
import type { UploadResult } from 's3-direct-upload';
import type { UploadOutcome } from 's3-direct-upload/react';
import type { BackendShape, UploadPlan } from './backend-shapes';
import type { Mistake } from './mistakes';

export type UploaderName = 'Drop-in <Uploader>' | 'Custom UI';

export interface Selection {
  readonly shape: BackendShape;
  readonly mistake: Mistake | undefined;
}

interface LatestBase {
  /** Grows with every settled upload, so each one gets its own rebuilt form. */
  readonly seq: number;
  readonly via: UploaderName;
  readonly file: File;
  readonly selection: Selection;
  readonly plan: UploadPlan;
}

export type LatestUpload =
  | (LatestBase & { readonly status: 'success'; readonly result: UploadResult })
  | (LatestBase & { readonly status: 'error'; readonly error: Error });

/** A settled file as the panel keeps it; undefined for a canceled one, which has nothing to explain. */
export function latestFrom(outcome: UploadOutcome, context: Omit<LatestBase, 'file'>): LatestUpload | undefined {
  if (outcome.status === 'success') return { ...context, file: outcome.file, status: 'success', result: outcome.result };
  if (outcome.status === 'error') return { ...context, file: outcome.file, status: 'error', error: outcome.error };
  return undefined;
}

export type FormEvidence =
  /** The kit built a form and sent it (S3 took it, refused it, or the network failed): ask again to show one like it. */
  | { readonly kind: 'rebuild' }
  /** The kit decoded the signed policy and refused the form before sending: the error carries the policy. */
  | { readonly kind: 'refused-form'; readonly policy: string }
  /** The kit refused the backend's answer itself (or failed elsewhere): there is no form to show. */
  | { readonly kind: 'none' };

export function formEvidence(latest: LatestUpload): FormEvidence {
  if (latest.status === 'success') return { kind: 'rebuild' };
  // By name rather than instanceof: every kit error class sets its name as a literal, and a name still
  // matches an error from a second copy of the package.
  const { error } = latest;
  switch (error.name) {
    case 'PolicyViolationError':
      return 'policy' in error && typeof error.policy === 'string' ? { kind: 'refused-form', policy: error.policy } : { kind: 'none' };
    // S3 (or the network on the way) answered a form the kit had built and sent.
    case 'S3ResponseError':
    case 'NetworkError':
      return { kind: 'rebuild' };
    default:
      return { kind: 'none' };
  }
}
