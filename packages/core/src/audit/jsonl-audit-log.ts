import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditEntry, AuditSink } from './audit-entry.js';

/**
 * Audit entries as JSON lines in a local file. Appends are synchronous so an entry is on disk
 * before the action it records is reported done.
 */
export class JsonlAuditLog implements AuditSink {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  append(entry: AuditEntry): void {
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  }

  read(): AuditEntry[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as AuditEntry);
  }
}

/** Keeps entries in memory; for embedding and for front ends that show the recent trail. */
export class MemoryAuditLog implements AuditSink {
  readonly entries: AuditEntry[] = [];
  append(entry: AuditEntry): void {
    this.entries.push(entry);
  }
}

/** Sends each entry to several sinks, in order. */
export function fanOutAudit(...sinks: AuditSink[]): AuditSink {
  return {
    async append(entry) {
      for (const sink of sinks) await sink.append(entry);
    },
  };
}
