import { STATUS_CODES } from 'node:http';

export interface FieldViolation {
  field: string;
  description: string;
}

/** The ApiError body Atlas answers with on every failure. */
export interface ApiErrorBody {
  detail: string;
  error: number;
  errorCode: string;
  parameters: Record<string, unknown>[];
  reason: string;
  badRequestDetail?: { fields: FieldViolation[] };
}

/** Thrown anywhere in request handling; the server turns it into an ApiError response. */
export class ApiError extends Error {
  readonly headers: Record<string, string | string[]>;
  readonly fields: FieldViolation[] | undefined;

  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly detail: string,
    options: { fields?: FieldViolation[]; headers?: Record<string, string | string[]> } = {},
  ) {
    super(`${status} ${errorCode}: ${detail}`);
    this.name = 'ApiError';
    this.fields = options.fields;
    this.headers = options.headers ?? {};
  }

  toBody(): ApiErrorBody {
    // `parameters` stays empty: Atlas puts strings there but the contract types its items as
    // objects, so the field names live in detail and badRequestDetail instead.
    const body: ApiErrorBody = {
      detail: this.detail,
      error: this.status,
      errorCode: this.errorCode,
      parameters: [],
      reason: STATUS_CODES[this.status] ?? 'Error',
    };
    if (this.fields && this.fields.length > 0) body.badRequestDetail = { fields: this.fields };
    return body;
  }
}

export const notFound = {
  group: (groupId: string) => new ApiError(404, 'GROUP_NOT_FOUND', `No group with ID ${groupId} exists.`),
  cluster: (groupId: string, name: string) =>
    new ApiError(404, 'CLUSTER_NOT_FOUND', `No cluster named ${name} exists in group ${groupId}.`),
  flexCluster: (groupId: string, name: string) =>
    new ApiError(404, 'CLUSTER_NOT_FOUND', `No flex cluster named ${name} exists in group ${groupId}.`),
  serverless: (groupId: string, name: string) =>
    new ApiError(
      404,
      'SERVERLESS_INSTANCE_NOT_FOUND',
      `No serverless instance named ${name} exists in group ${groupId}.`,
    ),
  snapshot: (id: string, name: string) =>
    new ApiError(404, 'SNAPSHOT_NOT_FOUND', `No snapshot with ID ${id} exists for cluster ${name}.`),
  restoreJob: (id: string, name: string) =>
    new ApiError(404, 'RESTORE_JOB_NOT_FOUND', `No restore job with ID ${id} exists for cluster ${name}.`),
  exportJob: (id: string, name: string) =>
    new ApiError(404, 'EXPORT_JOB_NOT_FOUND', `No export job with ID ${id} exists for cluster ${name}.`),
  exportBucket: (id: string) =>
    new ApiError(404, 'EXPORT_BUCKET_NOT_FOUND', `No export bucket with ID ${id} exists.`),
  resource: (method: string, path: string) =>
    new ApiError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${method} ${path}.`),
};
