import { Box } from 'ink';
import { memo, type ReactNode } from 'react';
import { cellWidth, oneLine, padCells, truncateCells } from '../terminal/cells.js';
import { Text } from './text.js';

export type DetailItem = [label: string, value: string] | string;

interface DetailProps {
  title: string;
  items: DetailItem[];
  width: number;
  height: number;
}

// The labels seldom change from one selected item to the next; they are not rendered again.
const Labels = memo(function Labels({ text }: { text: string }) {
  return <Text dimColor>{text}</Text>;
});

/**
 * Label/value lines as two text blocks side by side (labels dimmed), each value one line cut to
 * the cells left: two Ink nodes instead of two per line, redrawn on every move of the selection.
 */
function pairBlocks(pairs: [string, string][], labelWidth: number, width: number, key: number): ReactNode {
  const room = width - labelWidth - 1;
  if (room < 1)
    return pairs.map(([label, value], n) => (
      <Text key={key + n} wrap="truncate">
        <Text dimColor>{padCells(label, labelWidth)} </Text>
        {oneLine(value)}
      </Text>
    ));
  const values = pairs.map(([, value]) => truncateCells(oneLine(value), room));
  return (
    <Box key={key} columnGap={1}>
      <Labels
        text={pairs
          .map(([label], n) => {
            const cut = truncateCells(oneLine(label), labelWidth);
            return n === 0 ? padCells(cut, labelWidth) : cut;
          })
          .join('\n')}
      />
      <Text>{values.join('\n')}</Text>
    </Box>
  );
}

/** The selected item's facts, one per line, cut to the space there is. */
export function Detail({ title, items, width, height }: DetailProps) {
  const labelWidth = Math.min(
    18,
    items.reduce((max, item) => (typeof item === 'string' ? max : Math.max(max, cellWidth(item[0]))), 0),
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
        {oneLine(item)}
      </Text>,
    );
  });
  flush(shown.length);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {oneLine(title)}
      </Text>
      {lines}
    </Box>
  );
}
