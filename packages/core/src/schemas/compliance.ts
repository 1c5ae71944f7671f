import { z } from 'zod';
import { openEnum } from './common.js';

const retentionUnit = openEnum(['days', 'weeks', 'months', 'years']);

/** `BackupComplianceOnDemandPolicyItem` and `BackupComplianceScheduledPolicyItem`, read tolerantly. */
const compliancePolicyItem = z.object({
  id: z.string().optional(),
  frequencyInterval: z.number().optional(),
  frequencyType: openEnum(['ondemand', 'hourly', 'daily', 'weekly', 'monthly', 'yearly']).optional(),
  retentionUnit: retentionUnit.optional(),
  retentionValue: z.number().optional(),
});
export type CompliancePolicyItem = z.infer<typeof compliancePolicyItem>;

/**
 * `DataProtectionSettings20231001`: a project's Backup Compliance Policy. Every field is optional
 * here (the contract requires only the authorizing user's), so an answer Atlas trims or extends
 * is still read; what a rule needs and cannot find is treated as "no such requirement".
 */
export const compliancePolicy = z.object({
  projectId: z.string().optional(),
  authorizedEmail: z.string().optional(),
  authorizedUserFirstName: z.string().optional(),
  authorizedUserLastName: z.string().optional(),
  copyProtectionEnabled: z.boolean().optional(),
  deletable: z.boolean().optional(),
  encryptionAtRestEnabled: z.boolean().optional(),
  onDemandPolicyItem: compliancePolicyItem.optional(),
  pitEnabled: z.boolean().optional(),
  restoreWindowDays: z.number().optional(),
  scheduledPolicyItems: z.array(compliancePolicyItem).optional(),
  state: openEnum(['ACTIVE', 'ENABLING', 'UPDATING', 'DISABLING']).optional(),
  updatedDate: z.string().optional(),
  updatedUser: z.string().optional(),
});
export type CompliancePolicy = z.infer<typeof compliancePolicy>;
