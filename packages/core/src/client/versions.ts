/**
 * The API version each resource is called with. Where Atlas offers several, the newest that is
 * not past its sunset; serverless backup endpoints have no successor version (they became Flex).
 */
export const apiVersions = {
  projects: '2023-01-01',
  clusters: '2024-08-05',
  flex: '2024-11-13',
  serverless: '2023-01-01',
  snapshots: '2023-01-01',
  exports: '2023-01-01',
  exportBuckets: '2024-05-30',
  restores: '2023-01-01',
  schedule: '2024-08-05',
  collectionRestores: '2025-03-12',
  compliancePolicy: '2023-10-01',
} as const;

/** Serverless backup endpoints answer 410 VERSION_GONE after this date. */
export const serverlessBackupSunset = '2026-01-22';
