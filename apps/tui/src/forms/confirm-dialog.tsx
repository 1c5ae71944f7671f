import { reasonProblem, type ActionPreview, type ChatVerdict, type ReasonRule } from '@atlas-backups/core';
import { Box } from 'ink';
import { useRef, useState } from 'react';
import { useSyncState } from '../hooks/use-sync-state.js';
import { useKeys } from '../keys/key-router.js';
import { keyName } from '../keys/key-name.js';
import { cellWidth } from '../terminal/cells.js';
import { aroundCursor, editLine, lineAtEnd, type Line } from '../terminal/line-editor.js';
import { Text } from '../components/text.js';

type Focus = 'cancel' | 'reason' | 'phrase' | 'confirm';

interface ConfirmProps {
  preview: ActionPreview;
  /** The policy asks for a reason: typed here, checked as it is typed and again by the core. */
  reason?: ReasonRule | undefined;
  /** What Slack would ask of this person for the same action. */
  chat?: ChatVerdict | undefined;
  /** Shown under the reason when the core refused the one given. */
  reasonError?: string | undefined;
  /** Keeps what was typed when the dialog is shown again (after a refused reason). */
  initialReason?: string | undefined;
  onConfirm: (typedPhrase: string | undefined, reason: string | undefined) => void;
  onCancel: () => void;
  /** Read when a key arrives. */
  active: () => boolean;
  width: number;
}

const riskLabel = { safe: 'SAFE', costly: 'COSTLY', destructive: 'DESTRUCTIVE' } as const;
const riskColor = { safe: 'green', costly: 'yellow', destructive: 'red' } as const;
const chatColor = { approval: 'yellow', refused: 'red', open: undefined, depends: undefined } as const;

/** What the person must fix in the reason, in words; undefined when it will do. */
function reasonHint(rule: ReasonRule, text: string): string | undefined {
  const problem = reasonProblem(rule, text);
  if (problem === 'missing') return `Give a reason first${rule.prompt ? `: ${rule.prompt}` : ''}.`;
  if (problem === 'mismatch') return `The reason must match ${rule.pattern ?? ''}.`;
  return undefined;
}

/**
 * Says exactly what will happen and asks for a deliberate yes. Focus starts on Cancel, so Enter
 * alone cancels; anything that costs or destroys needs the Confirm button focused and `y`, and on
 * a production project the target's name typed first.
 */
export function ConfirmDialog(props: ConfirmProps) {
  const { preview, reason: reasonRule, chat, onConfirm, onCancel, active, width } = props;
  const needsPhrase = preview.confirmPhrase !== undefined;
  const order: Focus[] = [
    'cancel',
    ...(reasonRule ? (['reason'] as const) : []),
    ...(needsPhrase ? (['phrase'] as const) : []),
    'confirm',
  ];
  const [focus, setFocus, focusRef] = useSyncState<Focus>('cancel');
  const [typed, setTyped, typedRef] = useSyncState('');
  const [reason, setReason, reasonRef] = useSyncState<Line>(lineAtEnd(props.initialReason ?? ''));
  const [nudge, setNudge] = useState<string | undefined>(props.reasonError);
  const matches = (text: string) => !needsPhrase || text.trim() === preview.confirmPhrase;
  const phraseOk = matches(typed);
  const reasonOk = !reasonRule || reasonProblem(reasonRule, reason.text) === undefined;
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
    const missing = reasonRule && reasonHint(reasonRule, reasonRef.current.text);
    if (missing) {
      setNudge(missing);
      return;
    }
    if (!matches(typedRef.current)) {
      setNudge(`Type ${preview.confirmPhrase} exactly first.`);
      return;
    }
    answered.current = true;
    onConfirm(
      needsPhrase ? typedRef.current.trim() : undefined,
      reasonRule ? reasonRef.current.text.trim() : undefined,
    );
  };

  useKeys(
    (input, key) => {
      const name = keyName(input, key);
      const focus = focusRef.current;
      if (name === 'escape') return cancel();
      if (focus === 'reason') {
        // ← → move in the text here; tab, ↑ ↓ and Enter move between fields.
        if (name === 'tab' || name === 'down' || name === 'enter') return move(1);
        if (name === 'shift-tab' || name === 'up') return move(-1);
        const next = editLine(reasonRef.current, name, input, key.ctrl || key.meta);
        if (next) {
          setReason(next);
          setNudge(undefined);
        }
        return;
      }
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
      {chat ? (
        // Wrapped lines stay indented under the first.
        <Box paddingLeft={2}>
          <Text wrap="wrap" color={chatColor[chat.outcome]} dimColor={chatColor[chat.outcome] === undefined}>
            {`${chat.text}${chat.outcome === 'depends' ? '; set ATLAS_TUI_SLACK_USER to see what it asks of you' : ''}.`}
          </Text>
        </Box>
      ) : null}
      {reasonRule ? (
        <ReasonField rule={reasonRule} line={reason} focused={focus === 'reason'} width={width} />
      ) : null}
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
        {button('confirm', deliberate ? 'Confirm (y)' : 'Confirm', phraseOk && reasonOk)}
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

/** `Reason (the incident, e.g. INC-123): INC-4▏  ✖ must match ^INC-\d+`, the text scrolled to the cursor. */
function ReasonField(props: { rule: ReasonRule; line: Line; focused: boolean; width: number }) {
  const { rule, line, focused } = props;
  const label = `Reason${rule.prompt ? ` (${rule.prompt})` : ''}: `;
  const problem = line.text.trim() === '' ? undefined : reasonProblem(rule, line.text);
  const mark = problem === 'mismatch' ? `  ✖ must match ${rule.pattern ?? ''}` : '';
  // The border, padding and the focus mark take 6 cells; the cursor one.
  const room = Math.max(8, props.width - 6 - cellWidth(label) - cellWidth(mark) - 1);
  const [before, after] = focused ? aroundCursor(line, room) : aroundCursor(lineAtEnd(line.text), room);
  return (
    <Text wrap="truncate">
      <Text color={focused ? 'cyan' : undefined}>{focused ? '› ' : '  '}</Text>
      {label}
      <Text inverse={focused}>
        {before}
        {focused ? '▏' : ''}
        {after}
      </Text>
      {mark ? <Text color="red">{mark}</Text> : null}
    </Text>
  );
}
