// Starting a multipart upload, or taking up one this browser began before (a reload, a crash, a
// failure): the stored upload is reconciled with ListParts, and S3's list wins over the stored one,
// since a part may have reached S3 after the page last wrote, or S3 may have dropped the whole upload
// (completed, aborted, expired by a lifecycle rule: NoSuchUpload), in which case it starts afresh.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html

import { unquoteEtag } from '../transport/etag';
import type { ChecksumAlgorithm, CreatedUpload, CreateInput, FinishedPart, MultipartBackend } from './backends/backend';
import { partRange, planParts, type MultipartPlan } from './plan';
import type { ResumeStore, StoredUpload } from './resume-store';

export interface OpenContext {
  readonly file: File;
  readonly backend: MultipartBackend;
  readonly store: ResumeStore | undefined;
  readonly fingerprint: string;
  readonly create: CreateInput;
  /** The plan for a fresh upload; a resumed one keeps the part size it started with. */
  readonly plan: MultipartPlan;
  readonly checksumAlgorithm: ChecksumAlgorithm | undefined;
  /** For ListParts only: CreateMultipartUpload is never abandoned halfway, so that cancel can abort what it made. */
  readonly signal: AbortSignal;
}

export interface OpenedUpload {
  readonly upload: CreatedUpload;
  readonly plan: MultipartPlan;
  readonly done: readonly FinishedPart[];
  readonly resumed: boolean;
  readonly createdAt: number;
}

export async function openUpload(context: OpenContext): Promise<OpenedUpload> {
  const resumed = await resumeStored(context);
  if (resumed) return resumed;
  const upload = await context.backend.create(context.create, { signal: new AbortController().signal });
  const createdAt = Date.now();
  context.store?.save(context.fingerprint, storedUpload(upload, context.plan, context.checksumAlgorithm, [], createdAt));
  return { upload, plan: context.plan, done: [], resumed: false, createdAt };
}

/** The stored upload as S3 still holds it, or undefined (and the entry forgotten) when it cannot go on. */
async function resumeStored(context: OpenContext): Promise<OpenedUpload | undefined> {
  const { store, fingerprint, backend } = context;
  const entry = store?.load(fingerprint);
  if (!store || !entry) return undefined;
  const upload: CreatedUpload = { uploadId: entry.uploadId, key: entry.key, bucket: entry.bucket };

  const plan = samePlan(context, entry);
  if (!plan || entry.checksumAlgorithm !== context.checksumAlgorithm) {
    // Made with another part size or checksum than this upload would use: it cannot be finished as it
    // is, so it is dropped from S3 too rather than left billed.
    store.forget(fingerprint);
    await backend.abort(upload, { signal: context.signal }).catch(() => undefined);
    return undefined;
  }
  const listed = await backend.listParts(upload, { signal: context.signal });
  if (!listed) {
    store.forget(fingerprint);
    return undefined;
  }

  const storedByNumber = new Map(entry.parts.map((part) => [part.partNumber, part]));
  const done: FinishedPart[] = [];
  for (const part of listed) {
    if (part.partNumber < 1 || part.partNumber > plan.partCount || part.size !== partRange(plan, part.partNumber).size) continue;
    const kept = storedByNumber.get(part.partNumber);
    const checksum = part.checksum ?? (kept && unquoteEtag(kept.etag) === unquoteEtag(part.etag) ? kept.checksum : undefined);
    // Complete must list every part's checksum; a part whose checksum is known nowhere is sent again.
    if (context.checksumAlgorithm !== undefined && checksum === undefined) continue;
    done.push({ partNumber: part.partNumber, etag: part.etag, ...(checksum === undefined ? {} : { checksum }) });
  }
  store.save(fingerprint, storedUpload(upload, plan, context.checksumAlgorithm, done, entry.createdAt));
  return { upload, plan, done, resumed: true, createdAt: entry.createdAt };
}

function samePlan(context: OpenContext, entry: StoredUpload): MultipartPlan | undefined {
  if (entry.partSize === context.plan.partSize) return context.plan;
  try {
    const plan = planParts(context.file.size, { partSize: entry.partSize });
    return plan.partSize === entry.partSize ? plan : undefined;
  } catch {
    return undefined;
  }
}

export function storedUpload(
  upload: CreatedUpload,
  plan: MultipartPlan,
  checksumAlgorithm: ChecksumAlgorithm | undefined,
  parts: readonly FinishedPart[],
  createdAt: number,
): StoredUpload {
  return { uploadId: upload.uploadId, key: upload.key, bucket: upload.bucket, partSize: plan.partSize, checksumAlgorithm, parts, createdAt };
}
