import { Text } from '../components/text.js';
import { globalKeys, unavailableReason, type Binding } from '../keys/bindings.js';
import { matchCommands } from '../navigation/commands.js';
import type { Route } from '../navigation/routes.js';
import type { Status } from './app-context.js';

/** A prompt on the status line: `:` commands or the `/` filter. */
export type Prompt = { kind: 'command'; text: string } | { kind: 'filter' };

const statusColor = { info: undefined, ok: 'green', warn: 'yellow', error: 'red' } as const;

/**
 * The two bottom lines: the open prompt, else the status, else the page's filter; then the
 * keys worth knowing here (those that change Atlas only where they are allowed).
 */
export function Footer(props: {
  prompt: Prompt | undefined;
  status: Status | undefined;
  filter: string;
  route: Route;
  keys: readonly Binding[];
  readOnly: boolean;
}) {
  const { prompt, status, filter, route } = props;
  const hints = [...props.keys, ...globalKeys]
    .filter((b) => b.hint && !(b.changes && unavailableReason(b, route, props.readOnly)))
    .map((b) => `${b.keys[0] === 'escape' ? 'esc' : b.keys[0]} ${b.hint}`);
  return (
    <>
      {prompt?.kind === 'command' ? (
        <Text wrap="truncate">
          <Text color="cyan">{`:${prompt.text}▏`}</Text>
          <Text dimColor>{`  ${matchCommands(prompt.text)
            .map((c) => c.name)
            .join(' ')}`}</Text>
        </Text>
      ) : prompt?.kind === 'filter' ? (
        <Text color="cyan" wrap="truncate">{`/${filter}▏  (enter: keep · esc: clear)`}</Text>
      ) : status ? (
        <Text color={statusColor[status.kind]}>{status.text}</Text>
      ) : (
        <Text dimColor wrap="truncate">
          {filter ? `filter /${filter} (esc clears)` : ' '}
        </Text>
      )}
      <Text dimColor wrap="truncate">
        {hints.join(' · ')}
      </Text>
    </>
  );
}
