// What a multipart task shows a UI: one status, with the figures a progress bar and a parts list need.

import type { UploadResult } from '../transport/xhr-transport';
import type { ActivePart } from './part-ledger';

export type MultipartStatus = 'creating' | 'uploading' | 'paused' | 'completing' | 'success' | 'error' | 'canceled';

export interface MultipartPartsState {
  readonly total: number;
  readonly done: number;
  readonly inFlight: number;
  /** Every part's size but the last one's. */
  readonly size: number;
  /** The parts on the way, with the bytes their current try has sent. */
  readonly active: readonly ActivePart[];
}

/**
 * Why the task moves nothing now: the browser is offline, and the upload goes on by itself on the
 * `online` event (a part or Complete whose connection went with the network is not counted as a
 * failed try).
 */
export type MultipartWait = { readonly reason: 'offline' };

export interface MultipartStateBase {
  readonly uploadId: string | undefined;
  readonly key: string | undefined;
  readonly parts: MultipartPartsState;
  /** Bytes uploaded: never less than before, never more than total. */
  readonly loaded: number;
  readonly total: number;
  /** Taken up from an upload this browser began before (a reload, a failure). */
  readonly resumed: boolean;
  /** Set while the upload waits for the network (to create it, send parts or complete it); undefined otherwise. */
  readonly waiting: MultipartWait | undefined;
}

export type MultipartState =
  | (MultipartStateBase & { readonly status: 'creating' | 'uploading' | 'paused' | 'completing' | 'canceled' })
  | (MultipartStateBase & { readonly status: 'success'; readonly result: UploadResult })
  | (MultipartStateBase & { readonly status: 'error'; readonly error: Error });

export interface MultipartTask {
  /** Resolves with the completed object; rejects with the failure, or UploadAbortedError on cancel. */
  readonly promise: Promise<UploadResult>;
  /** Stops the parts on the way (they start over on resume); finished parts are never sent again. */
  pause(): void;
  resume(): void;
  /** Stops everything and resolves once AbortMultipartUpload has answered (S3 then holds nothing). */
  cancel(): Promise<void>;
  readonly state: MultipartState;
  /** Called on every change of state; returns the unsubscribe function. */
  subscribe(listener: (state: MultipartState) => void): () => void;
}
