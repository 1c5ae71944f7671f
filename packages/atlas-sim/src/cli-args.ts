import { parseArgs } from 'node:util';
import { parseFaultSpec } from './faults.js';
import { parseRateLimitSpec } from './http/rate-limit.js';
import type { SimulatorOptions } from './simulator.js';

export const DEFAULT_CLI_PORT = 7700;

export const HELP = `Usage: atlas-sim [options]

Runs a simulator of the MongoDB Atlas Administration API v2 (cloud backups) on simulated data.
Prints NAME=value lines for MONGODB_ATLAS_BASE_URL and the accepted credentials, then
"# " comment lines, so the whole output can be sourced by a shell:

  node packages/atlas-sim/dist/cli.js --port 0 > /tmp/atlas-sim.env &
  sleep 1; set -a; . /tmp/atlas-sim.env; set +a

Options (each falls back to the environment variable shown, then to the default):
  --port <n>            TCP port, 0 for any free port     ATLAS_SIM_PORT    (${DEFAULT_CLI_PORT})
  --host <addr>         interface to listen on            ATLAS_SIM_HOST    (127.0.0.1)
  --seed <int>          seed for data and random faults   ATLAS_SIM_SEED    (1)
  --speed <x>           simulated time per real time      ATLAS_SIM_SPEED   (1; 60 = a minute a second)
  --now <iso-date>      simulated start time              ATLAS_SIM_NOW     (the current time)
  --faults <spec>       random faults, comma-separated    ATLAS_SIM_FAULTS  (none)
                        e.g. 429:0.2,503:0.05,500:0.01,reset:0.01,reset-after:0.01,slow:200ms[:0.5]
  --large               10,000 snapshots on the replica set  ATLAS_SIM_LARGE=1
  --rate-limit <spec>   Atlas-like rate limiting          ATLAS_SIM_RATE_LIMIT (off)
                        on = 100 requests a minute per endpoint set and project; off;
                        <capacity>/<seconds>s, e.g. 100/60s; <capacity>:<refill>/<seconds>s, e.g. 10:5/60s
  --client-id <id>      accepted OAuth client id          ATLAS_SIM_CLIENT_ID
  --client-secret <s>   accepted OAuth client secret      ATLAS_SIM_CLIENT_SECRET
  --public-key <key>    accepted API public key (Digest)  ATLAS_SIM_PUBLIC_KEY
  --private-key <key>   accepted API private key (Digest) ATLAS_SIM_PRIVATE_KEY
  --token-lifetime <s>  OAuth token lifetime in seconds   ATLAS_SIM_TOKEN_LIFETIME (3600)
  -h, --help            show this help

Without credential options the fixed defaults printed at start are accepted.
`;

export class CliError extends Error {}

export type CliCommand = { help: true } | { help: false; options: SimulatorOptions };

type Env = Record<string, string | undefined>;

function integer(flag: string, raw: string, min: number, max: number): number {
  const value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliError(`--${flag} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

/** Parses flags (with environment fallbacks) into simulator options; errors name the flag. */
export function parseCli(argv: string[], env: Env): CliCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        now: { type: 'string' },
        faults: { type: 'string' },
        large: { type: 'boolean' },
        'rate-limit': { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        'public-key': { type: 'string' },
        'private-key': { type: 'string' },
        'token-lifetime': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return { help: true };
  const pick = (flag: keyof typeof values, envName: string): string | undefined => {
    const value = values[flag];
    return typeof value === 'string' ? value : env[envName];
  };
  const options: SimulatorOptions = {};
  const port = pick('port', 'ATLAS_SIM_PORT');
  options.port = port === undefined ? DEFAULT_CLI_PORT : integer('port', port, 0, 65535);
  const host = pick('host', 'ATLAS_SIM_HOST');
  if (host !== undefined) {
    if (host.trim() === '') throw new CliError('--host must not be empty');
    options.host = host;
  }
  const seed = pick('seed', 'ATLAS_SIM_SEED');
  if (seed !== undefined) options.seed = integer('seed', seed, 0, 0xffffffff);
  const speed = pick('speed', 'ATLAS_SIM_SPEED');
  if (speed !== undefined) {
    const value = Number(speed);
    if (speed.trim() === '' || !Number.isFinite(value) || value <= 0) {
      throw new CliError(`--speed must be a positive number, got "${speed}"`);
    }
    options.speed = value;
  }
  const now = pick('now', 'ATLAS_SIM_NOW');
  if (now !== undefined) {
    const date = new Date(now);
    if (Number.isNaN(date.getTime())) throw new CliError(`--now must be an ISO 8601 date, got "${now}"`);
    options.now = date;
  }
  const faults = pick('faults', 'ATLAS_SIM_FAULTS');
  if (faults !== undefined) {
    try {
      parseFaultSpec(faults);
    } catch (err) {
      throw new CliError(`--faults: ${err instanceof Error ? err.message : String(err)}`);
    }
    options.faults = faults;
  }
  const large = values.large ?? ['1', 'true', 'yes'].includes((env.ATLAS_SIM_LARGE ?? '').toLowerCase());
  if (large) options.large = true;
  const rateLimit = pick('rate-limit', 'ATLAS_SIM_RATE_LIMIT');
  if (rateLimit !== undefined) {
    let parsed;
    try {
      parsed = parseRateLimitSpec(rateLimit);
    } catch (err) {
      throw new CliError(`--rate-limit: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (parsed !== false) options.rateLimit = parsed;
  }
  const credentials: NonNullable<SimulatorOptions['credentials']> = {};
  const credential = (flag: keyof typeof values, envName: string, key: keyof typeof credentials): void => {
    const value = pick(flag, envName);
    if (value === undefined) return;
    if (value === '' || (key !== 'clientSecret' && /[\s:]/.test(value))) {
      throw new CliError(`--${String(flag)} must be non-empty without spaces or colons`);
    }
    credentials[key] = value;
  };
  credential('client-id', 'ATLAS_SIM_CLIENT_ID', 'clientId');
  credential('client-secret', 'ATLAS_SIM_CLIENT_SECRET', 'clientSecret');
  credential('public-key', 'ATLAS_SIM_PUBLIC_KEY', 'publicKey');
  credential('private-key', 'ATLAS_SIM_PRIVATE_KEY', 'privateKey');
  if (Object.keys(credentials).length > 0) options.credentials = credentials;
  const lifetime = pick('token-lifetime', 'ATLAS_SIM_TOKEN_LIFETIME');
  if (lifetime !== undefined)
    options.tokenLifetimeSeconds = integer('token-lifetime', lifetime, 1, 31_536_000);
  return { help: false, options };
}
