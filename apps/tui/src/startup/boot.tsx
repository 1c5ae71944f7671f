import type { AtlasConnection } from '@atlas-backups/core';
import type { AtlasRuntime } from '@atlas-backups/runtime';
import { Box, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { App } from '../shell/app.js';
import type { Status } from '../shell/app-context.js';
import { describeError } from '../terminal/format.js';
import type { Route } from '../navigation/routes.js';
import { createServices, JsonlAuditLog, type AppServices } from '../services/app-services.js';
import { Text } from '../components/text.js';
import { Header } from '../shell/header.js';
import type { TestFault } from './cli-args.js';
import type { TuiPolicy } from './policy.js';

export interface BootOptions {
  connection: AtlasConnection;
  readOnly: boolean;
  projectId: string | undefined;
  /** Opened by the caller before the first frame, so the simulator starts while Ink draws. */
  runtime: Promise<AtlasRuntime>;
  auditPath: string;
  refreshMs: number;
  policy: TuiPolicy;
  onQuit: () => void;
  testFault?: TestFault;
}

interface Ready {
  services: AppServices;
  routes: Route[];
  status: Status | undefined;
}

/**
 * Draws the frame at once and opens Atlas (or starts the simulator) behind it, so the terminal
 * never sits blank while the connection is made.
 */
export function Boot(options: BootOptions) {
  const [ready, setReady] = useState<Ready | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const runtime = await options.runtime;
      const services = createServices({
        client: runtime.client,
        mode: runtime.mode,
        banner: runtime.banner,
        readOnly: options.readOnly,
        audit: new JsonlAuditLog(options.auditPath),
        auditPath: options.auditPath,
        refreshMs: options.refreshMs,
        policy: options.policy,
      });
      const routes: Route[] = [{ view: 'projects' }];
      let status: Status | undefined;
      const projectId = options.projectId ?? runtime.defaultProjectId;
      if (projectId) {
        try {
          const p = await runtime.client.getProject(projectId);
          routes.push({
            view: 'clusters',
            project: { id: p.id, name: p.name, production: services.actions.policy.isProduction(p) },
          });
        } catch (error) {
          status = { kind: 'error', text: describeError(error).text };
        }
      }
      if (!cancelled) setReady({ services, routes, status });
    })().catch((error: unknown) => {
      if (!cancelled) setFailure(describeError(error).text);
    });
    return () => {
      cancelled = true;
    };
    // Boot runs once.
  }, []);

  useInput(
    (input, key) => {
      if (input === 'q' || (key.ctrl && input === 'c')) options.onQuit();
    },
    { isActive: ready === undefined },
  );

  if (ready) {
    return (
      <App
        services={ready.services}
        initialRoutes={ready.routes}
        initialStatus={ready.status}
        onQuit={options.onQuit}
        testFault={options.testFault}
      />
    );
  }
  const simulated = options.connection.mode === 'simulator';
  return (
    <Box flexDirection="column">
      <Header mode={options.connection.mode} readOnly={options.readOnly}>
        <Text>
          {simulated
            ? ' starting the built-in Atlas simulator (no credentials set)…'
            : ' connecting to Atlas…'}
        </Text>
      </Header>
      {failure ? <Text color="red">{`✖ ${failure}  (q: quit)`}</Text> : null}
    </Box>
  );
}
