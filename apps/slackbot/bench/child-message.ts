import type { ChildProcess } from 'node:child_process';

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
