#!/usr/bin/env node
// Runs the e2e suite: serves the built app on 127.0.0.1 (dist/ at "/", and the sub-path build
// at "/play/" when present), then runs every e2e/tests/*.test.mjs with node's test runner, one
// file at a time, headless Chromium from /usr/bin/chromium.
//
//   node e2e/run.mjs [--grep REGEX] [FILE...]
//   env: E2E_DIST (default dist), E2E_SUBPATH_DIST (default target/dist-play),
//        E2E_SUBPATH (default /play/), E2E_TIMEOUT_MS (whole run, default 600000)
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './lib/server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const dist = resolve(root, process.env.E2E_DIST || 'dist');
const subDist = resolve(root, process.env.E2E_SUBPATH_DIST || 'target/dist-play');
const subPath = process.env.E2E_SUBPATH || '/play/';
const timeoutMs = Number(process.env.E2E_TIMEOUT_MS || 600_000);

const args = process.argv.slice(2);
let grep = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--grep') grep = args[++i];
  else files.push(resolve(args[i]));
}
const testDir = join(here, 'tests');
const testFiles = files.length
  ? files
  : readdirSync(testDir).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join(testDir, f));

if (!existsSync(join(dist, 'index.html'))) {
  console.error(`e2e: ${dist}/index.html is missing: build first (scripts/test.sh build, or trunk build --release)`);
  process.exit(2);
}
const mounts = { '/': dist };
if (existsSync(join(subDist, 'index.html'))) mounts[subPath] = subDist;
else console.warn(`e2e: ${subDist} not built: sub-path (${subPath}) tests are skipped`);

const server = await startStaticServer({ mounts, log: true });
console.log(`e2e: serving ${Object.entries(mounts).map(([p, d]) => `${server.url(p)} <- ${d}`).join(', ')}`);

const nodeArgs = ['--test', '--test-reporter=spec'];
// One file at a time (each launches a browser). The flag exists from node 20.10.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major > 20 || (major === 20 && minor >= 10)) nodeArgs.push('--test-concurrency=1');
if (grep) nodeArgs.push(`--test-name-pattern=${grep}`);
const child = spawn(process.execPath, [...nodeArgs, ...testFiles], {
  stdio: 'inherit',
  env: {
    ...process.env,
    E2E_BASE_URL: server.url('/'),
    E2E_SUBPATH_URL: mounts[subPath] ? server.url(subPath) : '',
  },
});
const watchdog = setTimeout(() => {
  console.error(`e2e: no result after ${timeoutMs} ms, stopping the test run`);
  child.kill('SIGTERM');
}, timeoutMs);
const code = await new Promise((ok) => child.on('exit', (c, sig) => ok(c ?? (sig ? 1 : 0))));
clearTimeout(watchdog);
await server.close();
console.log(code === 0 ? 'e2e: all tests passed' : `e2e: FAILED (exit ${code})`);
process.exit(code);
