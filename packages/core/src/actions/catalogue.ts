import type { z } from 'zod';
import type { ClusterKind } from '../schemas/clusters.js';
import { createExport } from './definitions/export-create.js';
import { restoreAutomated } from './definitions/restore-automated.js';
import { cancelRestore } from './definitions/restore-cancel.js';
import { restoreCollections, restoreCollectionsOverwrite } from './definitions/restore-collections.js';
import { restoreDownload } from './definitions/restore-download.js';
import { restoreDownloadFlex, restoreFlex } from './definitions/restore-flex.js';
import { restorePointInTime } from './definitions/restore-point-in-time.js';
import { isDedicated } from './deployment-kinds.js';
import { deleteSnapshot } from './definitions/snapshot-delete.js';
import { changeRetention } from './definitions/snapshot-retention.js';
import { takeSnapshot } from './definitions/snapshot-take.js';
import type { ActionDefinition } from './types.js';

export { dedicatedKinds, isDedicated } from './deployment-kinds.js';
export { addRetention } from './retention.js';
export { restoreCancelRefusal } from './definitions/restore-cancel.js';

/**
 * Every action that changes something in Atlas, one module each. Nothing else in the project
 * may call a mutating endpoint. A new action is a new module in definitions/ and one line here.
 */
export const actionCatalogue = {
  'snapshot.take': takeSnapshot,
  'snapshot.retention': changeRetention,
  'snapshot.delete': deleteSnapshot,
  'export.create': createExport,
  'restore.automated': restoreAutomated,
  'restore.download': restoreDownload,
  'restore.pointInTime': restorePointInTime,
  'restore.collections.createNew': restoreCollections,
  'restore.collections.overwrite': restoreCollectionsOverwrite,
  'restore.cancel': cancelRestore,
  'restore.flex': restoreFlex,
  'restore.download.flex': restoreDownloadFlex,
} as const;

export type ActionName = keyof typeof actionCatalogue;
/** An action's parameters as a front end passes them to the ActionService. */
export type ActionParams<N extends ActionName> = z.input<(typeof actionCatalogue)[N]['params']>;
/** What a front end collects from a person: the parameters less the project ids it resolves itself. */
export type ActionInput<N extends ActionName> = Omit<ActionParams<N>, 'groupId' | 'targetGroupId'>;
/** An action with its parameters, typed together. */
export type ActionCall = { [N in ActionName]: { action: N; params: ActionParams<N> } }[ActionName];

export const actionNames = Object.keys(actionCatalogue) as ActionName[];

export function isActionName(value: string): value is ActionName {
  return Object.hasOwn(actionCatalogue, value);
}

/** Any action's definition, for code that runs every action the same way. */
export function actionDefinition(name: ActionName): ActionDefinition {
  return actionCatalogue[name];
}

const kindLabel: Record<ClusterKind, string> = {
  replicaSet: 'replica set',
  sharded: 'sharded cluster',
  flex: 'Flex',
  serverless: 'serverless',
};

/**
 * Why an action is not offered on this deployment, before any form or confirmation; undefined
 * when it is. Atlas manages Flex and serverless backups itself.
 */
export function deploymentRefusal(action: ActionName, cluster: { kind: ClusterKind }): string | undefined {
  const def = actionDefinition(action);
  if (def.deploymentKinds.includes(cluster.kind)) return undefined;
  if (def.deploymentKinds.every(isDedicated) && cluster.kind === 'flex')
    return 'Flex backups are managed by Atlas; of them this tool only restores and downloads snapshots';
  if (def.deploymentKinds.every(isDedicated) && !isDedicated(cluster.kind))
    return `${kindLabel[cluster.kind]} backups are managed by Atlas; this tool changes dedicated clusters only`;
  return `${def.title} is not available for a ${kindLabel[cluster.kind]}`;
}

/**
 * Actions that do the same thing on different kinds of deployment through different Atlas APIs,
 * with the same parameters: a whole-snapshot restore and a download of a Flex cluster go through
 * its Flex API.
 */
const sameRequest: readonly (readonly ActionName[])[] = [
  ['restore.automated', 'restore.flex'],
  ['restore.download', 'restore.download.flex'],
];

/**
 * The action that does `action` on a deployment of this kind: itself when it applies there (or
 * when nothing does, so that `deploymentRefusal` explains), otherwise its counterpart that does.
 */
export function actionForKind(action: ActionName, kind: ClusterKind): ActionName {
  if (actionDefinition(action).deploymentKinds.includes(kind)) return action;
  const family = sameRequest.find((f) => f.includes(action));
  return family?.find((a) => actionDefinition(a).deploymentKinds.includes(kind)) ?? action;
}
