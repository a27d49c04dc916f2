// Authorization end to end (issue 5): the Auto Scaling scenario launches under a key whose policy
// lacks the service-linked role; the denied CreateGrant is explained step by step in the details
// panel; after the policy fix the launch succeeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from '../lib/harness.mjs';
import { assertInOrder, openTab, sequence } from '../lib/app.mjs';

test('Auto Scaling denial is explained, then fixed by the key policy', async (t) => {
  await withApp(t, {}, async ({ page, shot }) => {
    await openTab(page, 'Scenarios');
    await page.locator('[data-scenario="asg-service-linked-role"]').click();
    const next = page.getByTestId('scenario-next');

    // Run until the first group has been created (and denied).
    let lines = [];
    for (let i = 0; i < 12 && !lines.some((l) => /CreateGrant.*AccessDeniedException/.test(l)); i++) {
      await next.click();
      lines = await sequence(page);
    }
    const denied = lines.findIndex((l) => /EC2 → KMS: CreateGrant.*AccessDeniedException/.test(l));
    assert.ok(denied >= 0, `a denied CreateGrant is listed:\n  ${lines.join('\n  ')}`);

    // Open it from the diagram: the details explain the denial.
    const msg = page.locator(`[data-testid=diagram] [data-seq="${denied}"]`).first();
    await msg.scrollIntoViewIfNeeded();
    await msg.click();
    const details = page.getByTestId('details');
    await page.waitForFunction(() => /AccessDeniedException/.test(document.querySelector('[data-testid=details]')?.textContent ?? ''));
    const text = await details.textContent();
    assert.match(text, /Why was this denied\?/);
    assert.match(text, /AWSServiceRoleForAutoScaling/);
    assert.match(text, /is not authorized to perform: kms:CreateGrant/);
    await shot('denied');

    // Finish the scenario: the policy fix lets the second group launch.
    while (await next.isEnabled()) await next.click();
    lines = await sequence(page);
    const fix = lines.findIndex((l) => l.startsWith('User → KMS: PutKeyPolicy'));
    assert.ok(fix > denied, 'the key policy is changed after the denial');
    const after = lines.slice(fix);
    assertInOrder(after, [
      'User → AutoScaling: CreateAutoScalingGroup',
      'AutoScaling → EC2: RunInstances',
      'EC2 → KMS: CreateGrant',
      'EC2 → KMS: GenerateDataKeyWithoutPlaintext',
      'EC2 → KMS: Decrypt',
    ]);
    assert.ok(!after.some((l) => /AccessDeniedException/.test(l)), `no denial after the fix:\n  ${after.join('\n  ')}`);
    assert.equal(await page.locator('.step-result.bad').count(), 0);
    await shot('fixed');
  });
});

test('the policy editor validates as you type', async (t) => {
  await withApp(t, {}, async ({ page }) => {
    await openTab(page, 'Policies');
    const box = page.getByTestId('policy-text');
    await box.fill('{"Version": "2012-10-17", "Statement": [');
    await page.waitForFunction(() => /✕/.test(document.querySelector('[data-testid=policy-validation]')?.textContent ?? ''));
    await page.getByRole('button', { name: 'Default key policy' }).click();
    await page.waitForFunction(() => /Valid policy document/.test(document.querySelector('[data-testid=policy-validation]')?.textContent ?? ''));
  });
});
