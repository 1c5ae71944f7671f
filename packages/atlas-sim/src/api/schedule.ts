import { object, type Operation } from '../http/operation.js';
import { scheduleView } from '../views/schedule.js';
import { requireCluster, V20230101_UNTIL_2027_07 } from './common.js';

/** The cloud backup schedule (read-only here). */
export const scheduleOperations: Operation[] = [
  {
    operationId: 'getGroupClusterBackupSchedule',
    method: 'GET',
    path: '/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/schedule',
    versions: [V20230101_UNTIL_2027_07, { date: '2024-08-05' }],
    successStatus: 200,
    handle: (ctx) => object(scheduleView(requireCluster(ctx), ctx.version, ctx.now, ctx.baseUrl)),
  },
];
