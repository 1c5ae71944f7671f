import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';

export type DetailItem = [label: string, value: string] | string;

interface DetailProps {
  title: string;
  items: DetailItem[];
  width: number;
  height: number;
}

const printable = /^[\x20-\x7e]*$/;

// The labels seldom change from one selected item to the next; they are not rendered again.
const Labels = memo(function Labels({ text }: { text: string }) {
  return <Text dimColor>{text}</Text>;
});

/**
 * Label/value lines as two text blocks side by side (labels dimmed), each value cut to the space
 * left, as Ink's truncation would: two Ink nodes instead of two per line, redrawn on every move
 * of the selection. Only for printable ASCII, where a character is one cell; otherwise one line each.
 */
function pairBlocks(pairs: [string, string][], labelWidth: number, width: number, key: number): ReactNode {
  const room = width - labelWidth - 1;
  const fast =
    room >= 1 &&
    pairs.every(
      ([label, value]) => label.length <= labelWidth && printable.test(label) && printable.test(value),
    );
  if (!fast)
    return pairs.map(([label, value], n) => (
      <Text key={key + n} wrap="truncate">
        <Text dimColor>{label.padEnd(labelWidth)} </Text>
        {value}
      </Text>
    ));
  const values = pairs.map(([, value]) => (value.length > room ? `${value.slice(0, room - 1)}…` : value));
  return (
    <Box key={key} columnGap={1}>
      <Labels text={pairs.map(([label], n) => (n === 0 ? label.padEnd(labelWidth) : label)).join('\n')} />
      <Text>{values.join('\n')}</Text>
    </Box>
  );
}

/** The selected item's facts, one per line, cut to the space there is. */
export function Detail({ title, items, width, height }: DetailProps) {
  const labelWidth = Math.min(
    18,
    items.reduce((max, item) => (typeof item === 'string' ? max : Math.max(max, item[0].length)), 0),
  );
  const shown = items.slice(0, Math.max(0, height - 1));
  const lines: ReactNode[] = [];
  let pairs: [string, string][] = [];
  const flush = (at: number) => {
    if (pairs.length > 0) lines.push(pairBlocks(pairs, labelWidth, width, at - pairs.length));
    pairs = [];
  };
  shown.forEach((item, i) => {
    if (typeof item !== 'string') {
      pairs.push(item);
      return;
    }
    flush(i);
    lines.push(
      <Text key={i} wrap="truncate" color="yellow">
        {item}
      </Text>,
    );
  });
  flush(shown.length);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {title}
      </Text>
      {lines}
    </Box>
  );
}
