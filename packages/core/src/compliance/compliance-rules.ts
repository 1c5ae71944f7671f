import { addRetention } from '../actions/retention.js';
import type { AtlasClient } from '../client/atlas-client.js';
import type { CompliancePolicyReading } from '../client/compliance.js';
import { CompliancePolicyError, toErrorInfo } from '../errors.js';
import { formatTimeSeconds } from '../present/format.js';
import type { CompliancePolicy, CompliancePolicyItem } from '../schemas/compliance.js';
import type { RetentionUnit, Snapshot } from '../schemas/snapshots.js';

/**
 * What a project's Backup Compliance Policy forbids, checked before anyone is asked to confirm
 * or approve, so a request Atlas would refuse under it never gets that far. Atlas enforces the
 * same rules itself; these only refuse earlier, naming the policy.
 */

/** `the Backup Compliance Policy of project Production`: how a refusal names the policy. */
export function compliancePolicyName(project: { id: string; name?: string | undefined }): string {
  return `the Backup Compliance Policy of project ${project.name ?? project.id}`;
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const unitOf: Record<string, RetentionUnit> = {
  days: 'DAYS',
  weeks: 'WEEKS',
  months: 'MONTHS',
  years: 'YEARS',
};

/** `2 days`, `1 week`, `12 months`; undefined when the item does not say (or says it in an unknown unit). */
export function describeMinimum(item: CompliancePolicyItem | undefined): string | undefined {
  if (!item || item.retentionValue === undefined || item.retentionUnit === undefined) return undefined;
  const unit = item.retentionValue === 1 ? item.retentionUnit.replace(/s$/, '') : item.retentionUnit;
  return `${item.retentionValue} ${unit}`;
}

/** `on-demand`, `daily`, `hourly`…: the kind of snapshot a policy item governs. */
export function snapshotKind(snapshot: Pick<Snapshot, 'snapshotType' | 'frequencyType'>): string {
  if (snapshot.snapshotType === 'onDemand') return 'on-demand';
  return snapshot.frequencyType ?? snapshot.snapshotType ?? 'scheduled';
}

/** The policy item that bounds a snapshot's retention: the on-demand one, or its scheduled frequency's. */
export function governingItem(
  snapshot: Pick<Snapshot, 'snapshotType' | 'frequencyType'>,
  policy: CompliancePolicy,
): CompliancePolicyItem | undefined {
  if (snapshot.snapshotType === 'onDemand') return policy.onDemandPolicyItem;
  if (snapshot.frequencyType === undefined) return undefined;
  return policy.scheduledPolicyItems?.find((i) => i.frequencyType === snapshot.frequencyType);
}

/** The earliest expiry the policy allows a snapshot, ms; undefined when it sets none for its kind. */
export function retentionFloor(
  snapshot: Pick<Snapshot, 'snapshotType' | 'frequencyType' | 'createdAt'>,
  policy: CompliancePolicy,
): number | undefined {
  const item = governingItem(snapshot, policy);
  const unit = item?.retentionUnit === undefined ? undefined : unitOf[item.retentionUnit];
  const created = snapshot.createdAt === undefined ? NaN : Date.parse(snapshot.createdAt);
  if (!item || !unit || item.retentionValue === undefined || !Number.isFinite(created)) return undefined;
  return addRetention(created, unit, item.retentionValue);
}

/** The project's policy with the project it belongs to, for refusals that name it. */
/**
 * A project's Backup Compliance Policy for a status to show: the policy, that there is none, or
 * why it could not be read (any failure, said plainly instead of failing the whole status).
 */
export async function readCompliancePolicyOrReason(
  client: AtlasClient,
  groupId: string,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<CompliancePolicyReading> {
  return client.readCompliancePolicy(groupId, options).catch((error: unknown): CompliancePolicyReading => ({
    state: 'unreadable',
    reason: toErrorInfo(error).message,
  }));
}

export interface ProjectCompliance {
  project: { id: string; name?: string | undefined };
  reading: CompliancePolicyReading;
}

export async function loadProjectCompliance(
  client: AtlasClient,
  groupId: string,
  signal?: AbortSignal,
): Promise<ProjectCompliance> {
  const [project, reading] = await Promise.all([
    client.getProject(groupId, { signal }),
    client.readCompliancePolicy(groupId, { signal }),
  ]);
  return { project: { id: project.id, name: project.name }, reading };
}

/** Every Backup Compliance Policy forbids deleting a snapshot before it expires. */
export function deletionRefusal(
  compliance: ProjectCompliance,
  clusterName: string,
  snapshot: Pick<Snapshot, 'id' | 'expiresAt'>,
): CompliancePolicyError | undefined {
  if (compliance.reading.state !== 'present') return undefined;
  const expires = snapshot.expiresAt ? `; it expires ${formatTimeSeconds(snapshot.expiresAt)}` : '';
  return new CompliancePolicyError(
    'deletion',
    'snapshotId',
    `${sentence(compliancePolicyName(compliance.project))} forbids deleting snapshots before they expire: snapshot ${snapshot.id} of ${clusterName} can't be deleted${expires}`,
  );
}

/** A new expiry (`expiresAt`, ms) earlier than the policy keeps this kind of snapshot. */
export function retentionRefusal(
  compliance: ProjectCompliance,
  snapshot: Pick<Snapshot, 'id' | 'snapshotType' | 'frequencyType' | 'createdAt'>,
  expiresAt: number,
): CompliancePolicyError | undefined {
  if (compliance.reading.state !== 'present') return undefined;
  const policy = compliance.reading.policy;
  const floor = retentionFloor(snapshot, policy);
  if (floor === undefined || expiresAt >= floor) return undefined;
  const minimum = describeMinimum(governingItem(snapshot, policy)) ?? 'longer';
  return new CompliancePolicyError(
    'retention',
    'retentionValue',
    `${sentence(compliancePolicyName(compliance.project))} keeps ${snapshotKind(snapshot)} snapshots at least ${minimum}: snapshot ${snapshot.id} may not expire before ${formatTimeSeconds(floor)}`,
  );
}

/** The restore window the policy requires, in days; undefined when it requires none. */
export function requiredWindowDays(policy: CompliancePolicy | undefined): number | undefined {
  if (!policy?.pitEnabled || !policy.restoreWindowDays || policy.restoreWindowDays <= 0) return undefined;
  return policy.restoreWindowDays;
}

/** The policy as facts for people, label and value, in the order both front ends show them. */
export function compliancePolicyFacts(reading: CompliancePolicyReading): [string, string][] {
  if (reading.state === 'none') return [['compliance policy', 'none']];
  if (reading.state === 'unreadable') return [['compliance policy', `unknown: ${reading.reason}`]];
  const p = reading.policy;
  const facts: [string, string][] = [
    ['compliance policy', p.state ?? 'present'],
    ['deleting snapshots', 'forbidden before they expire'],
  ];
  const onDemand = describeMinimum(p.onDemandPolicyItem);
  if (onDemand) facts.push(['on-demand kept', `at least ${onDemand}`]);
  const scheduled = (p.scheduledPolicyItems ?? [])
    .map((i) => {
      const minimum = describeMinimum(i);
      return minimum ? `${i.frequencyType ?? '?'} ${minimum}` : undefined;
    })
    .filter((s): s is string => s !== undefined);
  if (scheduled.length > 0) facts.push(['scheduled kept', `at least ${scheduled.join(', ')}`]);
  const window = requiredWindowDays(p);
  facts.push([
    'continuous backup',
    window ? `required, ${window} day${window === 1 ? '' : 's'} restorable` : 'not required',
  ]);
  facts.push(['copy protection', p.copyProtectionEnabled ? 'on' : 'off']);
  facts.push(['encryption at rest', p.encryptionAtRestEnabled ? 'required' : 'not required']);
  const who = [p.authorizedUserFirstName, p.authorizedUserLastName].filter(Boolean).join(' ');
  if (who || p.authorizedEmail)
    facts.push([
      'authorized by',
      [who, p.authorizedEmail ? `<${p.authorizedEmail}>` : ''].filter(Boolean).join(' '),
    ]);
  if (p.updatedDate)
    facts.push([
      'updated',
      `${formatTimeSeconds(p.updatedDate)}${p.updatedUser ? ` by ${p.updatedUser}` : ''}`,
    ]);
  facts.push(['can be turned off', p.deletable ? 'yes' : 'only through MongoDB Support']);
  return facts;
}
