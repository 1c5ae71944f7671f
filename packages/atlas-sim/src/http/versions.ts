import { ApiError } from './errors.js';
import type { ApiVersion, Operation } from './operation.js';

const VERSIONED = /application\/vnd\.atlas\.([^+;,\s]*)\+([a-z]+)/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface NegotiatedVersion {
  date: string;
  contentType: string;
  /** RFC 9745/8594 style `Sunset` header value when the version has a sunset date. */
  sunsetHeader?: string;
}

interface PreparedVersion extends NegotiatedVersion {
  sunsetMs: number;
}

const prepared = new WeakMap<Operation, PreparedVersion[]>();

function prepare(op: Operation): PreparedVersion[] {
  let versions = prepared.get(op);
  if (!versions) {
    versions = [...op.versions].sort((a, b) => a.date.localeCompare(b.date)).map(toPrepared);
    prepared.set(op, versions);
  }
  return versions;
}

function toPrepared(v: ApiVersion): PreparedVersion {
  const sunsetMs = v.sunset ? Date.parse(`${v.sunset}T00:00:00Z`) : Number.POSITIVE_INFINITY;
  return {
    date: v.date,
    sunsetMs,
    contentType: `application/vnd.atlas.${v.date}+json;charset=utf-8`,
    ...(v.sunset ? { sunsetHeader: new Date(sunsetMs).toUTCString() } : {}),
  };
}

/**
 * Picks the resource version from `Accept`. Without a versioned media type Atlas serves the
 * operation's oldest version; a version the operation lacks is a 406; a version whose sunset
 * date has passed on the simulator's clock is a 410.
 */
export function negotiateVersion(accept: string | undefined, op: Operation, now: number): NegotiatedVersion {
  const versions = prepare(op);
  let chosen: PreparedVersion | undefined;
  const match = accept ? VERSIONED.exec(accept) : null;
  if (!match) {
    chosen = versions[0];
  } else {
    const date = match[1] ?? '';
    const suffix = (match[2] ?? '').toLowerCase();
    if (!DATE.test(date) || Number.isNaN(Date.parse(date)) || suffix !== 'json') {
      throw new ApiError(406, 'INVALID_VERSION_DATE', `Invalid accept header or version date: ${match[0]}.`);
    }
    chosen = versions.find((v) => v.date === date);
    if (!chosen) {
      const offered = versions.map((v) => v.date).join(', ');
      throw new ApiError(
        406,
        'INVALID_VERSION_DATE',
        `Version ${date} is not available for this resource. Available versions: ${offered}.`,
      );
    }
  }
  if (!chosen) throw new Error(`operation ${op.operationId} declares no versions`);
  if (now >= chosen.sunsetMs) {
    throw new ApiError(
      410,
      'VERSION_GONE',
      `Version ${chosen.date} of this resource was sunset on ${new Date(chosen.sunsetMs).toISOString().slice(0, 10)}.`,
    );
  }
  // Prepared once per operation and version; the hot path hands it out without copying.
  return chosen;
}
