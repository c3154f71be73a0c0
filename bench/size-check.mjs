// The size budget of issue 6: the whole kit (a typical app's `import { Uploader } from
// 's3-direct-upload/react'`, which holds the core and the React layer) at most 6 KB gzipped, initial
// chunks only (the multipart engine's lazy chunk is loaded on first use). Exits 1 over budget, and prints
// which source modules weigh most, to plan the reduction.
//
//   node bench/size-check.mjs          (not wired into CI yet: the kit is far over budget today)
//   node bench/size-check.mjs core     (the breakdown of another target: core, react or uploader)

import { formatBytes, moduleBreakdown } from './bundle/measure.mjs';
import { BUDGET_BYTES, BUDGET_TARGET_ID, measureAll } from './bundle/report.mjs';

const TOP = 25;
const { kit } = await measureAll();

console.log(`Bundle sizes, initial chunks (budget ${formatBytes(BUDGET_BYTES)} = ${BUDGET_BYTES} bytes gzip):`);
for (const measured of kit) {
  const lazy = measured.lazy.min > 0 ? `, lazy ${formatBytes(measured.lazy.gzip)} gzip` : '';
  console.log(`  ${measured.label.padEnd(64)} ${String(measured.initial.gzip).padStart(6)} B gzip  ${String(measured.initial.min).padStart(6)} B min${lazy}`);
}

const checked = kit.find((measured) => measured.id === BUDGET_TARGET_ID);
if (!checked) throw new Error(`no ${BUDGET_TARGET_ID} target`);
const shownId = process.argv[2] ?? BUDGET_TARGET_ID;
const shown = kit.find((measured) => measured.id === shownId);
if (!shown) throw new Error(`no ${shownId} target (${kit.map((measured) => measured.id).join(', ')})`);
const modules = moduleBreakdown(shown);
console.log(`\nTop ${TOP} source modules of the ${shown.id} import by gzip contribution (of ${shown.initial.gzip} B gzip, ${modules.length} modules):`);
console.log(`  ${'module'.padEnd(44)} ${'gzip B'.padStart(7)} ${'min B'.padStart(7)} ${'share'.padStart(6)}  cumulative`);
let cumulative = 0;
for (const { module, gzip, min } of modules.slice(0, TOP)) {
  cumulative += gzip;
  const share = `${((gzip / shown.initial.gzip) * 100).toFixed(1)}%`;
  console.log(`  ${module.padEnd(44)} ${String(gzip).padStart(7)} ${String(min).padStart(7)} ${share.padStart(6)}  ${String(cumulative).padStart(6)}`);
}
console.log('  (gzip per module: its minified bytes, found through the source map, gzipped alone and scaled so a chunk\'s modules add up to its gzip size)');

// The lazy chunks: what each failure path, sign-my-policy, or multipart fetches on first use.
const lazyChunks = shown.chunks.filter((chunk) => !chunk.initial).sort((a, b) => b.gzip - a.gzip);
if (lazyChunks.length > 0) {
  console.log(`\nLazy chunks of the ${shown.id} import (fetched by import() on first use):`);
  for (const chunk of lazyChunks) {
    const shown = chunk.modules.filter((id) => id.startsWith('src/')).map((id) => id.replace(/^src\//, ''));
    const names = shown.length > 4 ? `${shown.slice(0, 4).join(', ')} +${shown.length - 4}` : shown.join(', ');
    console.log(`  ${String(chunk.gzip).padStart(6)} B gzip  ${names}`);
  }
}

const over = checked.initial.gzip - BUDGET_BYTES;
if (over > 0) {
  console.error(`\nOVER BUDGET: the <Uploader> import is ${checked.initial.gzip} B gzip, ${over} B over ${BUDGET_BYTES} B.`);
  process.exitCode = 1;
} else {
  console.log(`\nWithin budget: ${checked.initial.gzip} B of ${BUDGET_BYTES} B gzip.`);
}
