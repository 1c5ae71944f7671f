import { useState } from 'react';
import type { TestFault } from '../startup/cli-args.js';
import { useKeys } from '../keys/key-router.js';

/**
 * For the tests of what a crash leaves behind (test/e2e/tui-terminal.test.ts), on the built-in
 * simulator only (main refuses ATLAS_TUI_TEST_FAULT with Atlas credentials): `!` makes the app
 * fail the way the variable says: a render that throws, an uncaught exception, or an unhandled
 * rejection. Without the variable this component is not mounted.
 */
export function FaultTrigger({ fault }: { fault: TestFault }) {
  const [failing, setFailing] = useState(false);
  useKeys((input) => {
    if (input !== '!') return false;
    const error = new Error(`test fault (ATLAS_TUI_TEST_FAULT=${fault})`);
    if (fault === 'render') setFailing(true);
    else if (fault === 'exception')
      setTimeout(() => {
        throw error;
      });
    else void Promise.reject(error);
  }, 'global');
  if (failing) throw new Error(`test fault (ATLAS_TUI_TEST_FAULT=${fault}): a render error`);
  return null;
}
