import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AtlasClient, openDatabase, type Database } from '@atlas-backups/core';
import { createSlackApprovalStack } from '@atlas-backups/slackbot';
import { completedSnapshot, policyFile, seededProject } from '../support/slack/approvals.js';
import { waitFor, type RecordedCall } from '../support/slack/fake-slack.js';
import { BotHarness, blockText, botToken, buttons } from '../support/slack/harness.js';

const dba = 'U0DBA00001';
const developer = 'U0DEVELOP1';
const leads = ['U0LEAD0001', 'U0LEAD0002', 'U0LEAD0003'];
const incident = 'C0INCIDENT';
const elsewhere = 'C0RANDOM01';

type Logger = NonNullable<Parameters<typeof createSlackApprovalStack>[0]['logger']>;

/** Production is for DBAs (to see, and to restore onto from #incident); the rest is open. */
const policy = `
version: 1
rules:
  - name: production restores need two leads
    actions: [restore.automated, restore.pointInTime]
    projects: [{ production: true }]
    usergroups: [S0DBATEAM]
    channels: [${incident}]
    approval: { required: 2, approvers: { users: [${leads.join(', ')}] } }
  - name: exports only from the incident channel
    actions: [export.create]
    channels: [${incident}]
    otherwise: deny
  - name: other restores need anyone
    actions: [restore]
    approval: { required: 1 }
  - name: only DBAs see production
    actions: [read]
    projects: [{ production: true }]
    usergroups: [S0DBATEAM]
  - name: everyone reads the rest and takes snapshots
    actions: [read, snapshot]
`;

type View = Record<string, unknown> & { id: string; blocks: Record<string, unknown>[] };
type Values = Record<string, Record<string, Record<string, unknown>>>;

const selected = (value: string) => ({
  type: 'static_select',
  selected_option: { text: { type: 'plain_text', text: value }, value },
});

const viewCalls = (h: BotHarness) =>
  h.slack.calls.filter((c) => c.method === 'views.open' || c.method === 'views.update');

/** The form as Slack shows it after the bot's next views.open/views.update (after `after` calls). */
function nextView(h: BotHarness, after: number): Promise<{ view: View; call: RecordedCall }> {
  return waitFor(() => {
    const calls = viewCalls(h);
    const call = calls[calls.length - 1];
    if (!call || calls.length <= after) return undefined;
    const view = call.args.view as View;
    return { view: { ...view, id: (call.args.view_id as string | undefined) ?? 'V00000001' }, call };
  }, 'the form to be drawn');
}

/** Opens `/atlas <kind>` and returns the form once it has been filled from Atlas. */
async function openForm(h: BotHarness, kind: 'restore' | 'export', user: string, channel: string) {
  const before = viewCalls(h).length;
  const res = await h.command(kind, { user, channel });
  const { view } = await nextView(h, before + 1);
  return { view, responseUrl: res.responseUrl };
}

function block(view: View, prefix: string): Record<string, unknown> | undefined {
  return view.blocks.find(
    (b) => typeof b.block_id === 'string' && (b.block_id === prefix || b.block_id.startsWith(`${prefix}@`)),
  );
}

function optionValues(b: Record<string, unknown> | undefined): string[] {
  const el = (b?.element ?? {}) as { options?: { value: string }[] };
  return (el.options ?? []).map((o) => o.value);
}

/**
 * Types the phrase into the production confirmation form and submits it, with private_metadata
 * claiming the form came from #incident. Returns the answer posted to the Confirm click.
 */
async function submitPhrase(h: BotHarness, form: RecordedCall, phrase: string, clickResponseUrl: string) {
  const view = form.args.view as Record<string, unknown>;
  const meta = JSON.parse(view.private_metadata as string) as Record<string, unknown>;
  const crafted = { ...view, private_metadata: JSON.stringify({ ...meta, channelId: incident }) };
  const submitted = await h.submitView(
    crafted,
    { phrase: { phrase_value: { type: 'plain_text_input', value: phrase } } },
    { user: dba },
  );
  expect(submitted.text).toBe('');
  return blockText((await h.responseTo(clickResponseUrl, 2, 'the answer to the form')).body.blocks);
}

const exportCreates = (h: BotHarness) =>
  h.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/backup/exports')).length;

