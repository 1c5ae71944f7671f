// Loaded before React and Ink: the benches measure the production React the built TUI runs.
import '#production-env';
import type { RunningSimulator } from '@atlas-backups/atlas-sim';
import {
  AtlasClient,
  MemoryAuditLog,
  localOperatorPolicy,
  type AtlasClientOptions,
} from '@atlas-backups/core';
import { render, type RenderOptions } from 'ink';
import { createElement } from 'react';
import { createServices } from '../src/services/app-services.js';
import { App } from '../src/shell/app.js';
import { FakeStdin, FakeStdout } from './fake-terminal.js';

/** A client of the simulator, signed in as its service account. */
export function clientFor(sim: RunningSimulator, options: Partial<AtlasClientOptions> = {}): AtlasClient {
  return new AtlasClient({
    baseUrl: sim.url,
    credentials: {
      kind: 'serviceAccount',
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
    },
    ...options,
  });
}

export interface OpenTuiOptions {
  client?: Partial<AtlasClientOptions>;
  /** The views' refresh period (the TUI's default when not given). */
  refreshMs?: number;
  /** Ink's render options beyond the fake terminal's (frame rate, render timing). */
  render?: Pick<RenderOptions, 'maxFps' | 'onRender'>;
}

/** The real TUI, drawn by Ink into a fake terminal, opened on a cluster's snapshots. */
export async function openTui(sim: RunningSimulator, clusterName: string, options: OpenTuiOptions = {}) {
  const client = clientFor(sim, options.client);
  const services = createServices({
    client,
    mode: 'simulator',
    banner: 'SIMULATED Atlas (benchmark)',
    audit: new MemoryAuditLog(),
    ...(options.refreshMs === undefined ? {} : { refreshMs: options.refreshMs }),
  });
  const project = await client.getProject(sim.seed.projectId);
  const cluster = (await client.listAllClusters(project.id)).find((c) => c.name === clusterName);
  if (!cluster) throw new Error(`no cluster ${clusterName}`);
  const ref = { id: project.id, name: project.name, production: localOperatorPolicy.isProduction(project) };
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const instance = render(
    createElement(App, {
      services,
      size: { columns: stdout.columns, rows: stdout.rows },
      initialRoutes: [
        { view: 'projects' },
        { view: 'clusters', project: ref },
        { view: 'snapshots', project: ref, cluster },
      ],
    }),
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
      ...options.render,
    },
  );
  return {
    client,
    stdout,
    press: (key: string) => stdin.write(key),
    async close() {
      instance.unmount();
      services.jobs.stopAll();
      await client.close();
    },
  };
}
