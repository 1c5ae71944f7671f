/** Atlas timestamps are ISO 8601 in UTC with second precision, e.g. `2024-05-01T06:00:12Z`. */
export function iso(ms: number): string {
  const text = new Date(ms).toISOString();
  return `${text.slice(0, 19)}Z`;
}

export interface Link {
  href: string;
  rel: string;
}

export function selfLinks(baseUrl: string, path: string): Link[] {
  return [{ href: `${baseUrl}${path}`, rel: 'self' }];
}

export const API = '/api/atlas/v2';

export function groupPath(groupId: string): string {
  return `${API}/groups/${groupId}`;
}

export function clusterPath(groupId: string, clusterName: string): string {
  return `${API}/groups/${groupId}/clusters/${clusterName}`;
}
