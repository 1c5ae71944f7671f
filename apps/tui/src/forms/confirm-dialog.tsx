import type { ActionPreview } from '@atlas-backups/core';
import { Box } from 'ink';
import { useRef, useState } from 'react';
import { useSyncState } from '../hooks/use-sync-state.js';
import { useKeys } from '../keys/key-router.js';
import { keyName } from '../keys/key-name.js';
import { editLine, lineAtEnd } from '../terminal/line-editor.js';
import { Text } from '../components/text.js';

type Focus = 'cancel' | 'phrase' | 'confirm';

interface ConfirmProps {
  preview: ActionPreview;
  onConfirm: (typedPhrase: string | undefined) => void;
  onCancel: () => void;
  /** Read when a key arrives. */
  active: () => boolean;
  width: number;
}

const riskLabel = { safe: 'SAFE', costly: 'COSTLY', destructive: 'DESTRUCTIVE' } as const;
const riskColor = { safe: 'green', costly: 'yellow', destructive: 'red' } as const;

/**
 * Says exactly what will happen and asks for a deliberate yes. Focus starts on Cancel, so Enter
 * alone cancels; anything that costs or destroys needs the Confirm button focused and `y`, and on
 * a production project the target's name typed first.
 */
export function ConfirmDialog({ preview, onConfirm, onCancel, active, width }: ConfirmProps) {
  const needsPhrase = preview.confirmPhrase !== undefined;
  const order: Focus[] = needsPhrase ? ['cancel', 'phrase', 'confirm'] : ['cancel', 'confirm'];
  const [focus, setFocus, focusRef] = useSyncState<Focus>('cancel');
  const [typed, setTyped, typedRef] = useSyncState('');
  const [nudge, setNudge] = useState<string | undefined>(undefined);
  const matches = (text: string) => !needsPhrase || text.trim() === preview.confirmPhrase;
  const phraseOk = matches(typed);
  const deliberate = preview.risk !== 'safe';

  const move = (step: number) => {
    const at = order.indexOf(focusRef.current);
    setFocus(order[(at + step + order.length) % order.length] ?? 'cancel');
    setNudge(undefined);
  };

  // One answer per dialog: a second y typed before the screen changes must not run it twice.
  const answered = useRef(false);
  const cancel = () => {
    if (answered.current) return;
    answered.current = true;
    onCancel();
  };
  const tryConfirm = () => {
    if (answered.current) return;
    if (!matches(typedRef.current)) {
      setNudge(`Type ${preview.confirmPhrase} exactly first.`);
      return;
    }
    answered.current = true;
    onConfirm(needsPhrase ? typedRef.current.trim() : undefined);
  };

  useKeys(
    (input, key) => {
      const name = keyName(input, key);
      const focus = focusRef.current;
      if (name === 'escape') return cancel();
      if (name === 'tab' || name === 'right' || (name === 'down' && focus !== 'phrase')) return move(1);
      if (name === 'shift-tab' || name === 'left' || (name === 'up' && focus !== 'phrase')) return move(-1);
      if (focus === 'phrase') {
        if (name === 'down') return move(1);
        if (name === 'up') return move(-1);
        if (name === 'enter') return move(1);
        const next = editLine(lineAtEnd(typedRef.current), name, input, key.ctrl || key.meta);
        if (next) setTyped(next.text);
        return;
      }
      if (focus === 'cancel') {
        if (name === 'enter' || name === 'n') return cancel();
        if (name === 'y') setNudge('Move to Confirm (tab) first; Cancel is focused.');
        return;
      }
      // focus === 'confirm'
      if (name === 'y') return tryConfirm();
      if (name === 'n') return cancel();
      if (name === 'enter') {
        if (deliberate) setNudge('Press y to confirm; Enter alone does not.');
        else tryConfirm();
      }
    },
    'modal',
    () => active() && !answered.current,
  );

  const button = (which: Focus, label: string, enabled = true) => (
    <Text
      inverse={focus === which}
      dimColor={!enabled}
      color={which === 'confirm' && enabled ? riskColor[preview.risk] : undefined}
    >
      {` ${label} `}
    </Text>
  );

  return (
    <Box
      flexDirection="column"
      width={width}
      borderStyle="double"
      borderColor={riskColor[preview.risk]}
      paddingX={1}
    >
      <Text wrap="truncate">
        <Text bold color={riskColor[preview.risk]}>
          {`[${riskLabel[preview.risk]}] `}
        </Text>
        <Text bold>{preview.title}</Text>
      </Text>
      <Text wrap="truncate">
        {`Project: ${preview.projectName ?? preview.projectId} (${preview.projectId})`}
        {preview.production ? (
          <Text color="red" bold>
            {'  PRODUCTION'}
          </Text>
        ) : null}
      </Text>
      {preview.lines.map((line, i) => (
        <Text key={`l${i}`} wrap="truncate">
          {`  ${line}`}
        </Text>
      ))}
      {preview.warnings.map((line, i) => (
        <Text key={`w${i}`} wrap="truncate" color={preview.risk === 'destructive' ? 'red' : 'yellow'}>
          {`  ⚠ ${line}`}
        </Text>
      ))}
      {needsPhrase ? (
        <Text wrap="truncate">
          <Text color={focus === 'phrase' ? 'cyan' : undefined}>{focus === 'phrase' ? '› ' : '  '}</Text>
          {`Type ${preview.confirmPhrase} to confirm: `}
          <Text inverse={focus === 'phrase'}>
            {typed}
            {focus === 'phrase' ? '▏' : ''}
          </Text>
          {typed !== '' && !phraseOk ? <Text color="red">{'  ✖ does not match'}</Text> : null}
        </Text>
      ) : null}
      <Text>
        {button('cancel', 'Cancel')}
        {'   '}
        {button('confirm', deliberate ? 'Confirm (y)' : 'Confirm', phraseOk)}
      </Text>
      <Text dimColor wrap="truncate">
        {nudge ??
          (deliberate
            ? 'tab: move · on Confirm press y to go ahead · esc: cancel'
            : 'tab: move · enter or y on Confirm: go ahead · esc: cancel')}
      </Text>
    </Box>
  );
}
