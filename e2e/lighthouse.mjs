#!/usr/bin/env node
// First-load benchmark for issue 16: Lighthouse (mobile preset) on the built playground and on a
// Mermaid anchor page drawing the same trace, side by side in one run. Prints medians and ratios;
// never fails because of a number (it fails only when it cannot measure).
//
//   E2E_DIST=dist BENCH_TRACE=trace.mmd node e2e/lighthouse.mjs [--runs 3] [--encoding br|gzip]
//
// BENCH_TRACE is a Mermaid sequenceDiagram (scripts/test.sh bench makes it with the runner:
// `ebs-kms run --trace mermaid examples/scripts/encrypted-volume-from-snapshot.sh`).
// Installs pinned lighthouse@12.2.3 (runs on Node 20) and mermaid@11 into .tools/bench (ignored
// by git). Both pages are served from 127.0.0.1 by e2e/lib/server.mjs the way a compressing host
// serves them: precompressed .br/.gz when present (scripts/precompress.mjs), else gzip on the
// fly; `--encoding gzip` never serves brotli (the original measurement).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './lib/server.mjs';

const LIGHTHOUSE = '12.2.3';
const MERMAID = '11';
const CHROME_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
// Targets from issue 16 (printed next to the medians, never asserted).
const TARGETS = { score: 0.97, lcpMs: 1500, ttiRatio: 0.4, tbtMs: 100, cls: 0.02, firstViewBytes: 400_000 };

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const dist = resolve(root, process.env.E2E_DIST || 'dist');
const tools = join(root, '.tools', 'bench');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const runs = Math.max(1, Number(opt('--runs', process.env.BENCH_RUNS || 3)));
const encoding = opt('--encoding', process.env.BENCH_ENCODING || 'br');
const traceFile = process.env.BENCH_TRACE;
const jsonOut = opt('--json', null);

function fail(msg) {
  console.error(`lighthouse bench: ${msg}`);
  process.exit(2);
}
if (!existsSync(join(dist, 'index.html'))) fail(`${dist}/index.html missing: build first (scripts/test.sh build)`);
if (!traceFile || !existsSync(traceFile)) fail('BENCH_TRACE must name the Mermaid trace file (scripts/test.sh bench makes it)');

function installed(name) {
  const pkg = join(tools, 'node_modules', name, 'package.json');
  return existsSync(pkg) ? JSON.parse(readFileSync(pkg, 'utf8')).version : null;
}
function ensureTools() {
  const want = [];
  if (installed('lighthouse') !== LIGHTHOUSE) want.push(`lighthouse@${LIGHTHOUSE}`);
  if (!installed('mermaid')?.startsWith(`${MERMAID}.`)) want.push(`mermaid@${MERMAID}`);
  if (!want.length) return;
  console.log(`lighthouse bench: npm install ${want.join(' ')} into ${tools}`);
  mkdirSync(tools, { recursive: true });
  if (!existsSync(join(tools, 'package.json'))) {
    writeFileSync(join(tools, 'package.json'), '{ "name": "bench-tools", "private": true }\n');
  }
  const r = spawnSync('npm', ['install', '--prefix', tools, '--no-audit', '--no-fund', '--save-exact', ...want],
    { stdio: 'inherit' });
  if (r.status !== 0) fail(`npm install ${want.join(' ')} failed`);
}

/** The anchor: mermaid.min.js drawing the trace, as a docs page would embed it. */
function buildAnchor() {
  const dir = join(root, 'target', 'bench-anchor');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(tools, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js'), join(dir, 'mermaid.min.js'));
  const esc = readFileSync(traceFile, 'utf8').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  writeFileSync(join(dir, 'index.html'), `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mermaid anchor: the same trace</title>
</head>
<body>
<h1>Creating an encrypted volume from a snapshot</h1>
<pre class="mermaid">
${esc}</pre>
<script src="mermaid.min.js"></script>
<script>mermaid.initialize({ startOnLoad: true });</script>
</body>
</html>
`);
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'precompress.mjs'), dir], { stdio: 'inherit' });
  if (r.status !== 0) fail('precompressing the anchor failed');
  return dir;
}