describe('Slack pickers list only what the person may read', () => {
  let h: BotHarness;
  let file: ReturnType<typeof policyFile>;
  beforeAll(async () => {
    file = policyFile(policy);
    h = await BotHarness.start({ approvals: { env: file.env } });
    h.slack.userGroups.set('S0DBATEAM', [dba]);
    // A DBA makes Production the default of a channel the developer also uses.
    const use = await h.command('use Production', { user: dba, channel: 'C0PRODDEFT' });
    expect(blockText((await h.responseTo(use.responseUrl)).body.blocks)).toContain('Production');
  });
  afterAll(async () => {
    await h?.close();
    file?.remove();
  });

  it('does not start the restore form on a channel default the person may not read, nor list its clusters', async () => {
    const prod = seededProject(h, 'Production');
    const { view } = await openForm(h, 'restore', developer, 'C0PRODDEFT');
    const projects = optionValues(block(view, 'form_project'));
    expect(projects).not.toContain(prod.id);
    expect(projects).toHaveLength(h.sim.seed.projects.length - 1);
    const picked = (block(view, 'form_project')?.element as { initial_option?: unknown }).initial_option;
    expect(picked).toBeUndefined();
    expect(block(view, 'form_cluster')).toBeUndefined();
    expect(blockText(view.blocks)).not.toContain('orders-prod');
    expect(JSON.stringify(view)).not.toContain(prod.id);

    // The DBA, in the same channel, gets Production and its clusters.
    const forDba = await openForm(h, 'restore', dba, 'C0PRODDEFT');
    expect(optionValues(block(forDba.view, 'form_cluster'))).toContain('orders-prod');
  });

  it('lists neither clusters, snapshots nor target clusters of a project picked by id that the person may not read', async () => {
    const prod = seededProject(h, 'Production');
    const staging = seededProject(h, 'Staging');
    h.sim.clearRequests();
    const { view } = await openForm(h, 'restore', developer, elsewhere);
    expect(optionValues(block(view, 'form_target_project'))).not.toContain(prod.id);
    // A crafted pick: Production as the source with a cluster and as the restore's target.
    const values: Values = {
      form_project: { form_project: selected(prod.id) },
      [`form_cluster@${prod.id}`]: { form_cluster: selected('orders-prod') },
      form_target_project: { form_target_project: selected(prod.id) },
    };
    let count = viewCalls(h).length;
    await h.pick(
      view,
      values,
      { block_id: 'form_project', action_id: 'form_project', value: prod.id },
      { user: developer },
    );
    let shown = (await nextView(h, count)).view;
    expect(block(shown, 'form_cluster')).toBeUndefined();
    expect(block(shown, 'form_snapshot')).toBeUndefined();
    expect(blockText(shown.blocks)).not.toContain('orders-prod');

    // Staging as the source, Production as the target: no Production clusters to restore onto.
    count = viewCalls(h).length;
    await h.pick(
      view,
      { ...values, form_project: { form_project: selected(staging.id) } },
      { block_id: 'form_target_project', action_id: 'form_target_project', value: prod.id },
      { user: developer },
    );
    shown = (await nextView(h, count)).view;
    expect(optionValues(block(shown, 'form_cluster'))).toEqual(['orders-staging', 'staging-flex']);
    expect(optionValues(block(shown, 'form_target_cluster'))).toEqual(['orders-staging']);
    expect(blockText(shown.blocks)).not.toContain('orders-prod');
    expect(h.sim.requests.some((r) => r.path.includes(`/groups/${prod.id}/`) && r.method === 'GET')).toBe(
      false,
    );
  });

  it('does not list export buckets of a project the person may not read', async () => {
    const prod = seededProject(h, 'Production');
    const { view } = await openForm(h, 'export', developer, elsewhere);
    const count = viewCalls(h).length;
    await h.pick(
      view,
      { form_project: { form_project: selected(prod.id) } },
      { block_id: 'form_project', action_id: 'form_project', value: prod.id },
      { user: developer },
    );
    const shown = (await nextView(h, count)).view;
    expect(block(shown, 'form_bucket')).toBeUndefined();
    expect(blockText(shown.blocks)).not.toContain('acme-atlas-exports');
  });

  it('refuses a crafted form submission naming a project the person may not read', async () => {
    const prod = seededProject(h, 'Production');
    const snap = completedSnapshot(h.sim, prod.id, 'orders-prod');
    const { view, responseUrl } = await openForm(h, 'restore', developer, elsewhere);
    const submitted = await h.submitView(
      view,
      {
        form_project: { form_project: selected(prod.id) },
        [`form_cluster@${prod.id}`]: { form_cluster: selected('orders-prod') },
        [`form_snapshot@${prod.id}/orders-prod`]: { form_snapshot: selected(snap.id) },
        form_delivery: { form_delivery: { type: 'radio_buttons', selected_option: { value: 'download' } } },
      },
      { user: developer },
    );
    expect(submitted.status).toBe(200);
    const answer = blockText((await h.responseTo(responseUrl)).body.blocks);
    expect(answer).toContain(`project ${prod.id} is not visible to you`);
    expect(answer).toContain('POLICY_DENIED');
    expect(answer).not.toContain(snap.id);
  });
});

