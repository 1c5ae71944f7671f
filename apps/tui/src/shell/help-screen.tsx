import { Box } from 'ink';
import { globalKeys, unavailableReason, type Binding } from '../keys/bindings.js';
import type { Route } from '../navigation/routes.js';
import { Text } from '../components/text.js';

const keyLabel = (b: Binding) => b.keys.join(', ');

/** The keys of the current view and the global ones, straight from the key map the views use. */
export function HelpScreen(props: {
  route: Route;
  /** The view's keys, as the registry has them. */
  keys: readonly Binding[];
  readOnly: boolean;
  auditPath: string | undefined;
  /** Where the policy comes from, in one line. */
  policySource: string;
  width: number;
  height: number;
}) {
  const { route, readOnly } = props;
  const sections: [string, readonly Binding[]][] = [
    [`${route.view}`, props.keys],
    ['everywhere', globalKeys],
  ];
  const width = Math.max(...[...props.keys, ...globalKeys].map((b) => keyLabel(b).length)) + 2;
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Text bold>{`Keys — ${route.view}   (esc or ? to close)`}</Text>
      {sections.map(([title, bindings]) => (
        <Box key={title} flexDirection="column">
          <Text bold color="cyan">
            {title}
          </Text>
          {bindings.map((b) => {
            const reason = unavailableReason(b, route, readOnly);
            return (
              <Text key={b.action + keyLabel(b)} wrap="truncate" dimColor={reason !== undefined}>
                {`  ${keyLabel(b).padEnd(width)}${b.help}`}
                {reason ? <Text color="yellow">{`  (unavailable: ${reason})`}</Text> : null}
              </Text>
            );
          })}
        </Box>
      ))}
      {props.auditPath ? (
        <Text dimColor wrap="truncate">{`Actions are audited to ${props.auditPath}`}</Text>
      ) : null}
      <Text dimColor wrap="truncate">{`Policy: ${props.policySource}`}</Text>
    </Box>
  );
}
