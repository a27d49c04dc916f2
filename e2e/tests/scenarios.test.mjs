// Guided scenarios end to end: each runs in a fresh page with the Next button, and the diagram's
// text alternative must show the documented calls in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from '../lib/harness.mjs';
import { assertInOrder, runScenario, sequence } from '../lib/app.mjs';

const CASES = [
  {
    id: 'volume-from-encrypted-snapshot',
    calls: [
      'User → EC2: CreateVolume',
      'EC2 → KMS: GenerateDataKeyWithoutPlaintext',
      'User → EC2: CreateSnapshot',
      'User → EC2: CreateVolume',
      'EC2 → KMS: GenerateDataKeyWithoutPlaintext',
      'User → EC2: AttachVolume',
      'EC2 → KMS: CreateGrant',
      'EC2 → KMS: Decrypt',
    ],
  },
  {
    id: 'ami-encrypt-during-launch',
    calls: ['User → EC2: RunInstances', 'EC2 → KMS: GenerateDataKeyWithoutPlaintext', 'EC2 → KMS: CreateGrant', 'EC2 → KMS: Decrypt'],
  },
  {
    id: 'refuse-kms-key-without-encrypted',
    calls: ['User → EC2: CreateVolume'],
    failure: /InvalidParameterDependency/,
  },
  {
    id: 'share-snapshot-copy-own-key',
    calls: ['User → EC2: ModifySnapshotAttribute', 'User → EC2: CopySnapshot', 'EC2 → KMS: ReEncrypt'],
    loose: true,
  },
];

for (const c of CASES) {
  test(`scenario ${c.id} draws its calls in order`, async (t) => {
    await withApp(t, {}, async ({ page, shot }) => {
      await runScenario(page, c.id);
      await page.getByText('Scenario complete.').waitFor();
      const lines = await sequence(page);
      assert.ok(lines.length >= c.calls.length, 'the diagram lists the calls');
      if (c.loose) {
        // Only the first two are certain; the re-encryption step may use Decrypt+GenerateDataKey.
        assertInOrder(lines, c.calls.slice(0, 2));
      } else {
        assertInOrder(lines, c.calls);
      }
      if (c.failure) {
        assert.ok(lines.some((l) => c.failure.test(l)), `a failure ${c.failure} is listed`);
      }
      // Every step ran as the scenario declares.
      assert.equal(await page.locator('.step-result.bad').count(), 0, 'no step had an unexpected outcome');
      await shot('done');
    });
  });
}

test('a learner can do a scenario step in the console', async (t) => {
  await withApp(t, {}, async ({ page }) => {
    await page.getByRole('tab', { name: 'Scenarios', exact: true }).click();
    await page.locator('[data-scenario="refuse-kms-key-without-encrypted"]').click();
    await page.getByRole('button', { name: 'Do it yourself', exact: true }).click();
    const input = page.getByLabel('Command', { exact: true });
    const draft = await input.inputValue();
    assert.ok(draft.length > 0, 'the step is in the console');
    await input.press('Enter');
    await page.getByText('Step 2 of', { exact: false }).waitFor();
    assert.equal(await page.locator('.step-result.ok').count(), 1, 'the typed step counts as done');
    assert.equal(await page.locator('.step-result.bad').count(), 0);
  });
});
