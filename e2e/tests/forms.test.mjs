// Acting from the forms: a quick action fills a form from the schema, Run sends the equivalent
// CLI command through the console's path (it appears in the transcript), and the model's refusal
// of KmsKeyId without Encrypted is shown inline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from '../lib/harness.mjs';
import { assertInOrder, sequence } from '../lib/app.mjs';

test('forms create a key and an encrypted volume, and show refusals inline', async (t) => {
  await withApp(t, {}, async ({ page, shot }) => {
    const result = page.getByTestId('form-result');
    const out = page.getByTestId('console-output');

    await page.getByTestId('quick-create-key').click();
    assert.match(await page.getByTestId('form-preview').textContent(), /aws kms create-key/);
    await page.getByTestId('form-run').click();
    await result.waitFor();
    assert.doesNotMatch(await result.textContent(), /An error occurred/);

    await page.getByTestId('quick-create-volume').click();
    assert.ok(await page.getByTestId('field-Encrypted').isChecked(), 'Encrypted is preset');
    await page.getByTestId('form-run').click();
    await page.waitForFunction(() => /create-volume/.test(document.querySelector('[data-testid=console-output]')?.textContent ?? ''));
    assert.match(await out.textContent(), /aws ec2 create-volume .*--encrypted/);
    assertInOrder(await sequence(page), [
      'User → KMS: CreateKey',
      'User → EC2: CreateVolume',
      'EC2 → KMS: GenerateDataKeyWithoutPlaintext',
    ]);
    await shot('volume-created');

    // KmsKeyId without Encrypted: the AWS error, inline.
    await page.getByTestId('field-Encrypted').uncheck();
    await page.getByTestId('field-KmsKeyId').fill('alias/aws/ebs');
    await page.getByTestId('form-run').click();
    await page.waitForFunction(() => /InvalidParameterDependency/.test(document.querySelector('[data-testid=form-result]')?.textContent ?? ''));
    assert.match(await result.textContent(), /The parameter KmsKeyId requires the parameter Encrypted to be set/);
    await shot('refused');
  });
});

test('embed mode shows the diagram of a shared script and nothing else', async (t) => {
  let fragment;
  await withApp(t, {}, async ({ page }) => {
    await page.getByTestId('quick-create-volume').click();
    await page.getByTestId('form-run').click();
    await page.waitForFunction(() => /create-volume/.test(document.querySelector('[data-testid=console-output]')?.textContent ?? ''));
    await page.getByTestId('share').click();
    const notice = await page.getByTestId('notice').locator('span').first().textContent();
    fragment = notice.slice(notice.indexOf('#v1.')).trim();
  });
  await withApp(t, { query: `?embed=diagram${fragment}`, viewport: { width: 800, height: 500 } }, async ({ page, shot }) => {
    await page.locator('[data-testid=diagram] svg').first().waitFor();
    assert.equal(await page.locator('header.top').count(), 0, 'no header');
    assert.equal(await page.getByLabel('Command', { exact: true }).count(), 0, 'no console');
    assertInOrder(await sequence(page), ['User → EC2: CreateVolume', 'EC2 → KMS: GenerateDataKeyWithoutPlaintext']);
    await shot('embedded');
  });
});
