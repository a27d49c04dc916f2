// Embedding in documentation: the sample docs site (dist/docs/) with three <ebs-kms-playground>
// widgets renders all three, each frame as tall as its content with nothing scrolling inside,
// follows the host page's theme when it changes, loads the lazy one on click, answers the
// postMessage protocol, works under a sub-path, and the app reloads with the network offline
// (service worker). The harness fails each test on any page or console error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASES, withApp } from '../lib/harness.mjs';
import { assertInOrder, runCommand, sequence, SEQUENCE } from '../lib/app.mjs';

const CALLS = {
  'w-encrypted': ['User → EC2: CreateVolume', 'EC2 → KMS: GenerateDataKeyWithoutPlaintext', 'EC2 → EBS: StoreEncryptedDataKey',
    'User → EC2: AttachVolume', 'EC2 → KMS: CreateGrant', 'EC2 → KMS: Decrypt', 'EC2 → Host: LoadDataKey'],
  'w-unencrypted': ['User → EC2: CreateVolume', 'EC2 → KMS: CreateGrant', 'EC2 → KMS: GenerateDataKeyWithoutPlaintext',
    'EC2 → KMS: Decrypt', 'User → EC2: AttachVolume', 'EC2 → KMS: CreateGrant', 'EC2 → KMS: Decrypt'],
  'w-asg': ['AutoScaling → EC2: RunInstances', 'EC2 → KMS: CreateGrant (failed: AccessDeniedException)',
    'User → KMS: PutKeyPolicy', 'AutoScaling → EC2: RunInstances', 'EC2 → KMS: CreateGrant', 'EC2 → KMS: Decrypt'],
};

const frameOf = (page, id) => page.frameLocator(`#${id} iframe`);

/** Waits for a widget's diagram, then checks its calls and that the frame fits its content. */
async function checkWidget(page, id) {
  const frame = frameOf(page, id);
  await frame.locator(SEQUENCE).first().waitFor({ state: 'attached' });
  const lines = (await frame.locator(SEQUENCE).allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
  assertInOrder(lines, CALLS[id]);
  // The frame's height follows the content (resized messages), with no inner scrolling.
  await page.waitForFunction((wid) => {
    const f = document.getElementById(wid).shadowRoot.querySelector('iframe');
    const app = f.contentDocument?.querySelector('.app');
    return app && Math.abs(f.clientHeight - Math.ceil(app.getBoundingClientRect().height)) <= 1 && f.clientHeight > 300;
  }, id);
  const m = await page.evaluate((wid) => {
    const f = document.getElementById(wid).shadowRoot.querySelector('iframe');
    const d = f.contentDocument;
    const scroll = d.querySelector('[data-testid=diagram-scroll]');
    return {
      frame: f.clientHeight,
      doc: d.documentElement.scrollHeight,
      view: f.contentWindow.innerHeight,
      scrollH: scroll.scrollHeight,
      clientH: scroll.clientHeight,
      src: f.src,
    };
  }, id);
  assert.ok(m.doc <= m.view + 1, `${id}: the frame's document (${m.doc}px) fits its ${m.view}px frame`);
  assert.ok(m.scrollH <= m.clientH + 1, `${id}: the diagram does not scroll inside (${m.scrollH} > ${m.clientH})`);
  return { ...m, lines };
}

const bodyColor = (page, id) => frameOf(page, id).locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);

test('docs site: three widgets render, fit their content, follow the theme; the lazy one loads on click', async (t) => {
  await withApp(t, { query: 'docs/', ready: 'ebs-kms-playground' }, async ({ page, shot, baseUrl }) => {
    const first = await checkWidget(page, 'w-encrypted');
    const second = await checkWidget(page, 'w-unencrypted');
    assert.ok(first.src.startsWith(`${baseUrl}?embed=diagram&theme=light&height=auto#script=`), first.src);
    for (const m of [first, second]) assert.ok(m.frame > 400, `the frame grew from 320px to its content: ${m.frame}px`);

    // Below the fold, loading="lazy": a placeholder with the title, no frame yet.
    const lazy = page.locator('#w-asg');
    assert.equal(await lazy.locator('iframe').count(), 0, 'the lazy widget has not loaded');
    assert.match(await lazy.locator('button').textContent(), /Auto Scaling: adding the service-linked role/);
    await shot('before-lazy');
    // A click (dispatched without scrolling, so only the click can load it).
    await page.evaluate(() => document.getElementById('w-asg').shadowRoot.querySelector('button').click());
    await checkWidget(page, 'w-asg');

    // The host page switches to dark: every widget follows, live.
    for (const id of Object.keys(CALLS)) assert.equal(await bodyColor(page, id), 'rgb(255, 255, 255)', id);
    await page.locator('#theme').click();
    for (const id of Object.keys(CALLS)) {
      await frameOf(page, id).locator('html[data-theme=dark]').waitFor({ state: 'attached' });
      assert.equal(await bodyColor(page, id), 'rgb(20, 23, 28)', id);
    }
    await page.locator('#w-encrypted').scrollIntoViewIfNeeded();
    await shot('dark');
    await page.locator('#theme').click();
    await frameOf(page, 'w-asg').locator('html[data-theme=light]').waitFor({ state: 'attached' });
  });
});

