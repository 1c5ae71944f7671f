import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ActionPreview, ApprovalRequest, Project } from '@atlas-backups/core';
import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { approvalRequestMessage } from '../src/approvals/approval-blocks.js';
import { denyModal } from '../src/approvals/deny-modal.js';
import { confirmationMessage } from '../src/changes/confirmation-message.js';
import { phraseModal } from '../src/changes/phrase-modal.js';
import { renderForm, type FormData, type FormSelection } from '../src/forms/backup-form.js';
import type { SlackMessage } from '../src/blocks/message.js';
import { text } from '../src/blocks/slack-text.js';
import type { CommandModule } from '../src/commands/command.js';
import { helpMessage } from '../src/commands/help.js';
import { commands, commandUsages } from '../src/commands/index.js';
import { parseCommand } from '../src/commands/parse.js';
import { clickHandlers } from '../src/listeners/actions/index.js';
import { submissionHandlers } from '../src/listeners/views/index.js';

const src = join(import.meta.dirname, '..', 'src');

function isCommandModule(value: unknown): value is CommandModule<unknown> {
  const v = value as Partial<CommandModule<unknown>> | null;
  return typeof v === 'object' && v !== null && typeof v.topic === 'string' && typeof v.read === 'function';
}

describe('every /atlas command is registered once, listed in help, and reached by its own examples', () => {
  it('each command module in commands/ is in the registry', async () => {
    const dir = join(src, 'commands');
    const defined: string[] = [];
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const exported = (await import(join(dir, name))) as Record<string, unknown>;
      for (const [exportName, value] of Object.entries(exported))
        if (isCommandModule(value)) {
          defined.push(value.topic);
          expect(commands, `${name} exports ${exportName}: add it to commands/index.ts`).toContain(value);
        }
    }
    expect(defined.length).toBeGreaterThan(10);
    expect(new Set(defined).size).toBe(commands.length);
  });

  it('no two commands answer to the same name', () => {
    const names = commands.flatMap((c) => c.names);
    expect(names.length).toBe(new Set(names).size);
  });

  it('each appears in /atlas help with its usage, and /atlas help <topic> explains it', () => {
    const overview = JSON.stringify(helpMessage(commandUsages).blocks);
    for (const c of commands) {
      expect(c.usage.length).toBeGreaterThan(0);
      for (const line of c.usage) expect(overview).toContain(JSON.stringify(String(text(line))).slice(1, -1));
      const asked = parseCommand(`help ${c.topic}`);
      expect(asked.ok && asked.command).toEqual({ kind: 'help', topic: c.topic });
    }
  });

  it.each(commands.map((c) => [c.topic, c] as const))(
    '`%s`: every example is read as this command',
    (_, c) => {
      expect(c.examples.length).toBeGreaterThan(0);
      for (const example of c.examples) {
        const parsed = parseCommand(example.replace(/^\/atlas\s*/, ''));
        expect(parsed.ok ? parsed.topic : parsed.error, example).toBe(c.topic);
      }
    },
  );
});

// ---- clicks and forms ------------------------------------------------------------------------

const preview = (over: Partial<ActionPreview> = {}): ActionPreview => ({
  action: 'restore.automated',
  title: 'Restore a snapshot',
  lines: ['Source: Cluster0'],
  warnings: ['Replaces the data of Cluster0.'],
  risk: 'destructive',
  projectId: 'aaaaaaaaaaaaaaaaaaaaaaaa',
  projectName: 'Production',
  production: true,
  ...over,
});

const request: ApprovalRequest = {
  id: 'req-1',
  state: 'open',
  action: 'restore.automated',
  projectId: 'aaaaaaaaaaaaaaaaaaaaaaaa',
  clusterName: 'Cluster0',
  requester: { id: 'U0REQUEST1', source: 'slack', channel: 'C0INCIDENT' },
  params: {},
  preview: preview(),
  rule: { required: 1, users: [], groups: [] } as unknown as ApprovalRequest['rule'],
  reason: 'INC-42',
  requestRef: 'ref-1',
  createdAt: '2025-03-01T09:00:00.000Z',
  expiresAt: '2025-03-01T10:00:00.000Z',
  updatedAt: '2025-03-01T09:00:00.000Z',
  votes: [],
  pools: [{ name: 'approvers', required: 1, votes: [] }],
  remindedAt: undefined,
  escalatedAt: undefined,
  breakGlass: undefined,
  remaining: 1,
  closedBy: undefined,
  closeReason: undefined,
  execution: undefined,
  error: undefined,
};

