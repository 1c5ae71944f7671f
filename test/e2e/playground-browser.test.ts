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
const until = <T>(probe: () => Promise<T>, timeout = 20_000) => expect.poll(probe, { timeout, interval: 25 });
const shots = screenshotDir();

// A real browser on a shared machine, beside the other test files: generous limits, never sleeps.
describe.skipIf(!chromiumAvailable)('the playground in a real browser', { timeout: 120_000 }, () => {
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
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(pg.url);
    await page.locator('#who option').first().waitFor({ state: 'attached' });
  }, 120_000);
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
  function focused(locator: Locator): Promise<boolean> {
    // The function runs in the page; the test's types do not know the page's globals.
    type PageGlobals = { document: { activeElement: unknown } };
    return locator.evaluate((el) => el === (globalThis as unknown as PageGlobals).document.activeElement);
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
    await until(() => same.textContent(), 30_000).toContain('succeeded');
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
    await until(() => job.isVisible(), 30_000).toBe(true);
    await until(() => job.textContent()).toContain('orders-staging');
    pg.atlas.simulator?.clock.advance(10 * MINUTE);
    await until(() => job.textContent(), 30_000).toContain('succeeded');
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

  it('asks for the cluster’s name in a form opened from Confirm… before a production restore', async () => {
    const sim = pg.atlas.simulator;
    const production = sim?.seed.projects.find((p) => p.name === 'Production');
    const now = sim?.clock.now() ?? 0;
    const snapshot = sim?.store
      .listSnapshots(production?.id ?? '', 'orders-prod')
      .find((x) => x.doneAt <= now && x.outcome === 'succeeded');
    await run(`/atlas restore orders-prod ${snapshot?.id ?? ''} --to orders-prod --project Production`);
    const confirmation = messageWith('you will be asked to type');
    await confirmation.getByRole('button', { name: 'Confirm…' }).click();
    const modal = page.getByRole('dialog', { name: 'Confirm on production' });
    await until(() => modal.isVisible()).toBe(true);
    const phrase = modal.getByLabel('Production is production. Type orders-prod to confirm.');
    await phrase.fill('orders-staging');
    await phrase.press('Enter');
    await until(() => modal.getByRole('alert').textContent()).toBe(
      'That is not orders-prod. Type orders-prod exactly, or press Back.',
    );
    await phrase.fill('orders-prod');
    await modal.getByRole('button', { name: 'Confirm' }).click();
    await until(() => modal.isHidden()).toBe(true);
    await until(() => messageWith('Waiting for approval').textContent()).toContain('orders-prod');
  });

  /** The bot's Web API, as the bot calls it (the page cannot tell the difference). */
  async function asTheBot(method: string, args: Record<string, unknown>) {
    const res = await fetch(`${pg.slack.apiUrl}${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${pg.slack.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    const body = (await res.json()) as { ok: boolean; view?: { id: string; hash: string } };
    expect(body.ok).toBe(true);
    return body;
  }

  const plain = (text: string) => ({ type: 'plain_text', text });
  const option = (text: string, value: string) => ({ text: plain(text), value });
  const deliveries = (actionOrKind: string) =>
    pg.delivery.deliveries.filter((d) => d.summary === actionOrKind || d.kind === actionOrKind).length;

  it('draws the Block Kit it knows, names what it does not, and never turns text into markup', async () => {
    await asTheBot('chat.postMessage', {
      channel: 'C0INCIDENT',
      text: 'gallery',
      blocks: [
        { type: 'header', text: plain('Gallery &lt;b&gt;not bold&lt;/b&gt; &amp; co') },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*bold* _italic_ ~struck~ `code` <https://example.com/docs?a=1&amp;b=2|a link> <javascript:alert(1)|no link> &lt;img src=x onerror="window.pwned=1"&gt; <@U0APPROVER1> <!subteam^S0APPROVERS> :white_check_mark: 10:00:30',
          },
          accessory: {
            type: 'overflow',
            action_id: 'gallery_more',
            options: [option('First', '1'), option('Second', '2')],
          },
        },
        { type: 'section', fields: [{ type: 'mrkdwn', text: '*Field one*\nvalue' }, plain('Field two')] },
        { type: 'divider' },
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: 'context _text_' },
            { type: 'image', image_url: 'https://example.com/logo.png', alt_text: 'a logo' },
          ],
        },
        {
          type: 'actions',
          block_id: 'gallery_actions',
          elements: [
            {
              type: 'button',
              action_id: 'gallery_primary',
              text: plain('Primary'),
              style: 'primary',
              value: 'p',
            },
            {
              type: 'button',
              action_id: 'gallery_danger',
              text: plain('Danger'),
              style: 'danger',
              value: 'd',
              confirm: {
                title: plain('Really?'),
                text: { type: 'mrkdwn', text: 'This *cannot* be undone.' },
                confirm: plain('Do it'),
                deny: plain('Keep it'),
                style: 'danger',
              },
            },
            {
              type: 'static_select',
              action_id: 'gallery_static',
              placeholder: plain('Pick one'),
              options: [option('Small', 's'), option('Large', 'l')],
            },
            {
              type: 'external_select',
              action_id: 'gallery_external',
              placeholder: plain('Search'),
              min_query_length: 1,
            },
            { type: 'datepicker', action_id: 'gallery_date' },
          ],
        },
        { type: 'rich_text', elements: [] },
      ],
    });
    const gallery = messageWith('Field two');
    await until(() => gallery.isVisible()).toBe(true);
    await shot('block-kit-gallery');

    await until(() => gallery.locator('.bk-header').textContent()).toBe('Gallery <b>not bold</b> & co');
    expect(await gallery.locator('strong').first().textContent()).toBe('bold');
    expect(await gallery.locator('em').first().textContent()).toBe('italic');
    expect(await gallery.locator('s').textContent()).toBe('struck');
    expect(await gallery.locator('code').first().textContent()).toBe('code');
    const link = gallery.getByRole('link', { name: 'a link' });
    expect(await link.getAttribute('href')).toBe('https://example.com/docs?a=1&b=2');
    expect(await gallery.locator('a').count()).toBe(1);
    const text = (await gallery.textContent()) ?? '';
    expect(text).toContain('no link');
    expect(text).toContain('<img src=x onerror="window.pwned=1">');
    expect(text).toContain('@Avery Okafor');
    expect(text).toContain('@db-approvers');
    expect(text).toContain('✅ 10:00:30');
    expect(await gallery.locator('img, script, iframe').count()).toBe(0);
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(await gallery.locator('.bk-field').count()).toBe(2);
    expect(await gallery.locator('hr.bk-divider').count()).toBe(1);
    expect(await gallery.getByRole('img', { name: 'a logo' }).count()).toBe(1);
    expect(await gallery.locator('.bk-unsupported').allTextContents()).toEqual([
      'Unsupported Block Kit element: datepicker (the playground does not draw it; Slack would)',
      'Unsupported Block Kit block: rich_text (the playground does not draw it; Slack would)',
    ]);
    expect(await gallery.getByRole('button', { name: 'Primary' }).getAttribute('class')).toContain('primary');

    // A confirm dialog: Escape keeps it, its confirm button sends the click to the bot.
    await gallery.getByRole('button', { name: 'Danger' }).click();
    const dialog = page.getByRole('dialog', { name: 'Really?' });
    await until(() => dialog.isVisible()).toBe(true);
    await until(() => focused(dialog.getByRole('button', { name: 'Keep it' }))).toBe(true);
    await page.keyboard.press('Escape');
    await until(() => dialog.isVisible()).toBe(false);
    expect(deliveries('gallery_danger')).toBe(0);
    await gallery.getByRole('button', { name: 'Danger' }).click();
    await dialog.getByRole('button', { name: 'Do it' }).click();
    await until(async () => deliveries('gallery_danger')).toBe(1);

    // The overflow menu, from the keyboard; the select; the external select asks the bot for options.
    await gallery.getByRole('button', { name: 'More actions' }).click();
    await until(() => focused(gallery.getByRole('menuitem', { name: 'First' }))).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await until(async () => deliveries('gallery_more')).toBe(1);
    await gallery.locator('select').selectOption('l');
    await until(async () => deliveries('gallery_static')).toBe(1);
    await gallery.getByRole('combobox', { name: 'Search' }).fill('ord');
    await until(async () => deliveries('block_suggestion')).toBe(1);
    // This bot offers no external options: the box says so, and the page says why.
    await until(() => gallery.locator('.bk-suggest-status').textContent()).toBe('No options.');
  });

  it('shows views as the bot opens, pushes and updates them; Escape closes the top one', async () => {
    const riley = 'U0REQUESTER';
    const form = (title: string, label: string) => ({
      type: 'modal',
      title: plain(title),
      close: plain('Back'),
      blocks: [
        {
          type: 'input',
          block_id: 'note',
          label: plain(label),
          element: { type: 'plain_text_input', action_id: 'note' },
        },
      ],
    });
    const root = await asTheBot('views.open', {
      trigger_id: pg.slack.triggers.issue(riley),
      view: form('First view', 'Note'),
    });
    const first = page.getByRole('dialog', { name: 'First view' });
    await until(() => first.isVisible()).toBe(true);
    await first.getByLabel('Note').fill('typed by Riley');
    await asTheBot('views.push', {
      trigger_id: pg.slack.triggers.issue(riley),
      view: form('Second view', 'Other'),
    });
    const second = page.getByRole('dialog', { name: 'Second view' });
    await until(() => second.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await until(() => first.isVisible()).toBe(true);
    // An update keeps what was typed in a field that is still there.
    await asTheBot('views.update', {
      view_id: root.view?.id,
      hash: root.view?.hash,
      view: form('First, updated', 'Note'),
    });
    const updated = page.getByRole('dialog', { name: 'First, updated' });
    await until(() => updated.isVisible()).toBe(true);
    expect(await updated.getByLabel('Note').inputValue()).toBe('typed by Riley');
    await page.keyboard.press('Escape');
    await until(() => page.locator('dialog[open]').count()).toBe(0);
    expect(pg.slack.views.stack(riley)).toEqual([]);
  });
});
