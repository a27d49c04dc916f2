// The classroom: waiters drawn as one mark (polling on request), the presenter view at 1280×720
// stepped with the keyboard, a "predict the next call" round answered right and wrong (with the
// score in the scenarios list), and an exam question answered, explained and run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from '../lib/harness.mjs';
import { openTab, runCommand, sequence } from '../lib/app.mjs';

const CREATE =
  'VOL=$(aws ec2 create-volume --size 8 --availability-zone us-east-1a --encrypted --query VolumeId --output text)';

test('a waiter is one mark; show polling draws its calls', async (t) => {
  await withApp(t, {}, async ({ page, shot }) => {
    await runCommand(page, CREATE);
    await runCommand(page, 'aws ec2 wait volume-available --volume-ids $VOL');
    let lines = await sequence(page);
    assert.ok(lines.some((l) => /^EC2: wait until available \(T\+\d+ s\)/.test(l)), lines.join('\n'));
    assert.ok(!lines.some((l) => l.includes('AdvanceTime') || l.includes('DescribeVolumes')), lines.join('\n'));
    await page.getByTestId('show-polling').check();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('ol[aria-label="Sequence of calls"] li')].some((li) => li.textContent.includes('AdvanceTime')),
    );
    lines = await sequence(page);
    assert.ok(lines.some((l) => l.startsWith('User → EC2: DescribeVolumes')));
    await shot('polling');
  });
});

test('presenter view at 1280x720, stepped with the keyboard', async (t) => {
  await withApp(t, { viewport: { width: 1280, height: 720 } }, async ({ page, shot }) => {
    await openTab(page, 'Scenarios');
    await page.locator('[data-scenario="volume-from-encrypted-snapshot"]').click();
    await page.keyboard.press('p');
    await page.locator('.app.presenting').waitFor();
    await page.getByTestId('present-bar').waitFor();
    assert.equal(await page.locator('header.top').isVisible(), false, 'the header is hidden');
    assert.equal(await page.locator('aside.side').isVisible(), false, 'the side panel is hidden');
    // → past the end of the trace runs the next step; its narration shows below the diagram.
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('present-bar').getByText(/symmetric customer managed key/).waitFor();
    const allShown = () =>
      page.waitForFunction(() => {
        const [a, b] = (document.querySelector('[data-testid=diagram-position]')?.textContent ?? '').split('/').map(Number);
        return b > 0 && a === b;
      });
    await allShown();
    await page.keyboard.press('Space');
    await page.getByTestId('present-bar').getByText(/encrypted source volume/).waitFor();
    await allShown();
    // ← steps back through the messages: one current, the rest dimmed.
    await page.keyboard.press('ArrowLeft');
    const pos = await page.getByTestId('diagram-position').textContent();
    const [shown, total] = pos.split('/').map((s) => Number(s.trim()));
    assert.ok(shown < total, `stepped back: ${pos}`);
    assert.equal(await page.locator('.msg.current').count(), 1);
    // The participant row stays on screen.
    const head = await page.locator('.dg-head').boundingBox();
    assert.ok(head && head.y >= 0 && head.y < 200, `participants visible: ${JSON.stringify(head)}`);
    await shot('presenter-1280x720');
    await page.keyboard.press('Escape');
    await page.locator('.app:not(.presenting)').waitFor();
    assert.ok(await page.locator('header.top').isVisible());
  });
});

test('predict the next call: a right and a wrong answer, scored', async (t) => {
  await withApp(t, {}, async ({ page, shot }) => {
    await openTab(page, 'Scenarios');
    await page.locator('[data-scenario="volume-from-encrypted-snapshot"]').click();
    await page.getByTestId('predict-mode').check();
    const card = page.getByTestId('predict');
    await card.waitFor();
    assert.ok(await page.getByTestId('scenario-next').isDisabled(), 'Next waits for the prediction');
    const before = (await sequence(page)).length;
    assert.equal(before, 0, 'future calls are hidden until answered');
    // Step 1: KMS answers CreateKey on its own.
    await card.getByRole('button', { name: 'No: KMS answers on its own' }).click();
    let reveal = page.getByTestId('predict-reveal');
    await reveal.getByText('✓ Right').waitFor();
    assert.ok((await sequence(page)).some((l) => l.startsWith('User → KMS: CreateKey')));
    // Step 2: EC2, not EBS, asks KMS for the data key.
    await card.getByText(/which call does EC2 make first/).waitFor();
    await card.getByRole('button', { name: 'EBS → KMS: GenerateDataKeyWithoutPlaintext' }).click();
    reveal = page.getByTestId('predict-reveal');
    await reveal.getByText(/Not quite/).waitFor();
    const text = await reveal.textContent();
    assert.match(text, /EC2 → KMS: GenerateDataKeyWithoutPlaintext/);
    assert.match(text, /Proof:/);
    await shot('predict');
    await page.getByRole('button', { name: '← All scenarios' }).click();
    const badge = page.locator('[data-scenario="volume-from-encrypted-snapshot"] [data-testid=progress-badge]');
    assert.match(await badge.textContent(), /1\/2 predicted/);
    await page.getByTestId('progress-reset').click();
    assert.equal(await badge.count(), 0, 'reset clears the progress');
  });
});

test('an exam question opened by link, answered and explained by a scenario', async (t) => {
  await withApp(t, { query: '?q=change-kms-key' }, async ({ page, shot }) => {
    const q = page.locator('[data-question="change-kms-key"]');
    await q.waitFor();
    await q.locator('[data-option="0"]').click();
    await q.getByTestId('exam-verdict').getByText(/Not this one/).waitFor();
    await q.locator('[data-option="1"]').click();
    const verdict = q.getByTestId('exam-verdict');
    await verdict.getByText(/Right/).waitFor();
    assert.match(await verdict.textContent(), /EBS and RDS do not support changing the KMS key in-place/);
    // Every scenario the explanation names has its button (S3's copy onto itself among them).
    assert.equal(await verdict.locator('[data-run-scenario="s3-copy-object-new-key"]').count(), 1);
    await verdict.locator('[data-run-scenario="reencrypt-volume"]').click();
    await page.waitForFunction(() => document.querySelectorAll('ol[aria-label="Sequence of calls"] li').length > 3);
    const lines = await sequence(page);
    assert.ok(lines.some((l) => l.startsWith('User → EC2: CreateSnapshot') || l.startsWith('User → EC2: CopySnapshot')), lines.join('\n'));
    // A key-term card flips.
    const card = page.locator('.card-flip').first();
    await card.locator('summary').click();
    assert.match(await card.locator('p').first().innerText(), /plaintext key material never leaves KMS/);
    await shot('exam');
  });
});
