import type { SimChannel, SimUser } from '@atlas-backups/slack-sim';

/** Someone you can be in the playground, and what the playground policy lets them do. */
export interface PlaygroundPerson extends SimUser {
  role: 'requester' | 'approver' | 'no rights';
  /** One line for the person switcher. */
  description: string;
}

/** The playground's people; their ids are the ones `playground-policy.yaml` names. */
export const people: PlaygroundPerson[] = [
  {
    id: 'U0REQUESTER',
    name: 'riley',
    realName: 'Riley Chen',
    role: 'requester',
    description: 'On call: reads, takes snapshots, asks for restores and exports',
  },
  {
    id: 'U0APPROVER1',
    name: 'avery',
    realName: 'Avery Okafor',
    role: 'approver',
    description: 'DBA in @db-approvers: approves what others ask',
  },
  {
    id: 'U0APPROVER2',
    name: 'jiwoo',
    realName: '김지우 Jiwoo Kim',
    role: 'approver',
    description: 'DBA in @db-approvers: approves what others ask',
  },
  {
    id: 'U0NORIGHTS',
    name: 'guest',
    realName: 'Sam Guest',
    role: 'no rights',
    description: 'No rights: sees no project; every change and approval is refused',
  },
];

export const approverGroup = { id: 'S0APPROVERS', handle: 'db-approvers' } as const;

/** The channel you start in, where commands are typed. */
export const incidentChannel: SimChannel = { id: 'C0INCIDENT', name: 'incident' };
/** ATLAS_APPROVALS_CHANNEL: approval requests are posted here too. */
export const approvalsChannel: SimChannel = { id: 'C0APPROVALS', name: 'db-approvals' };
/** ATLAS_AUDIT_CHANNEL: every audit entry is posted here, one line each. */
export const auditChannel: SimChannel = { id: 'C0ATLASAUDIT', name: 'atlas-audit' };

export const channels: SimChannel[] = [incidentChannel, approvalsChannel, auditChannel];

export const workspace = { teamId: 'T0PLAYGROUND', teamName: 'Playground', botUserId: 'U0ATLASBOT' };
