#!/usr/bin/env node
// Budget benchmark for issue 3, in headless Chromium (/usr/bin/chromium via playwright-core).
// Prints numbers; it never fails because of them (budgets are reported, not tested). It fails only
// when it cannot measure (no dist/, npm or the browser unavailable).
//
//   node e2e/bench.mjs [--json FILE] [--runs N]        (build dist/ first: scripts/test.sh build)
//
// (a) gzip -9 size of everything the page loads (wasm + JS + CSS, from dist/), next to gzip -9 of
//     mermaid.min.js from npm mermaid@11 (installed into .tools/bench in this run), and the ratio.
// (b) time from navigation start to the first interactive diagram (DIAGRAM_SELECTOR present).
// (c) N-message traces: loads ?bench=1000 and ?bench=10000 and reads what the app reports.
//
// Contract with the app for (c) (all optional; missing pieces print "not implemented by app"):
//   window.__benchStarted = true              set as soon as the app has seen ?bench=N
//   window.__benchResult = { messages, paintMs, domNodes, appendLongestTaskMs }
//                                             set once the N-message trace has been painted
//   window.__benchAppend()                    if a function: appends one message to the trace;
//                                             the bench calls it and measures long tasks itself
// Long tasks (PerformanceObserver 'longtask', > 50 ms on the main thread) are collected in every
// page from navigation on and printed with each measurement.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchChromium, watchPage } from './lib/chromium.mjs';
import { startStaticServer } from './lib/server.mjs';

const DIAGRAM_SELECTOR = '[data-testid=diagram] svg';
const APP_READY_SELECTOR = 'body > .app:not(#boot)'; // index.html's static first view is #boot
const FIRST_DIAGRAM_TIMEOUT_MS = 10_000;
const BENCH_SIZES = [1_000, 10_000];
const BENCH_START_GRACE_MS = 5_000; // no __benchStarted by then: the app does not implement ?bench
const BENCH_TIMEOUT_MS = 120_000;
const SIZE_BUDGET_RATIO = 0.15;
const FIRST_VIEW_GZIP_TARGET = 400_000;
const LONG_TASK_BUDGET_MS = 50;
const MERMAID_SPEC = 'mermaid@11';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const dist = resolve(root, process.env.E2E_DIST || 'dist');
const benchTools = join(root, '.tools', 'bench');

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const jsonOut = opt('--json', null);
const runs = Math.max(1, Number(opt('--runs', 3)));

const kb = (n) => (n == null ? 'n/a' : `${(n / 1024).toFixed(1)} KB`);
const ms = (n) => (typeof n === 'number' && Number.isFinite(n) ? `${n.toFixed(1)} ms` : 'n/a');
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const line = (r) => `  ${r.map((v, c) => String(v).padEnd(widths[c])).join('  ')}`;
  console.log(line(rows[0]));
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows.slice(1)) console.log(line(r));
}