/** One Lighthouse run (asynchronous: the pages' server runs in this process). */
async function lighthouse(url) {
  const cli = join(tools, 'node_modules', 'lighthouse', 'cli', 'index.js');
  const child = spawn(process.execPath, [cli, url, '--output=json', '--output-path=stdout', '--quiet',
    '--only-categories=performance', `--chrome-flags=${CHROME_FLAGS.join(' ')}`],
  { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || '/usr/bin/chromium' } });
  const out = [];
  const err = [];
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => err.push(d));
  const status = await new Promise((ok) => child.on('close', ok));
  if (status !== 0) fail(`lighthouse ${url} exited ${status}: ${Buffer.concat(err).toString().slice(-2000)}`);
  const lhr = JSON.parse(Buffer.concat(out).toString());
  if (lhr.runtimeError) fail(`lighthouse ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const a = lhr.audits;
  const requests = a['network-requests']?.details?.items ?? [];
  const critical = requests.filter((q) => ['Document', 'Stylesheet'].includes(q.resourceType));
  return {
    score: lhr.categories.performance.score,
    fcpMs: a['first-contentful-paint'].numericValue,
    lcpMs: a['largest-contentful-paint'].numericValue,
    ttiMs: a.interactive?.numericValue ?? null,
    tbtMs: a['total-blocking-time'].numericValue,
    cls: a['cumulative-layout-shift'].numericValue,
    siMs: a['speed-index'].numericValue,
    transferred: a['total-byte-weight'].numericValue,
    paintBytes: critical.reduce((s, q) => s + (q.transferSize ?? 0), 0),
    requests: requests.length,
    warnings: lhr.runWarnings ?? [],
  };
}

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((p, q) => p - q);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const line = (r) => `  ${r.map((v, c) => String(v).padEnd(widths[c])).join('  ')}`;
  console.log(line(rows[0]));
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows.slice(1)) console.log(line(r));
}

ensureTools();
const anchor = buildAnchor();
const server = await startStaticServer({ mounts: { '/': dist, '/anchor/': anchor },
  compress: encoding === 'gzip' ? 'gzip' : true });
const pages = { app: server.url('/'), anchor: server.url('/anchor/') };
const samples = { app: [], anchor: [] };
try {
  for (let i = 0; i < runs; i++) {
    for (const k of ['app', 'anchor']) {
      const s = await lighthouse(pages[k]);
      samples[k].push(s);
      console.log(`lighthouse bench: run ${i + 1}/${runs} ${k}: score ${s.score}, LCP ${Math.round(s.lcpMs)} ms, TTI ${Math.round(s.ttiMs)} ms, TBT ${Math.round(s.tbtMs)} ms, CLS ${s.cls.toFixed(3)}, ${s.transferred} B`);
    }
  }
} finally {
  await server.close();
}

const med = Object.fromEntries(Object.entries(samples).map(([k, xs]) =>
  [k, Object.fromEntries(Object.keys(xs[0]).filter((f) => typeof xs[0][f] === 'number').map((f) => [f, median(xs.map((x) => x[f]))]))]));
const { app, anchor: mm } = med;
const sec = (v) => `${(v / 1000).toFixed(2)} s`;
const msf = (v) => `${Math.round(v)} ms`;
const kib = (v) => `${(v / 1024).toFixed(1)} KiB`;
const ratio = (f) => (mm[f] ? (app[f] / mm[f]).toFixed(2) : 'n/a');
const met = (ok) => (ok ? 'met' : 'NOT met');
console.log(`\nLighthouse ${LIGHTHOUSE}, mobile preset (simulated slow 4G, 4x CPU), median of ${runs}; served with ${encoding === 'gzip' ? 'gzip only' : 'brotli or gzip (precompressed files)'}\n`);
table([
  ['measure', 'playground', 'Mermaid page', 'ratio', 'target', ''],
  ['performance score', app.score.toFixed(2), mm.score.toFixed(2), ratio('score'), `>= ${TARGETS.score}`, met(app.score >= TARGETS.score)],
  ['First Contentful Paint', sec(app.fcpMs), sec(mm.fcpMs), ratio('fcpMs'), '', ''],
  ['Largest Contentful Paint', sec(app.lcpMs), sec(mm.lcpMs), ratio('lcpMs'), `<= ${sec(TARGETS.lcpMs)}`, met(app.lcpMs <= TARGETS.lcpMs)],
  ['Time to Interactive', sec(app.ttiMs), sec(mm.ttiMs), ratio('ttiMs'), `<= ${TARGETS.ttiRatio} x Mermaid`, met(app.ttiMs <= TARGETS.ttiRatio * mm.ttiMs)],
  ['Total Blocking Time', msf(app.tbtMs), msf(mm.tbtMs), ratio('tbtMs'), `<= ${TARGETS.tbtMs} ms`, met(app.tbtMs <= TARGETS.tbtMs)],
  ['Cumulative Layout Shift', app.cls.toFixed(3), mm.cls.toFixed(3), '', `<= ${TARGETS.cls}`, met(app.cls <= TARGETS.cls)],
  ['Speed Index', sec(app.siMs), sec(mm.siMs), ratio('siMs'), '', ''],
  ['transferred (all requests)', kib(app.transferred), kib(mm.transferred), ratio('transferred'), '', ''],
  ['first view bytes (everything loaded on start)', `${app.transferred} B`, `${mm.transferred} B`, ratio('transferred'), `<= ${TARGETS.firstViewBytes} B`, met(app.transferred <= TARGETS.firstViewBytes)],
  ['bytes before first paint (HTML + CSS)', kib(app.paintBytes), kib(mm.paintBytes), ratio('paintBytes'), '', ''],
]);
const warnings = [...new Set(Object.values(samples).flat().flatMap((s) => s.warnings))];
if (warnings.length) {
  console.log('\nLighthouse warnings:');
  for (const w of warnings) console.log(`  - ${w}`);
}
if (jsonOut) {
  writeFileSync(jsonOut, `${JSON.stringify({ encoding, runs, samples, medians: med }, null, 2)}\n`);
  console.log(`\nresults written to ${jsonOut}`);
}
