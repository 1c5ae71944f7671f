import { isAtlasBackupsError } from '@atlas-backups/core';
export { fit } from './cells.js';

export {
  formatBytes,
  formatTime,
  formatTimeSeconds,
  formatElapsed as formatDuration,
} from '@atlas-backups/core';

export interface ErrorLine {
  code: string | undefined;
  text: string;
}

/**
 * One line for any failure: the core's message and hint, never a stack. Errors that are not the
 * core's (a bug, a closed socket) still show only their message.
 */
export function describeError(error: unknown): ErrorLine {
  if (isAtlasBackupsError(error)) {
    return { code: error.code, text: error.hint ? `${error.message} — ${error.hint}` : error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: undefined, text: message.split('\n')[0] ?? 'Unexpected error' };
}
