// RDS end to end: the seed 003 scenario "encrypt an existing database" runs in Chromium, the
// diagram lists RDS's calls in order, and the Resources tab's RDS card shows the encrypted copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from '../lib/harness.mjs';
import { assertInOrder, runScenario, sequence } from '../lib/app.mjs';

test('scenario rds-encrypt-existing-database draws RDS calls in order and fills the RDS card', async (t) => {
  await withApp(t, {}, async ({ page, shot }) => {
    await runScenario(page, 'rds-encrypt-existing-database');
    await page.getByText('Scenario complete.').waitFor();
    const lines = await sequence(page);
    assertInOrder(lines, [
      'User → RDS: CreateDBInstance',
      'User → RDS: CreateDBSnapshot',
      'User → KMS: CreateKey',
      'User → RDS: CopyDBSnapshot',
      'RDS → KMS: DescribeKey',
      'RDS → KMS: CreateGrant',
      'RDS → KMS: GenerateDataKeyWithoutPlaintext',
      'RDS → KMS: Decrypt',
      'RDS → KMS: RetireGrant',
      'User → RDS: RestoreDBInstanceFromDBSnapshot',
      'RDS → KMS: CreateGrant',
      'RDS → KMS: GenerateDataKeyWithoutPlaintext',
      'RDS → KMS: Decrypt',
      'RDS → Host: LoadDataKey',
    ]);
    assert.equal(await page.locator('.step-result.bad').count(), 0, 'no step had an unexpected outcome');
    await shot('diagram');
    await page.getByRole('tab', { name: 'Resources', exact: true }).click();
    const card = page.getByTestId('rds-card');
    await card.waitFor();
    await card.scrollIntoViewIfNeeded();
    const text = await card.innerText();
    assert.match(text, /secure-db/);
    assert.match(text, /legacy-snap-encrypted/);
    assert.match(text, /encrypted · prod-finance-rds|encrypted · [0-9a-f]{8}/);
    assert.match(text, /data key in the database host's memory/);
    await card.screenshot({ path: 'e2e/screenshots/rds-card.png' });
  });
});