/** Size of `gzip -9` output (the gzip CLI when present, else zlib at level 9). */
function gzipSize(file) {
  const probe = spawnSync('gzip', ['--version']);
  if (probe.status === 0) {
    return execFileSync('gzip', ['-9', '-c', file], { maxBuffer: 256 * 1024 * 1024 }).length;
  }
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

function ensureMermaid() {
  const pkg = join(benchTools, 'node_modules', 'mermaid', 'package.json');
  const have = existsSync(pkg) ? JSON.parse(readFileSync(pkg, 'utf8')).version : null;
  if (!have?.startsWith('11.')) {
    console.log(`bench: npm install ${MERMAID_SPEC} into ${benchTools} ...`);
    mkdirSync(benchTools, { recursive: true });
    if (!existsSync(join(benchTools, 'package.json'))) {
      writeFileSync(join(benchTools, 'package.json'), '{ "name": "bench-tools", "private": true }\n');
    }
    const r = spawnSync('npm', ['install', '--prefix', benchTools, '--no-audit', '--no-fund',
      '--ignore-scripts', MERMAID_SPEC], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`npm install ${MERMAID_SPEC} failed`);
  }
  const version = JSON.parse(readFileSync(pkg, 'utf8')).version;
  const file = join(benchTools, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');
  if (!existsSync(file)) throw new Error(`${file} not found in mermaid ${version}`);
  return { version, file, bytes: statSync(file).size, gzip: gzipSize(file) };
}

const LONGTASK_INIT = () => {
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch (err) {
    window.__longTasks = null; // not supported
  }
};
const longTaskSummary = (tasks) => {
  if (!Array.isArray(tasks)) return { count: null, maxMs: null, totalMs: null };
  return {
    count: tasks.length,
    maxMs: tasks.length ? Math.max(...tasks.map((t) => t.duration)) : 0,
    totalMs: tasks.reduce((a, t) => a + t.duration, 0),
  };
};
const fmtLong = (s) => (s.count == null ? 'n/a' : `${s.count} (max ${ms(s.maxMs)}, total ${ms(s.totalMs)})`);

async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(LONGTASK_INIT);
  const page = await context.newPage();
  return { context, page };
}

// ----------------------------------------------------------------------------------------------
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`bench: ${dist}/index.html missing: build first (scripts/test.sh build)`);
  process.exit(2);
}
const results = { date: new Date().toISOString(), node: process.version };
const mermaid = ensureMermaid();
const server = await startStaticServer({ mounts: { '/': dist } });
const browser = await launchChromium();
results.chromium = browser.version();
const base = server.url('/');
const warnings = [];

