// Alibaba Cloud end to end (issue 14): the provider switch starts an Alibaba Cloud world, seed
// 002's disable-and-reboot scenario draws its calls in order (the reboot's Decrypt refused, the
// system disk's I/O hanging, the recovery after EnableKey), the ECS card warns before a key with
// dependents is disabled, the four-case table runs a cell, and the console speaks `aliyun`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from '../lib/harness.mjs';
import { assertInOrder, openTab, runCommand, runScenario, sequence } from '../lib/app.mjs';

test('Alibaba Cloud: disable the CMK, reboot, the disk hangs; enable it and reboot', async (t) => {
  await withApp(t, {}, async ({ page, shot }) => {
    const dialogs = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      d.accept();
    });
    await page.getByTestId('cloud-alibaba').click();
    await page.getByTestId('notice').getByText('Alibaba Cloud').waitFor();
    assert.equal(await page.getByTestId('cloud-alibaba').getAttribute('aria-checked'), 'true');

    await runScenario(page, 'alibaba-disable-and-reboot');
    await page.getByText('Scenario complete.').waitFor();
    const lines = await sequence(page);
    assertInOrder(lines, [
      'User → KMS: CreateKey',
      'User → RAM: CreateRole',
      'User → ECS: RunInstances',
      'ECS → KMS: GenerateDataKey',
      'ECS → KMS: Decrypt',
      'ECS → Host: LoadDataKey',
      'User → KMS: DisableKey',
      'User → ECS: RebootInstance',
      'ECS → Host: DiscardDataKey',
      'ECS → KMS: Decrypt',
      'User → Host: ReadData',
      'User → KMS: EnableKey',
      'User → ECS: RebootInstance',
      'ECS → KMS: Decrypt',
      'ECS → Host: LoadDataKey',
    ]);
    assert.equal(await page.locator('.step-result.bad').count(), 0);
    await shot('alibaba-diagram');

    // The ECS card: the instance runs again (no I/O hang), its disk under the CMK.
    await openTab(page, 'Resources');
    const card = page.getByTestId('ecs-resources');
    await card.getByTestId('ecs-instances').waitFor();
    assert.equal(await card.getByTestId('io-hang').count(), 0);
    assert.match(await card.getByTestId('ecs-disks').textContent(), /encrypted: key-/);
    await shot('alibaba-resources');

    // Disabling the key asks first, listing the system disk that depends on it.
    await card.locator('[data-testid^="ecs-key-toggle-"]').first().click();
    assert.ok(dialogs.some((m) => /depend on it/.test(m) && /system disk/.test(m)), dialogs.join('\n---\n'));
    await runCommand(page, 'aliyun ecs RebootInstance --InstanceId $INSTANCE');
    await card.getByTestId('io-hang').waitFor();

    // The console speaks aliyun: tab-indented JSON, and Alibaba's error text.
    await runCommand(page, 'aliyun kms DescribeKey --KeyId $KEY --cli-query KeyMetadata.KeyState');
    const out = page.getByTestId('console-output');
    assert.match(await out.textContent(), /"Disabled"/);
    await runCommand(page, 'aliyun ecs CreateDisk --ZoneId cn-hangzhou-i --DiskCategory cloud_efficiency --Size 40 --Encrypted true');
    assert.match(await out.textContent(), /ErrorCode: InvalidParameter\.EncryptedNotSupported/);
  });
});

test('Alibaba Cloud: the four-case table runs a cell in a fresh session', async (t) => {
  await withApp(t, {}, async ({ page, shot }) => {
    page.on('dialog', (d) => d.accept());
    await page.getByTestId('cloud-alibaba').click();
    await openTab(page, 'Outcomes');
    await page.getByTestId('run-case-2-default').click();
    const badge = page.getByTestId('case-2-false');
    await badge.waitFor();
    assert.match(await badge.textContent(), /^✓ key-/);
    const lines = await sequence(page);
    assertInOrder(lines, ['User → ECS: CreateSnapshot', 'User → ECS: CreateDisk', 'ECS → KMS: CreateKey', 'ECS → KMS: GenerateDataKey']);
    await page.getByTestId('run-case-3-selected').click();
    await page.getByTestId('case-3-true').waitFor();
    assert.match(await page.getByTestId('case-3-true').textContent(), /^✓ key-/);
    await shot('alibaba-outcomes');
    // Back to AWS: the AWS outcomes table returns.
    await page.getByTestId('cloud-aws').click();
    await page.getByTestId('outcomes').waitFor();
  });
});

test('AWS and Alibaba Cloud side by side: the same action on both', async (t) => {
  await withApp(t, {}, async ({ page, shot }) => {
    await openTab(page, 'Outcomes');
    const panel = page.getByTestId('clouds-compare');
    await panel.getByTestId('clouds-disabled-key').click();
    const aws = await panel.getByTestId('cloud-calls-aws').textContent();
    const ali = await panel.getByTestId('cloud-calls-alibaba-cloud').textContent();
    assert.match(aws, /EC2 → KMS: CreateGrant \(failed: DisabledException\)/);
    assert.match(ali, /ECS → KMS: Decrypt \(failed: [A-Za-z.]+\)/);
    assert.match(ali, /IOHang/);
    // The user's own session is untouched.
    assert.equal(await page.locator('ol[aria-label="Sequence of calls"] li').count(), 0);
    await panel.screenshot({ path: new URL('../screenshots/clouds-side-by-side.png', import.meta.url).pathname });
  });
});
