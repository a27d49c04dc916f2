// Smoke test of the built app: it loads from dist/ at the root and under a sub-path, mounts
// without any page error or console error, loads nothing from another origin, and reacts to
// a click and to the keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASES, withApp } from '../lib/harness.mjs';

for (const base of ['root', 'subpath']) {
  test(`app loads and responds (${base})`, { skip: !BASES[base] && `no ${base} server` }, async (t) => {
    await withApp(t, { base }, async ({ page, watch, baseUrl }) => {
      await assert.doesNotReject(page.locator('h1').first().waitFor());

      const prefix = new URL(baseUrl).pathname;
      const own = watch.requests.filter((u) => u.startsWith(new URL(baseUrl).origin));
      assert.ok(own.some((u) => u.endsWith('.wasm')), `the page loaded a .wasm file: ${own.join(', ')}`);
      for (const url of own) {
        assert.ok(new URL(url).pathname.startsWith(prefix), `${url} is served under ${prefix}`);
      }

      const button = page.getByRole('button').first();
      const before = await button.textContent();
      await button.click();
      await assert.doesNotReject(
        page.waitForFunction((b) => document.querySelector('button')?.textContent !== b, before),
        'the button reacts to a click',
      );
      const afterClick = await button.textContent();
      await button.focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction((b) => document.querySelector('button')?.textContent !== b, afterClick);
    });
  });
}