try {
  // (a) what the page loads -------------------------------------------------------------------
  const { context, page } = await newPage(browser);
  const watch = await watchPage(page, server.origin);
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForSelector(APP_READY_SELECTOR, { state: 'attached', timeout: 30_000 });
  await page.waitForTimeout(500); // let late (lazy) requests happen
  await context.close();
  warnings.push(...watch.problems.map((p) => `page problem on load: ${p}`));

  const loaded = [...new Set(watch.requests)]
    .filter((u) => u.startsWith(server.origin))
    .map((u) => decodeURIComponent(new URL(u).pathname))
    .map((p) => ({ path: p, file: join(dist, p.endsWith('/') ? `${p}index.html` : p) }))
    .filter((r) => existsSync(r.file));
  const counted = loaded.filter((r) => ['.wasm', '.js', '.css', '.html'].includes(extname(r.file))); // the HTML carries the CSS and the first view
  const assets = counted.map((r) => ({ path: r.path, bytes: statSync(r.file).size, gzip: gzipSize(r.file) }));
  const appGzip = assets.reduce((a, r) => a + r.gzip, 0);
  const appBytes = assets.reduce((a, r) => a + r.bytes, 0);
  const unloaded = readdirSync(dist).filter((f) => ['.wasm', '.js', '.css'].includes(extname(f)))
    .filter((f) => !counted.some((r) => r.path === `/${f}`));
  if (unloaded.length) warnings.push(`in dist/ but not loaded on start (not counted): ${unloaded.join(', ')}`);
  results.size = { assets, appBytes, appGzip, mermaid, ratio: appGzip / mermaid.gzip };

  // (b) time to first interactive diagram -----------------------------------------------------
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const { context: c, page: p } = await newPage(browser);
    await p.goto(base, { waitUntil: 'commit' });
    const mountedMs = await p.waitForFunction(
      (sel) => (document.querySelector(sel) ? performance.now() : null), APP_READY_SELECTOR,
      { polling: 'raf', timeout: 30_000 }).then((h) => h.jsonValue());
    // Once the diagram was absent, later runs do not wait for it again.
    const absent = samples.length > 0 && samples.every((s) => s.diagramMs == null);
    const diagramMs = absent ? null : await p.waitForFunction(
      (sel) => (document.querySelector(sel) ? performance.now() : null), DIAGRAM_SELECTOR,
      { polling: 'raf', timeout: FIRST_DIAGRAM_TIMEOUT_MS }).then((h) => h.jsonValue(), () => null);
    const nav = await p.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { domContentLoaded: n?.domContentLoadedEventEnd, load: n?.loadEventEnd, fcp: fcp?.startTime ?? null,
        longTasks: window.__longTasks };
    });
    samples.push({ mountedMs, diagramMs, ...nav, longTasks: longTaskSummary(nav.longTasks) });
    await c.close();
  }
  results.startup = {
    runs,
    selector: DIAGRAM_SELECTOR,
    firstDiagramMs: samples.every((s) => s.diagramMs == null) ? null : median(samples.map((s) => s.diagramMs)),
    mountedMs: median(samples.map((s) => s.mountedMs)),
    fcpMs: median(samples.map((s) => s.fcp)),
    domContentLoadedMs: median(samples.map((s) => s.domContentLoaded)),
    loadMs: median(samples.map((s) => s.load)),
    longTasks: samples[samples.length - 1].longTasks,
    samples,
  };

  // (c) N-message traces ----------------------------------------------------------------------
  results.traces = [];
  for (const n of BENCH_SIZES) {
    const { context: c, page: p } = await newPage(browser);
    const w = await watchPage(p, server.origin);
    const entry = { n, implemented: false };
    await p.goto(`${base}?bench=${n}`, { waitUntil: 'load' });
    await p.waitForSelector(APP_READY_SELECTOR, { state: 'attached', timeout: 30_000 });
    const started = await p.waitForFunction(() => window.__benchStarted || window.__benchResult, null,
      { timeout: BENCH_START_GRACE_MS }).then(() => true, () => false);
    if (started) {
      const t0 = Date.now();
      entry.app = await p.waitForFunction(() => window.__benchResult, null, { timeout: BENCH_TIMEOUT_MS })
        .then((h) => h.jsonValue(), () => null);
      entry.implemented = entry.app != null;
      entry.waitedMs = Date.now() - t0;
      entry.diagramNodes = await p.evaluate(
        (sel) => document.querySelector(sel)?.closest('[data-testid=diagram]')?.querySelectorAll('*').length ?? null,
        DIAGRAM_SELECTOR);
      entry.longTasksToResult = longTaskSummary(await p.evaluate(() => window.__longTasks));
      if (await p.evaluate(() => typeof window.__benchAppend === 'function')) {
        const mark = await p.evaluate(() => performance.now());
        // Run the append from a timer task of the page: work done directly inside a DevTools
        // evaluation is not reported as a long task.
        const appendMs = await p.evaluate(() => new Promise((ok) => {
          setTimeout(() => {
            const t = performance.now();
            window.__benchAppend();
            requestAnimationFrame(() => setTimeout(() => ok(performance.now() - t), 0));
          }, 0);
        }));
        await p.waitForTimeout(200); // let the longtask observer deliver
        const tasks = await p.evaluate((m) => (window.__longTasks ?? []).filter((t) => t.start >= m), mark);
        entry.append = { toNextFrameMs: appendMs, longTasks: longTaskSummary(tasks) };
      }
    }
    warnings.push(...w.problems.map((x) => `page problem with ?bench=${n}: ${x}`));
    results.traces.push(entry);
    await c.close();
  }
} finally {
  await browser.close();
  await server.close();
}

// ----------------------------------------------------------------------------------------------
const { size, startup, traces } = results;
console.log(`\nBenchmark  ${results.date}  Chromium ${results.chromium}  node ${results.node}\n`);
console.log('(a) Compressed size of what the page loads (gzip -9)');
table([
  ['file', 'bytes', 'gzip -9'],
  ...size.assets.map((a) => [a.path, a.bytes, a.gzip]),
  ['total app (wasm+js+html+css)', size.appBytes, size.appGzip],
  [`mermaid.min.js ${size.mermaid.version}`, size.mermaid.bytes, size.mermaid.gzip],
]);
console.log(`  ratio app / mermaid: ${size.ratio.toFixed(3)}  (issue 3's old budget < ${SIZE_BUDGET_RATIO}: ${size.ratio < SIZE_BUDGET_RATIO ? 'within budget' : 'OVER budget'})`);
console.log(`  everything the first view loads: ${size.appGzip} B gzip -9 (issue 16's target <= ${FIRST_VIEW_GZIP_TARGET}: ${size.appGzip <= FIRST_VIEW_GZIP_TARGET ? 'met' : 'NOT met'}); Lighthouse follows (e2e/lighthouse.mjs)\n`);

