// The size budget of issue 6: the whole kit (a typical app's `import { Uploader } from
// 's3-direct-upload/react'`, which holds the core and the React layer) at most 6 KB gzipped, initial
// chunks only (the multipart engine's lazy chunk is loaded on first use). Exits 1 over budget, and prints
// which source modules weigh most, to plan the reduction.
//
//   node bench/size-check.mjs          (not wired into CI yet: the kit is far over budget today)

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
const modules = moduleBreakdown(checked);
console.log(`\nTop ${TOP} source modules of the <Uploader> import by gzip contribution (of ${checked.initial.gzip} B gzip, ${modules.length} modules):`);
console.log(`  ${'module'.padEnd(44)} ${'gzip B'.padStart(7)} ${'min B'.padStart(7)} ${'share'.padStart(6)}  cumulative`);
let cumulative = 0;
for (const { module, gzip, min } of modules.slice(0, TOP)) {
  cumulative += gzip;
  const share = `${((gzip / checked.initial.gzip) * 100).toFixed(1)}%`;
  console.log(`  ${module.padEnd(44)} ${String(gzip).padStart(7)} ${String(min).padStart(7)} ${share.padStart(6)}  ${String(cumulative).padStart(6)}`);
}
console.log('  (gzip per module: its minified bytes, found through the source map, gzipped alone and scaled so a chunk\'s modules add up to its gzip size)');

const over = checked.initial.gzip - BUDGET_BYTES;
if (over > 0) {
  console.error(`\nOVER BUDGET: the <Uploader> import is ${checked.initial.gzip} B gzip, ${over} B over ${BUDGET_BYTES} B.`);
  process.exitCode = 1;
} else {
  console.log(`\nWithin budget: ${checked.initial.gzip} B of ${BUDGET_BYTES} B gzip.`);
}
