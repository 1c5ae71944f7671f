import { addRetention } from './retention.js';
import type { CompliancePolicyItemRecord, CompliancePolicyRecord, SnapshotRecord } from './types.js';

/** The policy item that bounds a snapshot's retention: on-demand, or its scheduled frequency. */
export function governingItem(
  snapshot: Pick<SnapshotRecord, 'snapshotType' | 'frequencyType'>,
  policy: CompliancePolicyRecord,
): CompliancePolicyItemRecord | undefined {
  if (snapshot.snapshotType === 'onDemand') return policy.onDemandPolicyItem;
  return policy.scheduledPolicyItems.find((i) => i.frequencyType === snapshot.frequencyType);
}

/** The earliest expiry the policy allows for a snapshot taken at `createdAt`. */
export function minimumExpiry(createdAt: number, item: CompliancePolicyItemRecord): number {
  return addRetention(createdAt, item.retentionUnit, item.retentionValue);
}

export function describeItem(item: CompliancePolicyItemRecord): string {
  const unit = item.retentionValue === 1 ? item.retentionUnit.replace(/s$/, '') : item.retentionUnit;
  return `${item.retentionValue} ${unit}`;
}
