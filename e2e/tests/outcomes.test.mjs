// The encryption outcomes table: running a cell creates the volume of that row, and the row the
// last CreateVolume matched is highlighted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from '../lib/harness.mjs';
import { openTab, sequence } from '../lib/app.mjs';

test('running outcome rows highlights the matched row', async (t) => {
  await withApp(t, {}, async ({ page, shot }) => {
    await openTab(page, 'Outcomes');
    for (const [row, custom] of [[6, true], [3, false], [18, false]]) {
      const label = `Run row ${row} ${custom ? 'with' : 'without'} KmsKeyId`;
      await page.getByRole('button', { name: label, exact: true }).click();
      await page.waitForFunction(
        ([r]) => document.querySelector('tr.matched')?.getAttribute('data-row') === String(r),
        [row],
      );
      assert.match(await page.getByTestId('matched-row').textContent(), new RegExp(`row ${row} `));
    }
    assert.ok((await sequence(page)).some((l) => l.startsWith('User → EC2: CreateVolume')));
    await shot('matched');
  });
});
