import { startSimulator, type RunningSimulator, type SimulatorOptions } from '@atlas-backups/atlas-sim';
import { AtlasClient, loadAtlasConnection, type AtlasClientOptions, type Env } from '@atlas-backups/core';

export interface AtlasRuntime {
  client: AtlasClient;
  mode: 'atlas' | 'simulator';
  baseUrl: string;
  defaultProjectId: string | undefined;
  /** The embedded simulator, when no Atlas credentials were configured. */
  simulator: RunningSimulator | undefined;
  /** One line for headers and start-up logs; never contains a secret. */
  banner: string;
  close(): Promise<void>;
}

export interface OpenAtlasOptions {
  env?: Env;
  /** Options for the embedded simulator (speed, seed, faults, clock). */
  simulator?: SimulatorOptions;
  client?: Partial<Omit<AtlasClientOptions, 'baseUrl' | 'credentials'>>;
}

/**
 * Reads the Atlas settings (throwing a ConfigError naming the variable when one is wrong) and
 * returns a client: on Atlas when credentials are configured, otherwise on an in-process
 * simulator on a free loopback port, so the apps run with no cloud account.
 */
export async function openAtlas(options: OpenAtlasOptions = {}): Promise<AtlasRuntime> {
  const connection = loadAtlasConnection(options.env ?? process.env);
  if (connection.mode === 'atlas') {
    const client = new AtlasClient({
      requestsPerMinute: connection.requestsPerMinute,
      ...options.client,
      baseUrl: connection.baseUrl,
      credentials: connection.credentials,
    });
    const identity = connection.credentials.kind === 'serviceAccount' ? 'service account' : 'API key';
    return {
      client,
      mode: 'atlas',
      baseUrl: connection.baseUrl,
      defaultProjectId: connection.defaultProjectId,
      simulator: undefined,
      banner: `Atlas at ${connection.baseUrl} (${identity})`,
      close: () => client.close(),
    };
  }

  const simulator = await startSimulator({ port: 0, host: '127.0.0.1', speed: 60, ...options.simulator });
  const client = new AtlasClient({
    requestsPerMinute: connection.requestsPerMinute,
    ...options.client,
    baseUrl: simulator.url,
    credentials: {
      kind: 'serviceAccount',
      clientId: simulator.credentials.clientId,
      clientSecret: simulator.credentials.clientSecret,
    },
  });
  return {
    client,
    mode: 'simulator',
    baseUrl: simulator.url,
    defaultProjectId: connection.defaultProjectId,
    simulator,
    banner: `SIMULATED Atlas at ${simulator.url} (no credentials set; data is not real)`,
    async close() {
      await client.close();
      await simulator.close();
    },
  };
}
