import { join } from 'node:path';
import { startPlayground, type Playground } from '@atlas-backups/playground';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  chromiumPath,
  ensurePageBuilt,
  launchChromium,
  screenshotDir,
} from '../support/browser/chromium.js';

if (!chromiumAvailable)
  console.log(
    `[playground] browser tests skipped: no Chromium at ${chromiumPath} (apt-get install chromium)`,
  );

const MINUTE = 60_000;

/** Retries `probe` until the assertion after it holds (the page updates as the bot answers). */
const until = <T>(probe: () => Promise<T>, timeout = 10_000) => expect.poll(probe, { timeout, interval: 25 });
const shots = screenshotDir();

describe.skipIf(!chromiumAvailable)('the playground in a real browser', () => {
  let pg: Playground;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensurePageBuilt();
    // The simulator's clock moves only when a test moves it; the bot polls jobs often.
    pg = await startPlayground({
      port: 0,
      simulator: { clock: 'manual' },
      follow: { pollIntervalMs: 25, minUpdateIntervalMs: 0, updatesPerMinute: 10_000 },
    });
    browser = await launchChromium();
    // One page for the whole story (a new page costs seconds here); each test starts as Riley in #incident.
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(pg.url);
    await page.locator('#who option').first().waitFor({ state: 'attached' });
  });
  afterAll(async () => {
    await browser?.close();
    await pg?.close();
  });
  beforeEach(async () => {
    await become(/Riley/);
    await page.getByRole('button', { name: '# incident' }).click();
  });

  const composer = () => page.getByRole('combobox', { name: 'Message' });
  const messages = () => page.locator('.messages article.msg');
  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`) });

  async function run(command: string): Promise<void> {
    await composer().fill(command);
    await composer().press('Enter');
  }

  async function become(name: RegExp): Promise<void> {
    const option = page.locator('#who option').filter({ hasText: name });
    await page.locator('#who').selectOption((await option.getAttribute('value')) ?? '');
    await until(() => page.locator('.who-note').textContent()).not.toBe('');
  }

  /** Whether the element has the keyboard focus. */
  async function focused(locator: Locator): Promise<boolean> {
    const id = await locator.getAttribute('id');
    return id !== null && (await page.evaluate('document.activeElement?.id')) === id;
  }

  /** The message (in the channel) that contains `text`, the newest if several do. */
  const messageWith = (text: string | RegExp): Locator => messages().filter({ hasText: text }).last();

  it('lists the commands as you type and completes one from the keyboard', async () => {
    await composer().pressSequentially('/atlas sn');
    const list = page.getByRole('listbox', { name: 'Commands' });
    await until(() => list.isVisible()).toBe(true);
    const options = list.getByRole('option');
    await until(() => options.first().textContent()).toContain('/atlas snapshots <cluster>');
    await until(() => list.textContent()).toContain('/atlas snapshot take <cluster>');
    expect(await list.textContent()).not.toContain('/atlas restore');
    await shot('command-list');
    await composer().press('ArrowDown');
    await until(() => options.nth(1).getAttribute('aria-selected')).toBe('true');
    await composer().press('Tab');
    await until(() => composer().inputValue()).toBe('/atlas snapshot take ');
    await composer().press('Escape');
    await until(() => list.isHidden()).toBe(true);
  });

  it('answers /atlas help with an ephemeral message only its asker sees', async () => {
    await run('/atlas help');
    const help = messageWith('Atlas Cloud Backups from Slack');
    await until(() => help.isVisible()).toBe(true);
    await until(() => help.getAttribute('class')).toMatch(/ephemeral/);
    await until(() => help.textContent()).toContain('Only visible to you');
    await until(() => help.locator('.bk-header').textContent()).toBe(
      '/atlas: Atlas Cloud Backups from Slack',
    );
    await until(() => help.locator('pre').first().textContent()).toContain('/atlas projects');
    await until(() => composer().inputValue()).toBe('');
    await shot('help');

    await become(/Avery/);
    await until(() => messages().filter({ hasText: 'Atlas Cloud Backups from Slack' }).count()).toBe(0);
  });

  it('shows a usage error for a bad command, ephemerally', async () => {
    await run('/atlas snapshots');
    const error = messageWith('Nothing was run.');
    await until(() => error.getAttribute('class')).toMatch(/ephemeral/);
    await until(() => error.textContent()).toContain('Usage:');
    await until(() => error.locator('pre').textContent()).toContain('/atlas snapshots <cluster>');
    await until(() => error.textContent()).toContain('Only visible to you');
  });

  it('lists a cluster’s snapshots in the channel', async () => {
    await run('/atlas snapshots orders-prod');
    const list = messageWith('orders-prod');
    await until(() => list.isVisible()).toBe(true);
    expect(await list.getAttribute('class')).not.toMatch(/ephemeral/);
    await until(() => list.locator('pre').first().textContent()).toContain('completed');
    await until(() => list.locator('.msg-author').textContent()).toBe('atlas-backups');
  });

  it('takes a snapshot and edits its message in place until it is completed', async () => {
    await run('/atlas snapshot take orders-prod --desc "before the <migration> & co"');
    const job = messageWith('Take an on-demand snapshot of orders-prod');
    await until(() => job.isVisible()).toBe(true);
    expect(await job.textContent()).not.toContain('succeeded');
    const id = await job.getAttribute('data-message-id');
    await shot('snapshot-running');

    pg.atlas.simulator?.clock.advance(5 * MINUTE);
    const same = page.locator(`article[data-message-id="${id}"]`).first();
    await until(() => same.textContent(), 15_000).toContain('succeeded');
    await until(() => same.locator('.msg-edited').textContent()).toBe('(edited)');
    // Its thread has the bot's closing reply.
    await same.getByRole('button', { name: '1 reply' }).click();
    const thread = page.getByRole('complementary', { name: 'Thread' });
    await until(() => thread.textContent()).toContain('finished after');
    await shot('snapshot-completed');
  });

  it('restores through the form, refuses the requester’s own approval, and runs once another approves', async () => {
    await run('/atlas restore');
    const modal = page.getByRole('dialog', { name: 'Restore a snapshot' });
    await until(() => modal.isVisible()).toBe(true);

    // Project → cluster: each pick reloads what depends on it, from Atlas.
    await modal.getByLabel('Project', { exact: true }).selectOption({ label: 'Staging' });
    await modal.getByLabel('Source cluster').selectOption('orders-staging');
    await until(() => modal.getByLabel('Snapshot', { exact: true }).isVisible()).toBe(true);
    // The target project is the form's own field (it started on the channel's project).
    await modal.getByLabel('Target project').selectOption({ label: 'Staging' });
    await modal.getByLabel('Target cluster (its data will be replaced)').selectOption('orders-staging');
    await modal.getByLabel('Reason').fill('INC-7: 지우가 검토 — undo the bad import');

    // Submitting without a snapshot: the bot's error is shown under its field.
    await modal.getByRole('button', { name: 'Review' }).click();
    const error = modal.getByRole('alert');
    await until(() => error.textContent()).toBe('Choose a snapshot.');
    await until(() => focused(modal.getByLabel('Snapshot', { exact: true }))).toBe(true);
    await shot('restore-form-error');
    // What was entered survived the bot's answer.
    await until(() => modal.getByLabel('Reason').inputValue()).toBe(
      'INC-7: 지우가 검토 — undo the bad import',
    );

    await modal.getByLabel('Snapshot', { exact: true }).selectOption({ index: 1 });
    await modal.getByRole('button', { name: 'Review' }).click();
    await until(() => modal.isHidden()).toBe(true);

    const shownConfirmation = messageWith('Nothing happens until you confirm.');
    await until(() => shownConfirmation.getAttribute('class')).toMatch(/ephemeral/);
    const confirmation = page.locator(
      `article[data-message-id="${await shownConfirmation.getAttribute('data-message-id')}"]`,
    );
    await confirmation.getByRole('button', { name: 'Confirm' }).click();
    await until(() => confirmation.textContent()).toContain('requesting it now');

    const request = messageWith('Waiting for approval');
    await until(() => request.isVisible()).toBe(true);
    await until(() => request.textContent()).toContain('INC-7: 지우가 검토 — undo the bad import');
    await shot('approval-request');

    // The requester's own Approve: asked to confirm, then refused with the reason.
    await request.getByRole('button', { name: 'Approve' }).click();
    const confirmDialog = page.getByRole('dialog', { name: 'Approve this change?' });
    await until(() => confirmDialog.isVisible()).toBe(true);
    await confirmDialog.getByRole('button', { name: 'Approve' }).click();
    const refusal = messageWith('Not counted: it is your own request.');
    await until(() => refusal.getAttribute('class')).toMatch(/ephemeral/);
    await shot('own-approval-refused');

    // Someone with no rights is refused too.
    await become(/Sam Guest/);
    await messageWith('Waiting for approval').getByRole('button', { name: 'Approve' }).click();
    await page
      .getByRole('dialog', { name: 'Approve this change?' })
      .getByRole('button', { name: 'Approve' })
      .click();
    await until(() => messageWith('Not counted: you are not an approver').isVisible()).toBe(true);

    // An approver approves: the request runs, and its job is followed in the channel.
    await become(/Avery/);
    await messageWith('Waiting for approval').getByRole('button', { name: 'Approve' }).click();
    await page
      .getByRole('dialog', { name: 'Approve this change?' })
      .getByRole('button', { name: 'Approve' })
      .click();
    const job = messageWith(/Restore job/);
    await until(() => job.isVisible(), 15_000).toBe(true);
    await until(() => job.textContent()).toContain('orders-staging');
    pg.atlas.simulator?.clock.advance(10 * MINUTE);
    await until(() => job.textContent(), 15_000).toContain('succeeded');
    await until(() =>
      messageWith(/Request `?\w/)
        .first()
        .isVisible(),
    ).toBe(true);
    await shot('restore-finished');

    // The request was posted in the approvals channel too, and audited in the audit channel.
    await page.getByRole('button', { name: '# db-approvals' }).click();
    await until(() => messages().filter({ hasText: 'INC-7' }).first().isVisible()).toBe(true);
    await page.getByRole('button', { name: '# atlas-audit' }).click();
    await until(() => messages().filter({ hasText: 'restore.automated' }).first().isVisible()).toBe(true);
  });
});
