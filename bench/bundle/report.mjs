// The bundle figures as rows of the bench table, and the size budget of the issue (6 KB gzipped for the
// whole kit: the <Uploader> import, which holds the core and the React layer, is what is checked).

import {
  COMPETITOR_TARGETS,
  KIT_TARGETS,
  formatBytes,
  measureFineUploader,
  measureTarget,
  multipartSplit,
} from './measure.mjs';

export const BUDGET_BYTES = 6 * 1024;
export const BUDGET_TARGET_ID = 'uploader';

const HOW = 'Vite 8 (Rolldown + Oxc minify) app build, gzip -9; react, react-dom, @tanstack/react-query external';

const holdsMultipart = (chunk) => chunk.modules.some((id) => id.endsWith('src/core/multipart/multipart-upload.ts'));

export async function measureAll() {
  const kit = [];
  for (const target of KIT_TARGETS) kit.push(await measureTarget(target));
  const competitors = [];
  for (const target of COMPETITOR_TARGETS) competitors.push(await measureTarget(target));
  competitors.push(...measureFineUploader());
  return { kit, competitors };
}

export function bundleRows({ kit, competitors }) {
  const size = (measured) =>
    `${formatBytes(measured.initial.gzip)} gzip (${formatBytes(measured.initial.min)} min)` +
    (measured.lazy.min > 0 ? ` + lazy ${formatBytes(measured.lazy.gzip)} gzip` : '');
  const rows = kit.map((measured) => ({
    figure: `Bundle: ${measured.label}`,
    value: size(measured),
    target: measured.id === BUDGET_TARGET_ID ? `≤ ${formatBytes(BUDGET_BYTES)} gzip (whole kit)` : `≤ ${formatBytes(BUDGET_BYTES)} gzip`,
    how: HOW,
  }));
  const split = kit.map((measured) => ({ id: measured.id, reaches: measured.chunks.some(holdsMultipart), ...multipartSplit(measured) }));
  const describe = ({ id, reaches, split: lazy, lazyGzip }) =>
    !reaches ? `${id}: never reaches it` : lazy ? `${id}: lazy (${formatBytes(lazyGzip)} gzip on first multipart upload)` : `${id}: IN THE INITIAL CHUNK`;
  rows.push({
    figure: 'Bundle: multipart engine in a lazy chunk (import() in src/core/upload.ts)',
    value: `${split.every((item) => !item.reaches || item.split) ? 'yes' : 'no'}: ${split.map(describe).join('; ')}`,
    target: 'yes',
    how: HOW,
  });
  for (const measured of competitors) {
    rows.push({
      figure: `Bundle: ${measured.label}`,
      value: size(measured),
      target: '— (comparison)',
      how: measured.id.startsWith('fine') ? 'the package\'s own minified file, gzip -9' : HOW.replace('; react, react-dom, @tanstack/react-query external', ''),
    });
  }
  return rows;
}
