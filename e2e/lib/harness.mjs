// Shared harness for the e2e tests (node:test + playwright-core). `withApp` opens the built app
// in a fresh browser context, runs the test body, takes a screenshot, and fails the test on any
// page error, console error, failed request or cross-origin request collected meanwhile.
// The server is started by e2e/run.mjs, which passes its URLs in E2E_BASE_URL / E2E_SUBPATH_URL.
import { after } from 'node:test';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, watchPage } from './chromium.mjs';

export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

/** Where the app is served: at the root, and under a sub-path (a `--public-url /play/` build). */
export const BASES = {
  root: process.env.E2E_BASE_URL || '',
  subpath: process.env.E2E_SUBPATH_URL || '',
};

/** The app has mounted once this matches (until then the body holds index.html's static first view, #boot). */
export const APP_READY_SELECTOR = process.env.E2E_READY_SELECTOR || 'body > .app:not(#boot)';

let browserPromise = null;
function browser() {
  browserPromise ??= launchChromium();
  return browserPromise;
}
after(async () => {
  if (browserPromise) await (await browserPromise).close();
});

const slug = (s) => s.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();

/**
 * Runs `body({ page, context, watch, shot, baseUrl })` against the app.
 * options: base ('root' | 'subpath'), query (appended to the base URL, e.g. '?bench=10'),
 * viewport, colorScheme, reducedMotion, allowProblems (regexps of expected problems),
 * serviceWorker (true: requests are watched, not intercepted, so the service worker serves them).
 * `shot(name)` saves e2e/screenshots/<test>-<name>.png; a final screenshot is always taken.
 */
export async function withApp(t, options, body) {
  const { base = 'root', query = '', viewport = { width: 1280, height: 800 },
    colorScheme = 'light', reducedMotion = 'no-preference', allowProblems = [], serviceWorker = false,
    ready = APP_READY_SELECTOR } = options;
  const baseUrl = BASES[base];
  if (!baseUrl) throw new Error(`no server URL for base '${base}': run the suite with e2e/run.mjs`);
  const origin = new URL(baseUrl).origin;

  const context = await (await browser()).newContext({ viewport, colorScheme, reducedMotion });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const watch = await watchPage(page, origin, { intercept: !serviceWorker });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const name = slug(base === 'root' || t.name.includes(base) ? t.name : `${t.name}-${base}`);
  const shot = async (label) => {
    const path = join(SCREENSHOT_DIR, `${name}${label ? `-${slug(label)}` : ''}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  };

  let failure = null;
  try {
    await page.goto(baseUrl + query, { waitUntil: 'load' });
    await page.waitForSelector(ready, { state: 'attached' });
    await body({ page, context, watch, shot, baseUrl });
  } catch (err) {
    failure = err;
  }
  try {
    const path = await shot(failure ? 'FAILED' : '');
    t.diagnostic(`screenshot: ${path}`);
  } catch (err) {
    t.diagnostic(`screenshot failed: ${err.message}`);
  }
  await context.close();

  const problems = watch.problems.filter((p) => !allowProblems.some((re) => re.test(p)));
  if (failure || problems.length) {
    const report = problems.length ? `\npage problems:\n  ${problems.join('\n  ')}` : '';
    if (failure) {
      failure.message += report;
      throw failure;
    }
    throw new Error(`the page reported problems:${report.replace(/^\npage problems:/, '')}`);
  }
}
