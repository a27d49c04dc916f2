// Launching Debian's Chromium with playwright-core (never a downloaded browser) and watching a
// page for everything that must fail a test: uncaught exceptions, console errors, failed or
// 4xx/5xx requests, and any request that leaves the page's own origin.
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM || '/usr/bin/chromium';

// Without these Chromium floods the closed network of these machines (see toolchain.md).
// Playwright adds --no-sandbox itself (needed as root) and --headless.
export const CHROMIUM_FLAGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extraArgs],
  });
}

/**
 * Attaches listeners to a page. Returns { problems, requests }: `problems` collects every
 * page error, console error, failed request, HTTP error and cross-origin request (each a
 * one-line string); `requests` lists every URL the page asked for.
 * Cross-origin requests are aborted, so a page that works here needs nothing from elsewhere.
 * `intercept: false` only watches (Chromium bypasses service workers while requests are
 * intercepted, so the offline test needs it): a cross-origin request is still a problem.
 */
export async function watchPage(page, allowedOrigin, { intercept = true } = {}) {
  const problems = [];
  const requests = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      problems.push(`console error: ${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('requestfailed', (req) => {
    if (!req.url().startsWith(allowedOrigin)) return; // already reported by the route below
    problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  page.on('crash', () => problems.push('page crashed'));
  if (!intercept) {
    page.on('request', (req) => {
      const url = req.url();
      requests.push(url);
      if (!url.startsWith(`${allowedOrigin}/`) && !url.startsWith('data:') && !url.startsWith('blob:')) {
        problems.push(`request to another origin: ${url}`);
      }
    });
    return { problems, requests };
  }
  await page.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith(`${allowedOrigin}/`)) return route.continue();
    problems.push(`request to another origin (aborted): ${url}`);
    return route.abort('blockedbyclient');
  });
  return { problems, requests };
}
