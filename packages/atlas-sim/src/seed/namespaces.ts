import { DAY } from '../model/timings.js';
import type { NamespaceRecord } from '../model/types.js';

interface NamespacePlan {
  database: string;
  collection: string;
  documents: number;
  timeseries?: true;
  /** Created this long before the seed's start (default: with the cluster). */
  createdAgo?: number;
  droppedAgo?: number;
}

/**
 * What each seeded cluster holds. A few collections make discovery worth testing: one created
 * two days ago (only in newer snapshots), one dropped yesterday (only in older ones), a dot in a
 * collection name, a time-series collection Atlas cannot restore on its own, and names in Korean
 * and with accents.
 */
const PLANS: Record<string, NamespacePlan[]> = {
  'orders-prod': [
    { database: 'sales', collection: 'orders', documents: 1_284_530 },
    { database: 'sales', collection: 'customers', documents: 84_211 },
    { database: 'sales', collection: 'orders.archive', documents: 2_930_118 },
    { database: 'sales', collection: 'réclamations', documents: 3_412 },
    { database: 'sales', collection: 'returns', documents: 1_204, createdAgo: 2 * DAY },
    {
      database: 'sales',
      collection: 'orders_tmp',
      documents: 50_000,
      createdAgo: 20 * DAY,
      droppedAgo: DAY,
    },
    { database: 'inventory', collection: 'items', documents: 15_732 },
    { database: 'inventory', collection: 'stock_levels', documents: 904_112, timeseries: true },
    { database: '마케팅', collection: '캠페인', documents: 1_820 },
    { database: '마케팅', collection: '구독자', documents: 12_940 },
  ],
  'events-sharded': [
    { database: 'events', collection: 'clicks', documents: 48_200_113 },
    { database: 'events', collection: 'sessions', documents: 9_310_554 },
    { database: 'audit', collection: 'log', documents: 120_400 },
  ],
  'orders-staging': [
    { database: 'sales', collection: 'orders', documents: 120_453 },
    { database: 'sales', collection: 'customers', documents: 8_210 },
    { database: 'inventory', collection: 'items', documents: 1_573 },
  ],
  reporting: [
    { database: 'reports', collection: 'monthly', documents: 2_400 },
    { database: 'reports', collection: 'kpis', documents: 830 },
    { database: 'sales', collection: 'orders', documents: 1_200_000 },
  ],
};

export function seededNamespaces(
  clusterName: string,
  clusterCreatedAt: number,
  now: number,
): NamespaceRecord[] {
  return (PLANS[clusterName] ?? []).map((p) => ({
    database: p.database,
    collection: p.collection,
    documents: p.documents,
    createdAt: p.createdAgo === undefined ? clusterCreatedAt : now - p.createdAgo,
    ...(p.droppedAgo === undefined ? {} : { droppedAt: now - p.droppedAgo }),
    kind: p.timeseries ? ('timeseries' as const) : ('collection' as const),
  }));
}
