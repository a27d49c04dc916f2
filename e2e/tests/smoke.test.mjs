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

      // Keyboard: the tools are a WAI-ARIA tab list (arrows move, the panel follows).
      await page.getByRole('tab', { name: 'Act', exact: true }).focus();
      await page.keyboard.press('ArrowRight');
      const resources = page.getByRole('tab', { name: 'Resources', exact: true });
      assert.equal(await resources.getAttribute('aria-selected'), 'true');
      assert.ok(await resources.evaluate((el) => el === document.activeElement), 'focus moved with the selection');
      await page.getByTestId('resources').waitFor();
      await page.keyboard.press('End');
      assert.equal(await page.getByRole('tab', { name: 'CloudTrail', exact: true }).getAttribute('aria-selected'), 'true');

      const prefix = new URL(baseUrl).pathname;
      const own = watch.requests.filter((u) => u.startsWith(new URL(baseUrl).origin));
      assert.ok(own.some((u) => u.endsWith('.wasm')), `the page loaded a .wasm file: ${own.join(', ')}`);
      for (const url of own) {
        assert.ok(new URL(url).pathname.startsWith(prefix), `${url} is served under ${prefix}`);
      }
    });
  });
}
