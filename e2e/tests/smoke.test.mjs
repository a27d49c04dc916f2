// Smoke test of the built app: it loads from dist/ at the root and under a sub-path, mounts
// without any page error or console error, loads nothing from another origin, and shows its
// diagram, console and tools.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASES, withApp } from '../lib/harness.mjs';

for (const base of ['root', 'subpath']) {
  test(`app loads (${base})`, { skip: !BASES[base] && `no ${base} server` }, async (t) => {
    await withApp(t, { base }, async ({ page, watch, baseUrl }) => {
      await page.locator('h1').first().waitFor();
      assert.match(await page.locator('h1').first().textContent(), /EBS & KMS encryption playground/);
      await page.locator('[data-testid=diagram] svg').first().waitFor();
      await page.getByLabel('Command', { exact: true }).waitFor();

      const prefix = new URL(baseUrl).pathname;
      const own = watch.requests.filter((u) => u.startsWith(new URL(baseUrl).origin));
      assert.ok(own.some((u) => u.endsWith('.wasm')), `the page loaded a .wasm file: ${own.join(', ')}`);
      for (const url of own) {
        assert.ok(new URL(url).pathname.startsWith(prefix), `${url} is served under ${prefix}`);
      }
    });
  });
}
