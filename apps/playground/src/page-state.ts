import type { AppDelivery, RecordedCall, SlackSim } from '@atlas-backups/slack-sim';
import { commandUsages } from '@atlas-backups/slackbot';
import type { PageCommand, PageMessage, PageState, PageTraffic } from './page-protocol.js';
import { approverGroup, channels, people } from './people.js';

const purposes: Record<string, string> = {
  C0INCIDENT: 'Type /atlas commands here',
  C0APPROVALS: 'ATLAS_APPROVALS_CHANNEL: approval requests are posted here too',
  C0ATLASAUDIT: 'ATLAS_AUDIT_CHANNEL: one line per audit entry',
};

/** The command list shown as you type: every usage line of every subcommand, as `/atlas help` has them. */
export const pageCommands: PageCommand[] = commandUsages.flatMap((u) =>
  u.usage.map((usage) => ({
    insert: `/atlas ${u.topic} `,
    usage,
    summary: u.summary,
    changes: u.changes,
  })),
);

const trafficShown = 150;

/** What the Web API call was about, in a few words. */
function callSummary(call: RecordedCall): string {
  const a = call.args;
  const bits = [call.method];
  for (const key of ['channel', 'user', 'ts', 'thread_ts', 'view_id', 'usergroup'] as const)
    if (typeof a[key] === 'string') bits.push(`${key}=${a[key]}`);
  return bits.join(' ');
}

/** The workspace as `you` see it: every channel message, your ephemeral messages and modals. */
export function pageState(
  slack: SlackSim,
  delivery: AppDelivery,
  you: string,
  version: number,
  banner: string,
): PageState {
  const channelMessages: PageMessage[] = [...slack.messages.values()].map((m) => ({
    id: `${m.channel}/${m.ts}`,
    channel: m.channel,
    ts: m.ts,
    threadTs: m.threadTs,
    author: m.user,
    text: m.text,
    blocks: m.blocks,
    edited: m.updates > 0,
    ephemeral: false,
    replyCount: m.threadTs === undefined ? slack.threadReplies(m.channel, m.ts).length : 0,
  }));
  const ephemeral: PageMessage[] = slack.ephemeralFor(you).map((m) => ({
    id: m.id,
    channel: m.channel,
    ts: m.ts,
    threadTs: m.threadTs,
    author: m.from === 'bot' ? slack.botUserId : 'USLACKBOT',
    text: m.text,
    blocks: m.blocks,
    edited: m.updates > 0,
    ephemeral: true,
    replyCount: 0,
  }));
  const messages = [...channelMessages, ...ephemeral].sort((a, b) => compareTs(a.ts, b.ts));

  const traffic: PageTraffic[] = [
    ...delivery.deliveries.map((d) => ({
      at: d.at,
      direction: 'to bot' as const,
      summary: `${d.kind} ${d.summary}`,
      outcome: typeof d.status === 'number' ? `HTTP ${d.status} in ${d.ms} ms` : d.status,
    })),
    ...slack.calls.slice(-trafficShown).map((c) => ({
      at: c.at,
      direction: 'Web API' as const,
      summary: callSummary(c),
      outcome: c.ok ? 'ok' : `error: ${c.error ?? '?'}`,
    })),
    ...slack.responsePosts.slice(-trafficShown).map((p) => ({
      at: p.at,
      direction: 'response_url' as const,
      summary: [
        typeof p.body.response_type === 'string' ? p.body.response_type : 'ephemeral',
        p.body.replace_original === true ? 'replace_original' : '',
        p.body.delete_original === true ? 'delete_original' : '',
      ]
        .filter(Boolean)
        .join(' '),
      outcome: 'ok',
    })),
  ]
    .sort((a, b) => a.at - b.at)
    .slice(-trafficShown);

  return {
    version,
    you,
    workspace: { name: slack.teamName, botUserId: slack.botUserId, botName: slack.botName, banner },
    people: people.map((p) => ({
      id: p.id,
      name: p.name,
      realName: p.realName ?? p.name,
      role: p.role,
      description: p.description,
    })),
    channels: channels.map((c) => ({ id: c.id, name: c.name, purpose: purposes[c.id] ?? '' })),
    userGroups: [{ id: approverGroup.id, handle: approverGroup.handle }],
    commands: pageCommands,
    messages,
    views: slack.views.stack(you).map((v) => ({ id: v.id, hash: v.hash, view: v.view, errors: v.errors })),
    traffic,
  };
}

/** Slack timestamps in order: seconds, then the part after the dot. */
function compareTs(a: string, b: string): number {
  const [as = '0', af = '0'] = a.split('.');
  const [bs = '0', bf = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(af) - Number(bf);
}
