// <Uploader>'s UploadRow with a render counter in front: the bench server (bench/browser/server.mjs)
// hands this module to src/react/Uploader.tsx in place of ./UploadRow. The wrapper is React.memo over the
// same props, so it renders exactly when the real (memoized) row would; it then renders the real row.

import * as React from 'react';
import { UploadRow as RealUploadRow, type UploadRowProps } from '../../src/react/UploadRow';
import type { Upload } from '../../src/core/queue/upload-store';

export interface RowRenderCounts {
  /** Every render of a row, mounts included. */
  renders: number;
  /** Renders of a row whose `upload` is the very object it rendered last time: nothing of its file changed. */
  idleRenders: number;
}

export const rowRenderCounts: RowRenderCounts = { renders: 0, idleRenders: 0 };
const lastSeen = new Map<string, Upload>();

export function resetRowRenderCounts(): void {
  rowRenderCounts.renders = 0;
  rowRenderCounts.idleRenders = 0;
  lastSeen.clear();
}

export const UploadRow = React.memo(function CountingUploadRow(props: UploadRowProps) {
  const { upload } = props;
  rowRenderCounts.renders += 1;
  if (lastSeen.get(upload.id) === upload) rowRenderCounts.idleRenders += 1;
  lastSeen.set(upload.id, upload);
  return <RealUploadRow {...props} />;
});