test('the message protocol: step, play and pause from the host; step and ready back', async (t) => {
  await withApp(t, { query: 'docs/', ready: 'ebs-kms-playground' }, async ({ page }) => {
    await checkWidget(page, 'w-encrypted');
    const w = page.locator('#w-encrypted');
    const position = frameOf(page, 'w-encrypted').getByTestId('diagram-position');
    const total = Number((await position.textContent()).split('/')[1]);
    assert.ok(total > 10, `${total} messages`);
    await page.evaluate(() => document.getElementById('w-encrypted').step(3));
    await position.filter({ hasText: `3 / ${total}` }).waitFor();
    await page.waitForFunction((n) => document.getElementById('w-encrypted').dataset.step === `3/${n}`, total);
    // play: the widget reports its steps as they advance; pause stops them.
    const steps = await page.evaluate(() => new Promise((ok) => {
      const el = document.getElementById('w-encrypted');
      const seen = [];
      el.addEventListener('ebs-kms-step', (e) => {
        seen.push(e.detail.index);
        if (seen.length === 2) { el.pause(); ok(seen); }
      });
      el.play();
    }));
    assert.deepEqual(steps, [4, 5]);
    const paused = await position.textContent();
    await page.waitForTimeout(700);
    assert.equal(await position.textContent(), paused, 'paused');
    // Messages of another protocol or a newer version are ignored.
    await page.evaluate(() => {
      const f = document.getElementById('w-encrypted').shadowRoot.querySelector('iframe');
      f.contentWindow.postMessage({ protocol: 'ebs-kms-playground', version: 99, type: 'step', index: 0 }, '*');
      f.contentWindow.postMessage({ type: 'step', index: 0 }, '*');
      f.contentWindow.postMessage('step', '*');
    });
    await page.waitForTimeout(300);
    assert.equal(await position.textContent(), paused);
    assert.ok(await w.getAttribute('data-step'));
  });
});

test('docs site under a sub-path', { skip: !BASES.subpath && 'no subpath server' }, async (t) => {
  await withApp(t, { base: 'subpath', query: 'docs/', ready: 'ebs-kms-playground' }, async ({ page, baseUrl }) => {
    const { src } = await checkWidget(page, 'w-encrypted');
    assert.ok(src.startsWith(`${baseUrl}?embed=`), `the frame is the app under the sub-path: ${src}`);
  });
});

test('offline: the app and the docs page reload without a network', async (t) => {
  await withApp(t, { serviceWorker: true }, async ({ page, context, shot, baseUrl }) => {
    await runCommand(page, 'aws kms create-key --description offline');
    await runCommand(page, 'aws ec2 create-volume --size 8 --availability-zone us-east-1a --encrypted');
    const before = await sequence(page);
    // Registered after the first view; controlling this page once activated (clients.claim).
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 });
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.ready).active.state), 'activated');
    const cached = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('ebs-kms-playground:/:')));
    assert.equal(cached.length, 1, `one version-keyed cache for this scope: ${cached}`);

    await context.setOffline(true);
    const response = await page.reload({ waitUntil: 'load' });
    assert.ok(response.fromServiceWorker(), 'the page came from the service worker');
    await page.locator(SEQUENCE).first().waitFor({ state: 'attached' });
    assert.deepEqual(await sequence(page), before, 'the same session, offline');
    await shot('offline-app');

    // The docs page, visited for the first time while offline, is in the build's cache too.
    await page.goto(`${baseUrl}docs/`, { waitUntil: 'load' });
    await checkWidget(page, 'w-encrypted');
    await context.setOffline(false);
  });
});
