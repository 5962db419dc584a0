#!/usr/bin/env node
// Prints the gzipped size of the initial bundle — the entry chunk plus every chunk it imports
// statically (what the browser must fetch before the first screen), found through Vite's
// manifest — and fails when the JS exceeds the budget (default 400 KB, LEADFLOW_JS_BUDGET_KB).
// Route chunks (React.lazy) and ECharts are listed separately; they load on demand.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`no ${manifestPath}: run "npm run build" first`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const budgetKb = Number(process.env.LEADFLOW_JS_BUDGET_KB ?? 400);

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const entries = Object.entries(manifest).filter(([, c]) => c.isEntry);
const initial = new Set();
const css = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const c of chunk.css ?? []) css.add(c);
  for (const imp of chunk.imports ?? []) visit(imp);
};
for (const [key] of entries) visit(key);

let jsTotal = 0;
console.log('initial JS (entry + static imports), gzipped:');
for (const file of [...initial].sort()) {
  const size = gz(file);
  jsTotal += size;
  console.log(`  ${file.padEnd(48)} ${kb(size).padStart(10)}`);
}
let cssTotal = 0;
for (const file of css) cssTotal += gz(file);
console.log(`  ${'total initial JS'.padEnd(48)} ${kb(jsTotal).padStart(10)}   (budget ${budgetKb} KB)`);
if (css.size) console.log(`  ${'initial CSS'.padEnd(48)} ${kb(cssTotal).padStart(10)}`);

const lazy = Object.values(manifest)
  .filter((c) => c.file.endsWith('.js') && !initial.has(c.file))
  .map((c) => ({ file: c.file, size: gz(c.file) }))
  .sort((a, b) => b.size - a.size);
console.log('on-demand chunks, gzipped:');
for (const c of lazy) console.log(`  ${c.file.padEnd(48)} ${kb(c.size).padStart(10)}`);

if (jsTotal > budgetKb * 1024) {
  console.error(`initial JS ${kb(jsTotal)} exceeds the ${budgetKb} KB budget`);
  process.exit(1);
}