describe('policy inputs of a later click come from what was stored with the request', () => {
  let h: BotHarness;
  let file: ReturnType<typeof policyFile>;
  beforeAll(async () => {
    file = policyFile(policy);
    h = await BotHarness.start({ approvals: { env: file.env } });
    h.slack.userGroups.set('S0DBATEAM', [dba]);
  });
  afterAll(async () => {
    await h?.close();
    file?.remove();
  });

  it('decides a Confirm click on the channel the change was asked in, not the channel the click names', async () => {
    const staging = seededProject(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    const before = exportCreates(h);
    const res = await h.command(
      `export orders-staging ${snap.id} --bucket ${staging.exportBucketIds[0] ?? ''} --project Staging`,
      { user: developer, channel: elsewhere },
    );
    const confirmation = await h.responseTo(res.responseUrl, 1, 'the confirmation');
    const confirm = buttons(confirmation.body.blocks).find((b) => b.action_id === 'atlas_confirm');
    expect(confirm).toBeDefined();
    // The click claims to come from #incident, where exports are allowed.
    const click = await h.click(confirm as { action_id: string; value: string }, {
      user: developer,
      channel: incident,
    });
    const answer = blockText((await h.responseTo(click.responseUrl, 2, 'the refusal')).body.blocks);
    expect(answer).toContain('rule "exports only from the incident channel" governs export.create');
    expect(answer).toContain(`asking from ${incident}`);
    await h.bot.idle();
    expect(exportCreates(h)).toBe(before);
  });

  it("decides a production confirmation form on the stored channel, not the form's private_metadata", async () => {
    const prod = seededProject(h, 'Production');
    const snap = completedSnapshot(h.sim, prod.id, 'orders-prod');
    const opened = (await h.approvals?.store.recent(1000))?.length ?? 0;
    const res = await h.command(`restore orders-prod ${snap.id} --to orders-prod --project Production`, {
      user: dba,
      channel: elsewhere,
    });
    const confirmation = await h.responseTo(res.responseUrl, 1, 'the confirmation');
    const confirm = buttons(confirmation.body.blocks).find((b) => b.action_id === 'atlas_confirm');
    const before = h.slack.callsTo('views.open').length;
    const click = await h.click(confirm as { action_id: string; value: string }, {
      user: dba,
      channel: incident,
    });
    const form = await waitFor(() => h.slack.callsTo('views.open')[before], 'the production form');
    const refusal = await submitPhrase(h, form, 'orders-prod', click.responseUrl);
    expect(refusal).toContain('rule "production restores need two leads" governs restore.automated');
    await h.bot.idle();
    expect((await h.approvals?.store.recent(1000))?.length).toBe(opened);
  });

  it("decides a restore form's submission on the channel it was opened in, not its private_metadata", async () => {
    const prod = seededProject(h, 'Production');
    const snap = completedSnapshot(h.sim, prod.id, 'orders-prod');
    const { view, responseUrl } = await openForm(h, 'restore', dba, elsewhere);
    const meta = JSON.parse(view.private_metadata as string) as Record<string, unknown>;
    const crafted = { ...view, private_metadata: JSON.stringify({ ...meta, channelId: incident }) };
    const submitted = await h.submitView(
      crafted,
      {
        form_project: { form_project: selected(prod.id) },
        [`form_cluster@${prod.id}`]: { form_cluster: selected('orders-prod') },
        [`form_snapshot@${prod.id}/orders-prod`]: { form_snapshot: selected(snap.id) },
        form_delivery: { form_delivery: { type: 'radio_buttons', selected_option: { value: 'automated' } } },
        form_target_project: { form_target_project: selected(prod.id) },
        [`form_target_cluster@${prod.id}`]: { form_target_cluster: selected('orders-prod') },
      },
      { user: dba },
    );
    expect(submitted.text).toBe('');
    const confirmation = await h.responseTo(responseUrl, 1, 'the confirmation');
    const confirm = buttons(confirmation.body.blocks).find((b) => b.action_id === 'atlas_confirm');
    const stored = h.db
      .prepare<[string], { channel_id: string }>('SELECT channel_id FROM bot_confirmations WHERE id = ?')
      .get(confirm?.value ?? '');
    expect(stored?.channel_id).toBe(elsewhere);

    // Every later step claims #incident too; the request is still decided as asked from elsewhere.
    const before = h.slack.callsTo('views.open').length;
    const click = await h.click(confirm as { action_id: string; value: string }, {
      user: dba,
      channel: incident,
    });
    const form = await waitFor(() => h.slack.callsTo('views.open')[before], 'the production form');
    const refusal = await submitPhrase(h, form, 'orders-prod', click.responseUrl);
    expect(refusal).toContain('rule "production restores need two leads" governs restore.automated');
    expect(refusal).toContain(`members of user group S0DBATEAM asking from ${incident}`);
  });
});

describe('a form the bot has no record of', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is replaced by a notice instead of being trusted: nothing is proposed', async () => {
    const staging = seededProject(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    const { view } = await openForm(h, 'restore', developer, elsewhere);
    // Another person's submission of this view, and a view the bot never opened.
    for (const [user, id] of [
      ['U0SOMEONE1', view.id],
      [developer, 'V99999999'],
    ] as const) {
      const submitted = await h.submitView(
        { ...view, id, private_metadata: JSON.stringify({ kind: 'restore', channelId: incident }) },
        {
          form_project: { form_project: selected(staging.id) },
          [`form_cluster@${staging.id}`]: { form_cluster: selected('orders-staging') },
          [`form_snapshot@${staging.id}/orders-staging`]: { form_snapshot: selected(snap.id) },
          form_delivery: { form_delivery: { type: 'radio_buttons', selected_option: { value: 'download' } } },
        },
        { user },
      );
      expect(submitted.json?.response_action).toBe('update');
      expect(blockText((submitted.json?.view as { blocks: unknown }).blocks)).toContain(
        'This form is no longer known to the bot',
      );
    }
    await h.bot.idle();
    expect(h.slack.responsePosts).toEqual([]);
  });
});

