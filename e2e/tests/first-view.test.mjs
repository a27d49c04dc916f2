// The static first view in index.html (#boot, from scripts/first-view.mjs): it is painted before
// the wasm arrives, and the app takes its place without a layout shift. The wasm response is held
// back until the static view has been measured, then released; every landmark must keep its box
// (within 1 px) and the page's cumulative layout shift must stay at or under 0.02.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BASES, SCREENSHOT_DIR } from '../lib/harness.mjs';
import { launchChromium, watchPage } from '../lib/chromium.mjs';

const LANDMARKS = ['header.top', 'header.top h1', '.who .seg button', '.toolbar > *', 'aside.side',
  '.tabs [role=tab]', 'section.center', '.dg-toolbar', '.dg-scroll', '.dg-empty p', '.dg-empty button',
  '.details', '.console'];
const STALE = 'the static first view differs from the app: rebuild, run `node scripts/first-view.mjs`, rebuild';

const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 412, height: 823 } };

/** Boxes (x, y, width, height; whole px) of every match of `sel` under `root`, in the page. */
const boxes = (page, root, sel) => page.evaluate((q) => [...document.querySelectorAll(q)].map((el) => {
  const r = el.getBoundingClientRect();
  return [Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)];
}), `${root} ${sel}`);

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`first view is static and the app replaces it in place (${name})`, { skip: !BASES.root && 'no server' }, async (t) => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport });
      await context.addInitScript(() => {
        window.__cls = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
        }).observe({ type: 'layout-shift', buffered: true });
      });
      const page = await context.newPage();
      const watch = await watchPage(page, new URL(BASES.root).origin);
      let release;
      const held = new Promise((ok) => { release = ok; });
      await page.route('**/*.wasm', async (route) => { await held; await route.continue(); });

      await page.goto(BASES.root, { waitUntil: 'domcontentloaded' });
      await page.locator('#boot .dg-empty').waitFor();
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `first-view-${name}-static.png`) });
      const before = {};
      for (const sel of LANDMARKS) before[sel] = await boxes(page, '#boot', sel);

      release();
      await page.locator('body > .app:not(#boot) [data-testid=diagram] svg').first().waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `first-view-${name}-mounted.png`) });
      assert.equal(await page.locator('#boot').count(), 0, 'the static first view is gone once the app mounted');
      for (const sel of LANDMARKS) {
        const after = await boxes(page, '.app', sel);
        assert.equal(after.length, before[sel].length, `${sel}: ${STALE}`);
        after.forEach((b, i) => b.forEach((v, k) => assert.ok(Math.abs(v - before[sel][i][k]) <= 1,
          `${sel} #${i}: static ${before[sel][i]} vs app ${b}: ${STALE}`)));
      }
      const cls = await page.evaluate(() => window.__cls);
      t.diagnostic(`cumulative layout shift across the mount: ${cls.toFixed(4)}`);
      assert.ok(cls <= 0.02, `cumulative layout shift ${cls} over 0.02`);
      assert.deepEqual(watch.problems, []);
      await context.close();
    } finally {
      await browser.close();
    }
  });
}
