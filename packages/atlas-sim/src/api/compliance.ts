import { ApiError } from '../http/errors.js';
import { object, type Operation } from '../http/operation.js';
import { compliancePolicyView } from '../views/compliance.js';
import { requireProject, V20230101_UNTIL_2027_07 } from './common.js';

/** The project's Backup Compliance Policy (read-only here; tests set it with `store.setCompliancePolicy`). */
export const complianceOperations: Operation[] = [
  {
    operationId: 'getGroupBackupCompliancePolicy',
    method: 'GET',
    path: '/api/atlas/v2/groups/{groupId}/backupCompliancePolicy',
    versions: [V20230101_UNTIL_2027_07, { date: '2023-10-01' }],
    successStatus: 200,
    handle: (ctx) => {
      const project = requireProject(ctx);
      const policy = ctx.store.getCompliancePolicy(project.id);
      if (!policy) {
        throw new ApiError(
          404,
          'RESOURCE_NOT_FOUND',
          `Project ${project.name} (${project.id}) has no Backup Compliance Policy.`,
        );
      }
      return object(compliancePolicyView(policy));
    },
  },
];