describe('user groups Slack will not give', () => {
  const groupPolicy = `
version: 1
rules:
  - name: DBA restores need two leads
    actions: [restore]
    usergroups: [S0DBATEAM]
    approval: { required: 2, approvers: { users: [${leads.join(', ')}] } }
  - name: other restores need anyone
    actions: [restore]
    approval: { required: 1 }
  - actions: [read, snapshot, export]
`;
  let h: BotHarness;
  let file: ReturnType<typeof policyFile>;
  beforeAll(async () => {
    file = policyFile(groupPolicy);
    h = await BotHarness.start({ approvals: { env: file.env } });
    h.slack.userGroups.set('S0DBATEAM', [dba]);
  });
  afterAll(async () => {
    await h?.close();
    file?.remove();
  });

  it('refuse the request with MEMBERSHIP_UNAVAILABLE and its hint instead of using the looser rule', async () => {
    const staging = seededProject(h, 'Staging');
    const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
    h.slack.failNext('usergroups.users.list', { error: 'ratelimited' }, 5);
    const res = await h.command(`restore orders-staging ${snap.id} --to orders-staging --project Staging`, {
      user: dba,
      channel: incident,
    });
    const confirmation = await h.responseTo(res.responseUrl, 1, 'the confirmation');
    const confirm = buttons(confirmation.body.blocks).find((b) => b.action_id === 'atlas_confirm');
    const click = await h.click(confirm as { action_id: string; value: string }, {
      user: dba,
      channel: incident,
    });
    const answer = blockText((await h.responseTo(click.responseUrl, 2, 'the refusal')).body.blocks);
    expect(answer).toContain('MEMBERSHIP_UNAVAILABLE');
    expect(answer).toContain('rule "DBA restores need two leads" may apply');
    expect(answer).toContain('Nothing was done. Try again in a minute');
    await h.bot.idle();
    expect(await h.approvals?.store.recent(10)).toEqual([]);
  });
});

describe('policy warnings at start', () => {
  it('are logged by the bot as policy:check prints them', async () => {
    const file = policyFile(`
version: 1
rules:
  - name: restores need two leads
    actions: [restore]
    usergroups: [S0DBATEAM]
    approval: { required: 2, approvers: { users: [${leads.join(', ')}] } }
  - name: other restores need anyone
    actions: [restore]
    approval: { required: 1 }
`);
    const warned: string[] = [];
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (...msg: unknown[]) => void warned.push(msg.join(' ')),
      error: () => undefined,
      setLevel: () => undefined,
      getLevel: () => 'warn' as ReturnType<Logger['getLevel']>,
      setName: () => undefined,
    };
    const db: Database = openDatabase(':memory:');
    const client = new AtlasClient({
      baseUrl: 'http://127.0.0.1:9',
      credentials: { kind: 'apiKey', publicKey: 'unused', privateKey: 'unused' },
    });
    try {
      const stack = createSlackApprovalStack({ db, client, botToken, logger, env: file.env });
      expect(stack.policyWarnings).toHaveLength(1);
      expect(warned).toEqual([
        expect.stringContaining(
          'rules[1] ("other restores need anyone"): catches restore.automated, restore.download, restore.pointInTime, restore.collections.createNew, restore.collections.overwrite, restore.cancel, restore.flex and restore.download.flex requests that rules[0] ("restores need two leads") leaves out',
        ),
      ]);
    } finally {
      db.close();
      await client.close();
      file.remove();
    }
  });
});
