import { performance } from 'node:perf_hooks';
import { request, type Agent } from 'undici';

/** Sends every signed request at once; returns each one's time to the HTTP status line. */
export function signedBurst(
  url: string,
  signed: { body: string; headers: Record<string, string> }[],
  dispatcher: Agent,
): Promise<number[]> {
  return Promise.all(
    signed.map(async ({ body, headers }) => {
      const t = performance.now();
      const res = await request(url, { method: 'POST', headers, body, dispatcher });
      const ms = performance.now() - t;
      await res.body.dump();
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} from ${url}`);
      return ms;
    }),
  );
}
