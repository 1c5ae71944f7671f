import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The Slack app's signing secret and bot token every bench server and load generator share. */
export const benchSigningSecret = 'bench-signing-secret';
export const benchBotToken = 'xoxb-bench';

/**
 * Forks a bench server (a TypeScript file beside this one, run by tsx) in its own process, told
 * the signing secret, the bot token and the fake Slack's address, plus `extraEnv` (the
 * simulator's lines, where its store is).
 */
export function forkBenchServer(
  script: URL,
  slackApiUrl: string,
  extraEnv: Record<string, string>,
): ChildProcess {
  return fork(fileURLToPath(script), [], {
    execArgv: ['--conditions=source', '--import', 'tsx'],
    env: {
      ...process.env,
      ...extraEnv,
      BENCH_SIGNING_SECRET: benchSigningSecret,
      BENCH_BOT_TOKEN: benchBotToken,
      BENCH_SLACK_API_URL: slackApiUrl,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The next IPC message of `type` from a bench child process; rejects if the child exits first. */
export function childMessage<M extends { type: string }, T extends M['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<M, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: M) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as Extract<M, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`the bench process exited (${code})`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Sends a bench child `{ type }` and waits for its answer of the same type (`idle`: its work has ended). */
export function askChild<M extends { type: string }, T extends M['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<M, { type: T }>> {
  const answer = childMessage<M, T>(child, type);
  child.send({ type });
  return answer;
}
