import { AtlasApiError } from '../errors.js';
import { compliancePolicy, type CompliancePolicy } from '../schemas/compliance.js';
import type { AtlasApiClass, CallOptions } from './atlas-api.js';
import { atlasPath, atlasPaths } from './paths.js';
import { apiVersions } from './versions.js';

/**
 * What is known of a project's Backup Compliance Policy. Reading it needs the Project Owner
 * role, which a backup identity may lack: then it is `unreadable`, and Atlas still enforces it.
 */
export type CompliancePolicyReading =
  | { state: 'present'; policy: CompliancePolicy }
  | { state: 'none' }
  | { state: 'unreadable'; reason: string };

/** A project's Backup Compliance Policy (read only: changing it takes a MongoDB support ticket). */
export function withCompliance<B extends AtlasApiClass>(Base: B) {
  return class Compliance extends Base {
    /** The policy as Atlas answers it; a project without one answers 404 (ATLAS_NOT_FOUND). */
    async getCompliancePolicy(groupId: string, options?: CallOptions): Promise<CompliancePolicy> {
      const path = atlasPath(atlasPaths.compliancePolicy, { groupId });
      return this.get(
        compliancePolicy,
        'getGroupBackupCompliancePolicy',
        apiVersions.compliancePolicy,
        path,
        options,
      );
    }

    /**
     * The policy, or that there is none (404, or an empty answer), or why it could not be read
     * (403: the identity is not Project Owner). Other failures propagate.
     */
    async readCompliancePolicy(groupId: string, options?: CallOptions): Promise<CompliancePolicyReading> {
      try {
        const policy = await this.getCompliancePolicy(groupId, options);
        const empty = policy.state === undefined && policy.authorizedEmail === undefined;
        return empty ? { state: 'none' } : { state: 'present', policy };
      } catch (error) {
        if (error instanceof AtlasApiError && error.status === 404 && error.errorCode !== 'GROUP_NOT_FOUND')
          return { state: 'none' };
        if (error instanceof AtlasApiError && (error.status === 403 || error.status === 401))
          return {
            state: 'unreadable',
            reason: `Atlas refused to show it (${error.status} ${error.errorCode}); reading it needs the Project Owner role`,
          };
        throw error;
      }
    }
  };
}
