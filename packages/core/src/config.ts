import { z } from 'zod';
import { ConfigError } from './errors.js';
import type { AtlasCredentials } from './http/auth.js';
import { defaultRequestsPerMinute } from './http/scheduler.js';
import { objectIdPattern } from './schemas/common.js';

type EnvShape = Record<string, z.ZodType>;
export type Env = Record<string, string | undefined>;

/**
 * Validates environment variables once, at start. Every problem is reported together, each
 * line naming its variable; a secret's value is never echoed.
 */
export function readEnv<S extends EnvShape>(
  shape: S,
  env: Env = process.env,
): { [K in keyof S]: z.output<S[K]> } {
  const out: Record<string, unknown> = {};
  const problems: { variable: string; message: string }[] = [];
  for (const [variable, schema] of Object.entries(shape)) {
    const raw = env[variable];
    const result = schema.safeParse(raw === '' ? undefined : raw);
    if (result.success) out[variable] = result.data;
    else problems.push({ variable, message: result.error.issues.map((i) => i.message).join('; ') });
  }
  const [first, ...rest] = problems;
  if (first) {
    const more = rest.map((p) => `\n${p.variable}: ${p.message}`).join('');
    throw new ConfigError(first.variable, `${first.message}${more}`);
  }
  return out as { [K in keyof S]: z.output<S[K]> };
}

export const envUrl = z
  .url({ error: 'must be an http(s) URL, e.g. https://cloud.mongodb.com' })
  .refine((value) => /^https?:\/\//.test(value), 'must be an http(s) URL');
export const envSecret = z.string().trim().min(1, 'must not be empty');
export const envObjectId = z.string().regex(objectIdPattern, 'must be a 24-hexadecimal-digit project id');
/** A whole number from 1 to `max`, named with its range when out of it. */
export const envPositiveInt = (what: string, max: number) =>
  z.coerce
    .number({ error: `must be ${what}` })
    .int(`must be ${what}`)
    .min(1, `must be ${what} from 1 to ${max}`)
    .max(max, `must be ${what} from 1 to ${max}`);
export const envBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Highest accepted `ATLAS_REQUESTS_PER_MINUTE`: beyond it the budget would not cap anything. */
export const maxRequestsPerMinute = 6_000;

export type AtlasConnection = (
  | { mode: 'atlas'; baseUrl: string; credentials: AtlasCredentials; defaultProjectId: string | undefined }
  | { mode: 'simulator'; defaultProjectId: string | undefined }
) & {
  /** `ATLAS_REQUESTS_PER_MINUTE`: the background request budget per endpoint set and project. */
  requestsPerMinute: number;
};

/**
 * Atlas settings from the variables the Atlas CLI and SDKs use. With no credentials at all the
 * apps run on the embedded simulator; half a credential pair is an error, never a silent fallback.
 */
export function loadAtlasConnection(env: Env = process.env): AtlasConnection {
  const vars = readEnv(
    {
      MONGODB_ATLAS_BASE_URL: envUrl.optional(),
      MONGODB_ATLAS_CLIENT_ID: envSecret.optional(),
      MONGODB_ATLAS_CLIENT_SECRET: envSecret.optional(),
      MONGODB_ATLAS_PUBLIC_API_KEY: envSecret.optional(),
      MONGODB_ATLAS_PRIVATE_API_KEY: envSecret.optional(),
      MONGODB_ATLAS_PROJECT_ID: envObjectId.optional(),
      ATLAS_REQUESTS_PER_MINUTE: envPositiveInt(
        'a whole number of requests a minute',
        maxRequestsPerMinute,
      ).optional(),
    },
    env,
  );
  const requestsPerMinute = vars.ATLAS_REQUESTS_PER_MINUTE ?? defaultRequestsPerMinute;
  const pair = (a: keyof typeof vars, b: keyof typeof vars) => {
    if ((vars[a] === undefined) !== (vars[b] === undefined)) {
      const missing = vars[a] === undefined ? a : b;
      throw new ConfigError(missing, `is required when ${missing === a ? b : a} is set`);
    }
    return vars[a] !== undefined;
  };
  const hasServiceAccount = pair('MONGODB_ATLAS_CLIENT_ID', 'MONGODB_ATLAS_CLIENT_SECRET');
  const hasApiKey = pair('MONGODB_ATLAS_PUBLIC_API_KEY', 'MONGODB_ATLAS_PRIVATE_API_KEY');
  const defaultProjectId = vars.MONGODB_ATLAS_PROJECT_ID;

  if (!hasServiceAccount && !hasApiKey) {
    if (vars.MONGODB_ATLAS_BASE_URL !== undefined) {
      throw new ConfigError(
        'MONGODB_ATLAS_CLIENT_ID',
        'MONGODB_ATLAS_BASE_URL is set but no credentials are: set MONGODB_ATLAS_CLIENT_ID/CLIENT_SECRET or MONGODB_ATLAS_PUBLIC_API_KEY/PRIVATE_API_KEY (or unset the URL to use the built-in simulator)',
      );
    }
    return { mode: 'simulator', defaultProjectId, requestsPerMinute };
  }
  // Service accounts are Atlas's recommended identity, so they win when both are configured.
  const credentials: AtlasCredentials = hasServiceAccount
    ? {
        kind: 'serviceAccount',
        clientId: vars.MONGODB_ATLAS_CLIENT_ID ?? '',
        clientSecret: vars.MONGODB_ATLAS_CLIENT_SECRET ?? '',
      }
    : {
        kind: 'apiKey',
        publicKey: vars.MONGODB_ATLAS_PUBLIC_API_KEY ?? '',
        privateKey: vars.MONGODB_ATLAS_PRIVATE_API_KEY ?? '',
      };
  return {
    mode: 'atlas',
    baseUrl: vars.MONGODB_ATLAS_BASE_URL ?? 'https://cloud.mongodb.com',
    credentials,
    defaultProjectId,
    requestsPerMinute,
  };
}
