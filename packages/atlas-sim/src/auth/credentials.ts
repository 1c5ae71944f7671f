/** The keys the simulator accepts: a service account (OAuth) and a programmatic API key (Digest). */
export interface SimulatorCredentials {
  clientId: string;
  clientSecret: string;
  publicKey: string;
  privateKey: string;
}

/**
 * Fixed defaults, shaped like real Atlas credentials, so docs and shell snippets can name them.
 * They unlock nothing but this simulator.
 */
export const DEFAULT_CREDENTIALS: SimulatorCredentials = {
  clientId: 'mdb_sa_id_5a1e0c0ffee0000000000001',
  clientSecret: 'mdb_sa_sk_atlas-simulator-not-a-real-secret-0001',
  publicKey: 'atlassim',
  privateKey: '5a1e0c0f-fee0-4000-8000-000000000001',
};