const project: Project = {
  id: 'aaaaaaaaaaaaaaaaaaaaaaaa',
  name: 'Production',
  orgId: 'bbbbbbbbbbbbbbbbbbbbbbbb',
  created: '2024-01-01T00:00:00Z',
  clusterCount: 1,
};
const formData: FormData = {
  projects: [project],
  clusters: [
    {
      name: 'Cluster0',
      kind: 'replicaSet',
      state: 'IDLE',
      mongoDBVersion: '8.0',
      backupEnabled: true,
      pitEnabled: true,
    },
  ],
  snapshots: [{ id: 'cccccccccccccccccccccccc', status: 'completed', createdAt: '2025-03-01T00:00:00Z' }],
  buckets: [{ _id: 'dddddddddddddddddddddddd', bucketName: 'backups', cloudProvider: 'AWS' }],
};
formData.targetClusters = formData.clusters;
const picked = (delivery: FormSelection['delivery']): FormSelection => ({
  delivery,
  projectId: project.id,
  cluster: 'Cluster0',
  snapshotId: 'cccccccccccccccccccccccc',
});

/** Every message and form of the bot that carries something to click, in each of its shapes. */
const messages: SlackMessage[] = [
  confirmationMessage(preview(), 'conf-1', 0),
  confirmationMessage(preview({ risk: 'safe', production: false }), 'conf-2', 0),
  approvalRequestMessage(request),
  approvalRequestMessage({
    ...request,
    state: 'executed',
    breakGlass: { reviewedBy: undefined, reviewedAt: undefined },
  }),
];
const modals: types.ModalView[] = [
  phraseModal(preview({ confirmPhrase: 'Cluster0' }), { confirmationId: 'conf-1' }),
  denyModal(request, { requestId: request.id, channelId: 'C0INCIDENT' }),
  renderForm({ kind: 'restore' }, picked('automated'), formData),
  renderForm({ kind: 'restore' }, picked('download'), formData),
  renderForm(
    { kind: 'restore' },
    { ...picked('pointInTime'), scope: 'collections' },
    { ...formData, namespaces: ['sales.orders'] },
  ),
  renderForm({ kind: 'export' }, picked('automated'), formData),
];
/** The files that make them; a file that starts making buttons, selects or forms belongs here. */
const rendered = [
  'approvals/approval-blocks.ts',
  'approvals/deny-modal.ts',
  'changes/confirmation-message.ts',
  'changes/phrase-modal.ts',
  'forms/backup-form.ts',
];

type AnyBlock = {
  type: string;
  elements?: unknown[];
  accessory?: unknown;
  element?: unknown;
  dispatch_action?: boolean;
};

/** The action ids Slack sends a block_actions request for: buttons, selects in actions blocks, dispatching inputs. */
function clickable(blocks: readonly unknown[]): string[] {
  return (blocks as AnyBlock[]).flatMap((b) => {
    const elements =
      b.type === 'actions'
        ? (b.elements ?? [])
        : b.type === 'section'
          ? [b.accessory]
          : b.type === 'input' && b.dispatch_action
            ? [b.element]
            : [];
    return (elements as ({ action_id?: string } | undefined)[]).flatMap((e) =>
      e?.action_id ? [e.action_id] : [],
    );
  });
}

describe('every click and form the bot offers reaches a handler, and every handler is reachable', () => {
  const clicks = new Set([
    ...messages.flatMap((m) => clickable(m.blocks)),
    ...modals.flatMap((v) => clickable(v.blocks)),
  ]);
  const callbacks = new Set(modals.flatMap((v) => (v.submit && v.callback_id ? [v.callback_id] : [])));

  it('each action id has a click handler', () => {
    expect([...clicks].filter((id) => !clickHandlers.has(id))).toEqual([]);
  });

  it('each click handler belongs to something the bot shows', () => {
    expect([...clickHandlers.keys()].filter((id) => !clicks.has(id))).toEqual([]);
  });

  it('each form that can be submitted has a handler, and its callback id reaches the view listener', () => {
    expect([...callbacks].filter((id) => !submissionHandlers.has(id))).toEqual([]);
    expect([...submissionHandlers.keys()].filter((id) => !callbacks.has(id))).toEqual([]);
    for (const id of callbacks) expect(id).toMatch(/^atlas_/);
  });

  it('only the files rendered above make buttons, selects or forms', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const path = join(dir, n);
        return statSync(path).isDirectory() ? files(path) : n.endsWith('.ts') ? [path] : [];
      });
    const makers = files(src)
      .filter((f) => /type: '(button|static_select|radio_buttons|modal)'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    expect(makers.sort()).toEqual([...rendered].sort());
  });
});
