// Authorization end to end (issue 5): the Auto Scaling scenario launches under a key whose policy
// lacks the service-linked role; the denied CreateGrant is explained step by step in the details
// panel; after the policy fix the launch succeeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from '../lib/harness.mjs';
import { assertInOrder, openTab, runCommand, runScenario, sequence } from '../lib/app.mjs';

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

test('assuming a role: root refused, trust policy edited, the session becomes a profile', async (t) => {
  await withApp(t, {}, async ({ page, shot }) => {
    await runCommand(page, 'aws iam create-user --user-name alice');
    await runCommand(page, 'play profile add alice --account-id 111122223333 --principal arn:aws:iam::111122223333:user/alice');
    await openTab(page, 'Policies');
    // Create a role from the editor; its default trust policy names EC2 only.
    await page.getByLabel('New role name').fill('reader');
    await page.getByRole('button', { name: 'Create role' }).click();
    const role = page.getByTestId('assume-role');
    await role.selectOption({ label: 'reader (111122223333)' });

    // As the root user (the current profile): STS refuses.
    await page.getByTestId('assume-apply').click();
    await page.waitForFunction(() => /Roles may not be assumed by root accounts/.test(document.body.textContent ?? ''));

    // As alice: the trust policy does not name her yet.
    await page.getByTestId('assume-source').selectOption('alice');
    await page.getByTestId('assume-apply').click();
    await page.waitForFunction(() => /alice is not authorized to perform: sts:AssumeRole/.test(document.body.textContent ?? ''));

    // Edit the trust policy with the template, apply it, and assume again.
    await page.getByLabel('Policy of').selectOption('trust:reader');
    await page.getByRole('button', { name: 'Trust a user of this account' }).click();
    await page.waitForFunction(() => /Valid policy document/.test(document.querySelector('[data-testid=policy-validation]')?.textContent ?? ''));
    await page.getByTestId('policy-apply').click();
    await page.getByTestId('assume-apply').click();
    await page.waitForFunction(() => /Profile reader now acts as the role session/.test(document.body.textContent ?? ''));
    await shot('assumed');

    const lines = await sequence(page);
    assertInOrder(lines, [
      'User → STS: AssumeRole (failed: AccessDenied)',
      'User → STS: AssumeRole (failed: AccessDenied)',
      'User → IAM: UpdateAssumeRolePolicy',
      'User → STS: AssumeRole',
    ]);
    assert.equal(lines.at(-1), 'User → STS: AssumeRole');

    // The new profile signs as the session.
    await runCommand(page, 'aws sts get-caller-identity --profile reader --query Arn --output text');
    await page.waitForFunction(() => /assumed-role\/reader\/playground-reader/.test(document.querySelector('[data-testid=console-output]')?.textContent ?? ''));

    // Resources lists the role: its trust, and the profile acting as it.
    await openTab(page, 'Resources');
    const iam = page.getByTestId('iam-card');
    await iam.scrollIntoViewIfNeeded();
    const row = iam.locator('li', { hasText: 'reader' });
    await row.waitFor();
    const text = await row.textContent();
    assert.match(text, /may be assumed by: AWS arn:aws:iam::111122223333:user\/alice/);
    assert.match(text, /profile reader/);
    await shot('iam-card');
  });
});

test('cross-account role scenario: the denied AssumeRole explains both sides', async (t) => {
  await withApp(t, {}, async ({ page, shot }) => {
    await runScenario(page, 'cross-account-role');
    const lines = await sequence(page);
    assertInOrder(lines, [
      'User → KMS: CreateKey',
      'User → IAM: CreateRole',
      'User → STS: AssumeRole (failed: AccessDenied)',
      'User → IAM: PutUserPolicy',
      'User → STS: AssumeRole',
      'User → KMS: DescribeKey',
      'User → KMS: GenerateDataKey (failed: AccessDeniedException)',
    ]);
    assert.equal(await page.locator('.step-result.bad').count(), 0);
    const denied = lines.indexOf('User → STS: AssumeRole (failed: AccessDenied)');
    const msg = page.locator(`[data-testid=diagram] [data-seq="${denied}"]`).first();
    await msg.scrollIntoViewIfNeeded();
    await msg.click();
    await page.waitForFunction(() => /sts:AssumeRole/.test(document.querySelector('[data-testid=details]')?.textContent ?? ''));
    const text = await page.getByTestId('details').textContent();
    assert.match(text, /Why was this denied\?/);
    assert.match(text, /Trust policy statement/);
    assert.match(text, /no identity-based policy allows the sts:AssumeRole action/);
    await shot('denied-assume-role');
  });
});
