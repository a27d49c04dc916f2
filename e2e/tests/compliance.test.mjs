// Seed 003 end to end (issue 12): the compliance-design scenario draws its calls in order (the
// administrator refused a data key and a decryption, the app roles refused managing their keys,
// each team writing its data), its last step shows CloudTrail filtered by each key, the
// CloudTrail tab filters by the key chosen; and the S3/EBS/RDS comparison runs a cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from '../lib/harness.mjs';
import { assertInOrder, openTab, runScenario, sequence } from '../lib/app.mjs';

const SHOTS = process.env.I12_SHOTS || '';
// The records' text, without the zero-width spaces that let a principal's name wrap at "/".
const texts = async (rows) => (await rows.allTextContents()).map((r) => r.replace(/\u200B/g, ''));

test('the compliance design: refusals in order, CloudTrail filtered by key', async (t) => {
  await withApp(t, { viewport: { width: 1500, height: 900 } }, async ({ page, shot }) => {
    await runScenario(page, 'compliance-key-strategy');
    await page.getByText('Scenario complete.').waitFor();
    assert.equal(await page.locator('.step-result.bad').count(), 0, 'every step as the scenario says');
    const lines = await sequence(page);
    assertInOrder(lines, [
      'User → KMS: CreateKey',
      'User → KMS: CreateKey',
      'User → KMS: CreateKey',
      'User → KMS: EnableKeyRotation',
      'User → KMS: GenerateDataKey (failed: AccessDeniedException)',
      'User → S3: PutObject',
      'S3 → KMS: GenerateDataKey',
      'User → S3: GetObject (failed: AccessDenied)',
      'S3 → KMS: Decrypt (failed: AccessDeniedException)',
      'User → KMS: DisableKey (failed: AccessDeniedException)',
      'User → KMS: ScheduleKeyDeletion (failed: AccessDeniedException)',
      'User → EC2: CreateVolume',
      'EC2 → KMS: GenerateDataKeyWithoutPlaintext',
      'User → RDS: CreateDBInstance',
      'RDS → KMS: CreateGrant',
      'RDS → KMS: GenerateDataKeyWithoutPlaintext',
    ]);

    // The last step's CloudTrail view, on the S3 key first.
    const trail = page.getByTestId('trail');
    await trail.waitFor();
    const rows = trail.getByTestId('trail-row');
    const s3 = await texts(rows);
    assert.equal(s3.length, 7, s3.join('\n'));
    assert.ok(s3.some((r) => r.includes('assumed-role/StatementsApp/reporting') && r.includes('s3.amazonaws.com')), s3.join('\n'));
    assert.equal(await trail.locator('tr.refused').count(), 3, 'GenerateDataKey and Decrypt as the admin, DisableKey as the app');
    assert.ok(s3.every((r) => !r.includes('LedgerApp')), 'no other team in the S3 key\'s records');
    if (SHOTS) {
      await trail.scrollIntoViewIfNeeded();
      await page.locator('aside.side').screenshot({ path: `${SHOTS}/i12-scenario-trail.png` });
    }

    // Another key: the ledger team's records.
    await page.locator('[data-trail-key="alias/prod-finance-rds"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=trail]')?.textContent.includes('LedgerApp'));
    const rds = await texts(page.getByTestId('trail-row'));
    assert.ok(rds.some((r) => r.includes('ScheduleKeyDeletion') && r.includes('AccessDeniedException')), rds.join('\n'));
    assert.ok(rds.some((r) => r.includes('CreateGrant') && r.includes('rds.amazonaws.com')), rds.join('\n'));

    // A record selects its call: the details panel explains the refusal.
    await page.getByTestId('trail-row').filter({ hasText: 'ScheduleKeyDeletion' }).getByRole('button').click();
    await page.getByTestId('details-auth').waitFor();
    assert.match(await page.getByTestId('details').textContent(), /ScheduleKeyDeletion/);

    // The CloudTrail tab, filtered by the key chosen in its selector.
    await page.getByRole('button', { name: 'Open in the CloudTrail tab' }).click();
    const panel = page.getByTestId('cloudtrail');
    await panel.waitFor();
    assert.equal(await page.getByRole('tab', { name: 'CloudTrail', exact: true }).getAttribute('aria-selected'), 'true');
    assert.match(await panel.getByTestId('trail-key').evaluate((s) => s.options[s.selectedIndex].text), /alias\/prod-finance-rds/);
    await panel.getByTestId('trail-key').selectOption({ label: 'alias/prod-finance-ebs' });
    await page.waitForFunction(() => document.querySelector('[data-testid=cloudtrail]')?.textContent.includes('AnalyticsApp'));
    const ebs = await texts(panel.getByTestId('trail-row'));
    assert.ok(ebs.some((r) => r.includes('GenerateDataKeyWithoutPlaintext') && r.includes('aws:ebs:id=vol-')), ebs.join('\n'));
    await panel.getByTestId('trail-key').selectOption({ label: 'alias/prod-finance-s3' });
    await page.waitForFunction(() => document.querySelector('[data-testid=cloudtrail]')?.textContent.includes('StatementsApp'));
    if (SHOTS) {
      // Tall enough for the whole panel (the side panel scrolls inside the viewport).
      await page.setViewportSize({ width: 1500, height: 1500 });
      await page.locator('aside.side').screenshot({ path: `${SHOTS}/i12-cloudtrail.png` });
    }
    await shot('cloudtrail');
  });
});

test('a comparison cell runs from a fresh session and shows its claim', async (t) => {
  await withApp(t, { viewport: { width: 1500, height: 900 } }, async ({ page, shot }) => {
    await openTab(page, 'Outcomes');
    const table = page.getByTestId('compare');
    await table.waitFor();
    assert.equal(await table.locator('button[data-cell]').count(), 18, 'six rows of three runnable cells');
    await table.locator('[data-cell="who-calls/0"]').click();
    await page.getByText('✓ Shown in the diagram').waitFor();
    assertInOrder(await sequence(page), ['User → KMS: CreateKey', 'User → S3: CreateBucket', 'User → S3: PutObject', 'S3 → KMS: GenerateDataKey']);
    assert.match(await page.getByTestId('details').textContent(), /GenerateDataKey/);
    assert.match(await page.getByTestId('details').textContent(), /s3\.amazonaws\.com/);

    // The next cell replaces the session (after asking).
    page.once('dialog', (d) => d.accept());
    await table.locator('[data-cell="how-often/0"]').click();
    await page.waitForFunction(() => [...document.querySelectorAll('ol[aria-label="Sequence of calls"] li')].filter((l) => l.textContent.includes('PutObject')).length === 5);
    const lines = await sequence(page);
    assert.equal(lines.filter((l) => l.startsWith('S3 → KMS: GenerateDataKey')).length, 3, lines.join('\n'));
    assert.equal(lines.filter((l) => l.startsWith('User → S3: CreateBucket')).length, 1, 'a fresh session');
    await page.getByText('✓ Shown in the diagram').waitFor();
    if (SHOTS) {
      await page.setViewportSize({ width: 1500, height: 2000 });
      await table.screenshot({ path: `${SHOTS}/i12-compare.png` });
    }
    await shot('compare');
  });
});