console.log(`(b) Startup (median of ${startup.runs} loads, ms since navigation start)`);
table([
  ['measure', 'value'],
  ['first contentful paint', ms(startup.fcpMs)],
  ['DOMContentLoaded', ms(startup.domContentLoadedMs)],
  ['load event', ms(startup.loadMs)],
  ['app mounted', ms(startup.mountedMs)],
  [`first interactive diagram (${DIAGRAM_SELECTOR})`, startup.firstDiagramMs == null ? `n/a (not present within ${FIRST_DIAGRAM_TIMEOUT_MS} ms)` : ms(startup.firstDiagramMs)],
  ['long tasks during startup', fmtLong(startup.longTasks)],
]);

console.log('\n(c) N-message traces (?bench=N; numbers reported by the app unless marked "measured")');
const field = (t, k) => (t.implemented ? (t.app[k] ?? 'not reported') : 'not implemented by app');
const num = (t, k) => (t.implemented && typeof t.app[k] === 'number' ? t.app[k] : null);
const ratio = (k) => {
  const [a, b] = traces.map((t) => num(t, k));
  return a && b != null ? (b / a).toFixed(2) : 'n/a';
};
table([
  ['measure', ...traces.map((t) => `N=${t.n}`), `ratio ${traces[1]?.n}/${traces[0]?.n}`],
  ['messages', ...traces.map((t) => field(t, 'messages')), ratio('messages')],
  ['time to next paint (paintMs)', ...traces.map((t) => (num(t, 'paintMs') != null ? ms(num(t, 'paintMs')) : field(t, 'paintMs'))), ratio('paintMs')],
  ['DOM nodes in diagram (domNodes)', ...traces.map((t) => field(t, 'domNodes')), ratio('domNodes')],
  ['DOM nodes in diagram (measured)', ...traces.map((t) => t.diagramNodes ?? 'n/a'), 'n/a'],
  ['longest task appending 1 msg (app)', ...traces.map((t) => (num(t, 'appendLongestTaskMs') != null ? ms(num(t, 'appendLongestTaskMs')) : field(t, 'appendLongestTaskMs'))), ''],
  ['append 1 msg to next frame (measured)', ...traces.map((t) => (t.append ? ms(t.append.toNextFrameMs) : 'n/a (no __benchAppend)')), ''],
  ['long tasks during append (measured)', ...traces.map((t) => (t.append ? fmtLong(t.append.longTasks) : 'n/a')), ''],
  ['long tasks until result (measured)', ...traces.map((t) => (t.longTasksToResult ? fmtLong(t.longTasksToResult) : 'n/a')), ''],
]);
const big = traces.find((t) => t.n === 10_000);
const appendMax = big?.append?.longTasks.maxMs ?? num(big ?? {}, 'appendLongestTaskMs');
console.log(`  append budget (no main-thread task over ${LONG_TASK_BUDGET_MS} ms at N=10000): ${appendMax == null ? 'n/a' : appendMax <= LONG_TASK_BUDGET_MS ? 'within budget' : 'OVER budget'}`);

if (warnings.length) {
  console.log('\nWarnings:');
  for (const w of warnings) console.log(`  - ${w}`);
}
if (jsonOut) {
  writeFileSync(jsonOut, `${JSON.stringify({ ...results, warnings }, null, 2)}\n`);
  console.log(`\nresults written to ${jsonOut}`);
}
