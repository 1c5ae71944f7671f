import { clusterName, groupId } from '../schemas/common.js';

/** The parameters that say where an action happens: the project and the source cluster. */
export const where = { groupId, clusterName: clusterName() };
