// One upload as the page shows it, in the kit's two phases: prepareUpload ("signing": the backend's
// answer, parsed and checked against the policy) and sendUpload ("uploading", with progress). Then the
// object is fetched back through a presigned GET. Framework-free: the page renders the states.
import {
  prepareUpload,
  sendUpload,
  type PreparedUpload,
  type UploadProgress,
  type UploadResult,
} from 's3-direct-upload';
import { fetchReadUrl } from './api';
import type { UploadPlan } from './backend-shapes';

export type UploadState =
  | { readonly status: 'idle' }
  | { readonly status: 'signing'; readonly file: File }
  | { readonly status: 'uploading'; readonly file: File; readonly prepared: PreparedUpload; readonly progress: UploadProgress }
  | {
      readonly status: 'done';
      readonly file: File;
      readonly prepared: PreparedUpload;
      readonly result: UploadResult;
      /** The object, readable for a few minutes; undefined when the backend could not sign a read. */
      readonly readUrl: string | undefined;
      readonly readUrlError: string | undefined;
    }
  | { readonly status: 'failed'; readonly file: File; readonly prepared: PreparedUpload | undefined; readonly error: unknown };

export async function runUpload(
  file: File,
  plan: UploadPlan,
  options: { readonly signal: AbortSignal; readonly onState: (state: UploadState) => void },
): Promise<void> {
  const { signal, onState } = options;
  let prepared: PreparedUpload | undefined;
  try {
    onState({ status: 'signing', file });
    prepared = await prepareUpload(file, { policy: plan.policy, ...(plan.key !== undefined ? { key: plan.key } : {}), signal });
    const ready = prepared;
    onState({ status: 'uploading', file, prepared: ready, progress: { loaded: 0, total: file.size } });
    const result = await sendUpload(ready, {
      signal,
      onProgress: (progress) => onState({ status: 'uploading', file, prepared: ready, progress }),
    });
    let readUrl: string | undefined;
    let readUrlError: string | undefined;
    try {
      readUrl = await fetchReadUrl(result.key, signal);
    } catch (error) {
      readUrlError = error instanceof Error ? error.message : String(error);
    }
    onState({ status: 'done', file, prepared: ready, result, readUrl, readUrlError });
  } catch (error) {
    onState({ status: 'failed', file, prepared, error });
  }
}
