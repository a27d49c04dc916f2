// Helpers shared by the e2e tests: reading the "Sequence of calls" list, running console
// commands, opening tabs and scenarios, and checking that calls appear in order.
import assert from 'node:assert/strict';

export const SEQUENCE = 'ol[aria-label="Sequence of calls"] li';

/** The text alternative of the diagram, one "From → To: Operation" line per call. */
export async function sequence(page) {
  return (await page.locator(SEQUENCE).allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
}

/** Asserts that each expected line appears in `lines`, in this order (a subsequence). */
export function assertInOrder(lines, expected) {
  let i = 0;
  for (const want of expected) {
    while (i < lines.length && !lines[i].startsWith(want)) i++;
    assert.ok(i < lines.length, `"${want}" should follow in the sequence of calls:\n  ${lines.join('\n  ')}`);
    i++;
  }
}

/** Types a command into the console and presses Enter; waits for the transcript to grow. */
export async function runCommand(page, line) {
  const out = page.locator('[data-testid=console-output]');
  const before = (await out.textContent()) ?? '';
  const input = page.getByLabel('Command', { exact: true });
  await input.fill(line);
  await input.press('Enter');
  await page.waitForFunction(
    (b) => (document.querySelector('[data-testid=console-output]')?.textContent ?? '') !== b,
    before,
  );
}

/** Opens a side-panel tab by its label. */
export async function openTab(page, label) {
  await page.getByRole('tab', { name: label, exact: true }).click();
}

/** Opens a guided scenario by id and runs it to the end with the Next button. */
export async function runScenario(page, id, { steps = Infinity } = {}) {
  await openTab(page, 'Scenarios');
  await page.locator(`[data-scenario="${id}"]`).click();
  const next = page.getByTestId('scenario-next');
  for (let i = 0; i < steps && (await next.isEnabled()); i++) {
    await next.click();
  }
}
