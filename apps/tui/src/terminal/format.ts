import { errorText, toErrorInfo, type ErrorCode } from '@atlas-backups/core';
export { fit } from './cells.js';

export {
  formatBytes,
  formatTime,
  formatTimeSeconds,
  formatElapsed as formatDuration,
} from '@atlas-backups/core';

export interface ErrorLine {
  code: ErrorCode;
  text: string;
}

/**
 * A failure as the terminal shows it, on one line: core's message and hint, never a stack.
 * Errors that are not the core's (a bug, a closed socket) show only their message's first line.
 */
export function describeError(error: unknown): ErrorLine {
  const info = toErrorInfo(error);
  if (info.code !== 'INTERNAL') return { code: info.code, text: errorText(info) };
  return { code: info.code, text: info.message.split('\n')[0] ?? 'Unexpected error' };
}
