// S3 end to end (issue 12): the Bucket Keys scenario draws S3's KMS calls in order (one
// GenerateDataKey per object without a Bucket Key, one for the bucket with it), and the S3 card
// lists the buckets and their objects' encryption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from '../lib/harness.mjs';
import { assertInOrder, openTab, runScenario, sequence } from '../lib/app.mjs';

test('the Bucket Keys scenario draws its calls in order and the S3 card shows the objects', async (t) => {
  await withApp(t, {}, async ({ page, shot }) => {
    await runScenario(page, 's3-bucket-keys');
    await page.getByText('Scenario complete.').waitFor();
    const lines = await sequence(page);
    assertInOrder(lines, [
      'User → S3: PutBucketEncryption',
      'User → S3: PutObject',
      'S3 → KMS: CreateKey',
      'S3 → KMS: GenerateDataKey',
      'User → S3: PutObject',
      'S3 → KMS: GenerateDataKey',
      'User → S3: PutObject',
      'S3 → KMS: GenerateDataKey',
      'User → S3: PutObject',
      'User → S3: PutObject',
      'User → S3: GetObject',
      'S3 → KMS: Decrypt',
      'User → S3: GetObject',
    ]);
    const gdk = lines.filter((l) => l.startsWith('S3 → KMS: GenerateDataKey')).length;
    assert.equal(gdk, 3, `two per-object keys and one bucket key for five objects:\n  ${lines.join('\n  ')}`);
    assert.equal(await page.locator('.step-result.bad').count(), 0);
    await shot('diagram');

    await openTab(page, 'Resources');
    const card = page.getByTestId('s3-card');
    await card.scrollIntoViewIfNeeded();
    const text = await card.textContent();
    assert.match(text, /ledger-demo/);
    assert.match(text, /per-object-1\.txt/);
    assert.match(text, /Default: SSE-KMS · aws\/s3 · Bucket Key/);
    assert.equal(await card.getByTestId('s3-object').count(), 5);
    assert.match(text, /Bucket Key/);
    await card.screenshot({ path: new URL('../screenshots/s3-card.png', import.meta.url).pathname });
  });
});
