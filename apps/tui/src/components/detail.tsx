import { Box, Text } from 'ink';

export type DetailItem = [label: string, value: string] | string;

interface DetailProps {
  title: string;
  items: DetailItem[];
  width: number;
  height: number;
}

/** The selected item's facts, one per line, cut to the space there is. */
export function Detail({ title, items, width, height }: DetailProps) {
  const labelWidth = Math.min(
    18,
    items.reduce((max, item) => (typeof item === 'string' ? max : Math.max(max, item[0].length)), 0),
  );
  const shown = items.slice(0, Math.max(0, height - 1));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {title}
      </Text>
      {shown.map((item, i) =>
        typeof item === 'string' ? (
          <Text key={i} wrap="truncate" color="yellow">
            {item}
          </Text>
        ) : (
          <Text key={i} wrap="truncate">
            <Text dimColor>{item[0].padEnd(labelWidth)} </Text>
            {item[1]}
          </Text>
        ),
      )}
    </Box>
  );
}
