// Keeping work: the session survives a reload, a share link replays it in a fresh page to the
// same trace, a bad import or a bad link leaves the session as it was, and Reset starts over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from '../lib/harness.mjs';
import { runCommand, sequence, SEQUENCE } from '../lib/app.mjs';

const SETUP = [
  'KEY=$(aws kms create-key --description e2e --query KeyMetadata.KeyId --output text)',
  'VOL=$(aws ec2 create-volume --size 8 --availability-zone us-east-1a --encrypted --kms-key-id $KEY --query VolumeId --output text)',
  'aws ec2 describe-volumes --volume-ids $VOL',
];

test('console commands with a variable, then a reload keeps the session', async (t) => {
  await withApp(t, {}, async ({ page, shot }) => {
    for (const line of SETUP) await runCommand(page, line);
    const out = page.locator('[data-testid=console-output]');
    assert.match(await out.textContent(), /"Encrypted": true/);
    assert.match(await out.textContent(), /vol-[0-9a-f]{17}/);
    const before = await sequence(page);
    assert.ok(before.some((l) => l.startsWith('EC2 → KMS: GenerateDataKeyWithoutPlaintext')));
    await shot('before-reload');

    await page.reload({ waitUntil: 'load' });
    await page.locator(SEQUENCE).first().waitFor({ state: 'attached' });
    assert.deepEqual(await sequence(page), before, 'the same trace after a reload');
    assert.match(await page.locator('[data-testid=console-output]').textContent(), /create-volume/);
  });
});

test('a share link opened in a fresh page replays the same trace', async (t) => {
  let link;
  let expected;
  await withApp(t, {}, async ({ page }) => {
    for (const line of SETUP) await runCommand(page, line);
    expected = await sequence(page);
    await page.getByTestId('share').click();
    const notice = await page.getByTestId('notice').locator('span').first().textContent();
    link = notice.match(/(https?:\/\/\S+#v1\.\S+)/)?.[1];
    assert.ok(link, `the notice shows the link: ${notice}`);
  });
  // A new browser context: no localStorage from the first page.
  await withApp(t, { query: link.slice(link.indexOf('#')) }, async ({ page, shot }) => {
    await page.locator(SEQUENCE).first().waitFor({ state: 'attached' });
    assert.deepEqual(await sequence(page), expected);
    assert.match(await page.getByTestId('notice').textContent(), /Opened a shared session: 3 commands/);
    await shot('opened-link');
  });
});

test('a bad import and a bad link keep the session', async (t) => {
  // Reloading right after a navigation may abort the favicon request: not a page problem.
  await withApp(t, { allowProblems: [/favicon.*ERR_ABORTED/] }, async ({ page, shot }) => {
    for (const line of SETUP) await runCommand(page, line);
    const before = await sequence(page);

    await page.getByTestId('import').setInputFiles({
      name: 'garbage.sh',
      mimeType: 'text/plain',
      buffer: Buffer.from('this is not a script\naws ec2 describe-volumes\n'),
    });
    const notice = page.getByTestId('notice');
    await notice.waitFor();
    assert.match(await notice.textContent(), /garbage\.sh was not imported: .*Your session is unchanged/);
    assert.deepEqual(await sequence(page), before);

    await page.getByTestId('import').setInputFiles({
      name: 'future.sh',
      mimeType: 'text/plain',
      buffer: Buffer.from('# ebs-kms-playground script v9\n# seed: 1\n'),
    });
    await page.waitForFunction(() => /future\.sh/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
    assert.match(await notice.textContent(), /v9|version 9|newer/i);
    assert.deepEqual(await sequence(page), before);
    await shot('bad-import');

    // A corrupt share link: reported, and the saved session is still there.
    await page.goto(page.url().split('#')[0] + '#v1.%%%not-base64', { waitUntil: 'load' });
    await page.reload({ waitUntil: 'load' });
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').textContent(), /could not be opened/);
    await page.locator(SEQUENCE).first().waitFor({ state: 'attached' });
    assert.deepEqual(await sequence(page), before);
  });
});

test('a good import replaces the session; reset starts over', async (t) => {
  await withApp(t, {}, async ({ page }) => {
    await runCommand(page, 'aws kms create-key');
    const script = '# ebs-kms-playground script v1\n# seed: 9\naws ec2 create-volume --size 4 --availability-zone us-east-1a --encrypted\n';
    await page.getByTestId('import').setInputFiles({ name: 'good.sh', mimeType: 'text/plain', buffer: Buffer.from(script) });
    await page.waitForFunction(() => /Imported good\.sh/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
    const lines = await sequence(page);
    assert.equal(lines[0], 'User → EC2: CreateVolume');
    assert.ok(!lines.some((l) => l.includes('User → KMS: CreateKey')), 'the earlier session was replaced');

    page.once('dialog', (d) => d.accept());
    await page.getByTestId('reset').click();
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 0, SEQUENCE);
  });
});
