import { AtlasApi } from './atlas-api.js';
import { withCollectionRestores } from './collection-restores.js';
import { withCompliance } from './compliance.js';
import { withDeployments } from './deployments.js';
import { withExports } from './exports.js';
import { withFlexAndServerless } from './flex-serverless.js';
import { withRestores } from './restores.js';
import { withSchedule } from './schedule.js';
import { withSnapshots } from './snapshots.js';

export { type AtlasClientOptions, type CallOptions, type CreateResult } from './atlas-api.js';
export { newRequestRef, requestMarkerKey } from './create-once.js';
export { type ServerlessSnapshotResult } from './flex-serverless.js';
export { deploymentKindFromError } from './deployments.js';
export { restoreJobMatches } from './restores.js';
export { collectionRestoreJobMatches } from './collection-restores.js';
export { type CompliancePolicyReading } from './compliance.js';
export { retiredApiAnswer } from './retired-api.js';

/**
 * The Atlas Admin API v2 client: every call this project makes, one module per resource over the
 * shared request core (`atlas-api.ts`). A new call goes in its resource's module; a new resource
 * is a new `with…` module added here.
 */
export class AtlasClient extends withCompliance(
  withCollectionRestores(
    withSchedule(withFlexAndServerless(withExports(withRestores(withSnapshots(withDeployments(AtlasApi)))))),
  ),
) {}
