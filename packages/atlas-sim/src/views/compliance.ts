import type { CompliancePolicyItemRecord, CompliancePolicyRecord } from '../model/types.js';
import { iso } from './format.js';

function itemView(i: CompliancePolicyItemRecord): Record<string, unknown> {
  return {
    frequencyInterval: i.frequencyInterval,
    frequencyType: i.frequencyType,
    id: i.id,
    retentionUnit: i.retentionUnit,
    retentionValue: i.retentionValue,
  };
}

/** DataProtectionSettings (2023-01-01) and DataProtectionSettings20231001: the same fields. */
export function compliancePolicyView(p: CompliancePolicyRecord): Record<string, unknown> {
  return {
    authorizedEmail: p.authorizedEmail,
    authorizedUserFirstName: p.authorizedUserFirstName,
    authorizedUserLastName: p.authorizedUserLastName,
    copyProtectionEnabled: p.copyProtectionEnabled,
    deletable: p.deletable,
    encryptionAtRestEnabled: p.encryptionAtRestEnabled,
    onDemandPolicyItem: itemView(p.onDemandPolicyItem),
    pitEnabled: p.pitEnabled,
    projectId: p.projectId,
    restoreWindowDays: p.restoreWindowDays,
    scheduledPolicyItems: p.scheduledPolicyItems.map(itemView),
    state: p.state,
    updatedDate: iso(p.updatedDate),
    updatedUser: p.updatedUser,
  };
}
