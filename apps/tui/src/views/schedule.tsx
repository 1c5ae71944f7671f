import { Box } from 'ink';
import { useCallback } from 'react';
import { Text } from '../components/text.js';
import { useAppResource } from '../hooks/use-app-resource.js';
import { resourceProblem } from '../hooks/use-resource.js';
import { defineKeys } from '../keys/bindings.js';
import { useApp } from '../shell/app-context.js';
import { describeError, fit, formatTimeSeconds } from '../terminal/format.js';
import { useViewKeys } from './use-view-keys.js';
import { defineView, type ViewProps } from './view.js';

const pad2 = (n: number | undefined) => String(n ?? 0).padStart(2, '0');

const keys = defineKeys({ actions: [], tabs: true, list: false });

function ScheduleView(props: ViewProps<'schedule', typeof keys>) {
  const { project, cluster } = props.route;
  const app = useApp();
  const { client } = app.services;
  const fetcher = useCallback(
    (signal: AbortSignal) => client.getBackupSchedule(project.id, cluster.name, { signal }),
    [client, project.id, cluster.name],
  );
  const resource = useAppResource(`schedule:${project.id}:${cluster.name}`, fetcher, {
    refreshMs: app.services.refreshMs * 6,
  });

  useViewKeys({
    route: props.route,
    keys: props.keys,
    handlers: {},
    target: () => undefined,
    list: undefined,
  });

  const problem = resourceProblem(resource, (e) => describeError(e).text);
  const s = resource.data;
  const items = (s?.policies ?? []).flatMap((p) => p.policyItems);
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      {problem ? <Text color="red">{`✖ ${problem}`}</Text> : null}
      {!s ? (
        <Text dimColor>{resource.loading ? 'Loading…' : ''}</Text>
      ) : (
        <>
          <Text bold>{`Backup schedule of ${cluster.name}`}</Text>
          <Text>{`  Snapshots taken at   ${pad2(s.referenceHourOfDay)}:${pad2(s.referenceMinuteOfHour)} UTC`}</Text>
          <Text>{`  Next snapshot        ${formatTimeSeconds(s.nextSnapshot)}`}</Text>
          <Text>{`  Restore window       ${s.restoreWindowDays ?? '-'} days (point in time ${cluster.pitEnabled ? 'on' : 'off'})`}</Text>
          <Text>{`  Auto export          ${s.autoExportEnabled ? `on (${s.export?.frequencyType ?? '?'} to ${s.export?.exportBucketId ?? '?'})` : 'off'}`}</Text>
          <Text> </Text>
          <Text bold color="cyan">
            {`${fit('FREQUENCY', 12)} ${fit('EVERY', 6)} ${fit('KEPT FOR', 14)}`}
          </Text>
          {items.map((item, i) => (
            <Text key={item.id ?? i}>
              {`${fit(item.frequencyType, 12)} ${fit(String(item.frequencyInterval), 6)} ${fit(`${item.retentionValue} ${item.retentionUnit}`, 14)}`}
            </Text>
          ))}
          {items.length === 0 ? <Text dimColor>No policy items.</Text> : null}
        </>
      )}
    </Box>
  );
}

export const scheduleView = defineView('schedule', keys, ScheduleView);
