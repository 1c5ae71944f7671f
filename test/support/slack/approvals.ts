import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningSimulator } from '@atlas-backups/atlas-sim';
import type { ApprovalRequest } from '@atlas-backups/core';
import { waitFor, type ShownMessage } from './fake-slack.js';
import { blockText, buttons, type BotHarness } from './harness.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A policy file in a temp dir, and the environment that points the bot at it (ATLAS_POLICY_FILE). */
export function policyFile(yaml: string): { env: Record<string, string>; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'slack-policy-'));
  const path = join(dir, 'policy.yaml');
  writeFileSync(path, yaml);
  return { env: { ATLAS_POLICY_FILE: path }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock the approval engine reads; tests move it instead of sleeping. */
export function testClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms: number) {
      offset += ms;
    },
  };
}

export function seededProject(h: BotHarness, name: string) {
  const p = h.sim.seed.projects.find((x) => x.name === name);
  if (!p) throw new Error(`no seeded project ${name}`);
  return p;
}

/** A snapshot of the cluster that has completed by the simulator's clock. */
export function completedSnapshot(sim: RunningSimulator, projectId: string, cluster: string) {
  const now = sim.clock.now();
  const s = sim.store
    .listSnapshots(projectId, cluster)
    .find((x) => x.doneAt <= now && x.outcome === 'succeeded');
  if (!s) throw new Error(`no completed snapshot on ${cluster}`);
  return s;
}

/** A snapshot of the Flex cluster that has completed by the simulator's clock. */
export function completedFlexSnapshot(sim: RunningSimulator, projectId: string, cluster: string) {
  const now = sim.clock.now();
  const s = sim.store
    .listFlexSnapshots(projectId, cluster)
    .find((x) => x.finishTime <= now && x.outcome === 'succeeded');
  if (!s) throw new Error(`no completed Flex snapshot on ${cluster}`);
  return s;
}

/** Restore jobs the simulator was asked to create (POSTs that it answered with success). */
export function restoreCreates(h: BotHarness): number {
  return h.sim.requests.filter(
    (r) => r.method === 'POST' && r.path.endsWith('/backup/restoreJobs') && r.status >= 200 && r.status < 300,
  ).length;
}

/** The top-level messages in any channel that are about this request. */
export function requestMessages(h: BotHarness, requestId: string): ShownMessage[] {
  return [...h.slack.messages.values()].filter(
    (m) => m.threadTs === undefined && blockText(m.blocks).includes(`Request \`${requestId}\``),
  );
}

/** Waits until every message about the request (at least `count`) shows `needle`. */
export async function untilShown(
  h: BotHarness,
  requestId: string,
  needle: string | RegExp,
  count = 1,
): Promise<ShownMessage[]> {
  return waitFor(
    () => {
      const shown = requestMessages(h, requestId);
      const has = (m: ShownMessage) =>
        typeof needle === 'string' ? blockText(m.blocks).includes(needle) : needle.test(blockText(m.blocks));
      return shown.length >= count && shown.every(has) ? shown : undefined;
    },
    `every message about ${requestId} to show ${String(needle)}`,
  );
}

/** The buttons on the request's message (Approve, Deny…, Cancel request), by action id. */
export function requestButtons(message: ShownMessage) {
  const all = buttons(message.blocks);
  const find = (id: string) => {
    const b = all.find((x) => x.action_id === id);
    if (!b) throw new Error(`no ${id} button on the message`);
    return { action_id: b.action_id, value: b.value };
  };
  return {
    approve: () => find('atlas_approval_approve'),
    deny: () => find('atlas_approval_deny'),
    cancel: () => find('atlas_approval_cancel'),
    all,
  };
}

export interface RequestedRestore {
  request: ApprovalRequest;
  snapshotId: string;
  projectId: string;
  /** The message in the requester's channel. */
  origin: ShownMessage;
}

/**
 * `/atlas restore …` on Staging's orders-staging by `user`, confirmed, which policy sends for
 * approval: returns the stored request and its message in the requester's channel.
 */
export async function requestRestore(
  h: BotHarness,
  options: { user?: string; channel?: string; reason?: string; messages?: number } = {},
): Promise<RequestedRestore> {
  const user = options.user ?? 'U0ONCALL1';
  const channel = options.channel ?? 'C0INCIDENT';
  const staging = seededProject(h, 'Staging');
  const snap = completedSnapshot(h.sim, staging.id, 'orders-staging');
  const engine = h.approvals;
  if (!engine) throw new Error('the harness has no approval engine');
  const before = new Set((await engine.store.recent(1000)).map((r) => r.id));
  const reason = options.reason ? ` --reason "${options.reason}"` : '';
  const res = await h.command(
    `restore orders-staging ${snap.id} --to orders-staging --project Staging${reason}`,
    { user, channel },
  );
  const confirmation = await h.responseTo(res.responseUrl, 1, 'the confirmation');
  const confirm = buttons(confirmation.body.blocks).find((b) => b.action_id === 'atlas_confirm');
  if (!confirm) throw new Error(`no Confirm button: ${blockText(confirmation.body.blocks)}`);
  await h.click(confirm, { user, channel });
  const request = await waitFor(
    async () => (await engine.store.recent(1000)).find((r) => !before.has(r.id)),
    'the stored approval request',
  );
  const [origin] = await waitFor(() => {
    const shown = requestMessages(h, request.id);
    return shown.length >= (options.messages ?? 1) ? shown.filter((m) => m.channel === channel) : undefined;
  }, 'the request message');
  if (!origin) throw new Error('the request was not posted in the requester channel');
  return { request, snapshotId: snap.id, projectId: staging.id, origin };
}

/** The ephemeral answers posted to a click's response_url, as text. */
export async function answerTo(h: BotHarness, responseUrl: string, what = 'the answer to the click') {
  const post = await h.responseTo(responseUrl, 1, what);
  return { post, text: blockText(post.body.blocks), ephemeral: post.body.response_type === 'ephemeral' };
}
