import { Box } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { describeError } from '../terminal/format.js';
import { useKeys } from '../keys/key-router.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { keyName } from '../keys/key-name.js';
import { aroundCursor, clampLine, editLine, lineAtEnd } from '../terminal/line-editor.js';
import {
  chosenOf,
  chosenValue,
  isVisible,
  validateForm,
  type BuiltRequest,
  type FieldSpec,
  type FormSpec,
  type Option,
  type Values,
} from './form-spec.js';
import { Text } from '../components/text.js';

interface LoadedOptions {
  depKey: string;
  options: Option[] | undefined;
  error: string | undefined;
}

const depKeyOf = (field: FieldSpec, values: Values) =>
  JSON.stringify((field.dependsOn ?? []).map((name) => values[name] ?? ''));

/** Fetches the choices of selects whose choices come from Atlas, again when what they depend on changes. */
function useLoadedOptions(spec: FormSpec, values: Values): Record<string, LoadedOptions> {
  const [loaded, setLoaded] = useState<Record<string, LoadedOptions>>({});
  const wanted = spec.fields
    .filter((f) => f.load && isVisible(f, values))
    .map((f) => [f, depKeyOf(f, values)] as const);
  const signature = wanted.map(([f, k]) => `${f.name}=${k}`).join('|');

  useEffect(() => {
    const abort = new AbortController();
    for (const [field, depKey] of wanted) {
      if (loaded[field.name]?.depKey === depKey) continue;
      setLoaded((l) => ({ ...l, [field.name]: { depKey, options: undefined, error: undefined } }));
      field.load?.(values, abort.signal).then(
        (options) => {
          if (!abort.signal.aborted)
            setLoaded((l) => ({ ...l, [field.name]: { depKey, options, error: undefined } }));
        },
        (error: unknown) => {
          if (!abort.signal.aborted)
            setLoaded((l) => ({
              ...l,
              [field.name]: { depKey, options: [], error: describeError(error).text },
            }));
        },
      );
    }
    return () => abort.abort();
    // `signature` captures every input that matters.
  }, [signature]);
  return loaded;
}

interface FormViewProps {
  spec: FormSpec;
  /** Errors the core found after submit (kept until the field is edited). */
  serverErrors?: Record<string, string>;
  initialValues?: Values;
  onSubmit: (request: BuiltRequest, values: Values) => void;
  onCancel: () => void;
  /** Read when a key arrives. */
  active: () => boolean;
  width: number;
}

/**
 * A form whose fields are checked as they are typed, with the core's own schemas, and whose
 * messages sit next to the field they are about.
 */
export function FormView({
  spec,
  serverErrors,
  initialValues,
  onSubmit,
  onCancel,
  active,
  width,
}: FormViewProps) {
  const [values, setValues, valuesRef] = useSyncState<Values>(initialValues ?? spec.initial);
  const [touched, setTouched] = useSyncState<ReadonlySet<string>>(() => new Set());
  const [submitted, setSubmitted] = useSyncState(false);
  const [focus, setFocus, focusRef] = useSyncState(0);
  const [server, setServer, serverRef] = useSyncState<Record<string, string>>(serverErrors ?? {});
  // Where the cursor is in each text field (at the end until moved).
  const [cursors, setCursors, cursorsRef] = useSyncState<Record<string, number>>({});

  // A multiselect's filter text and the option its cursor is on.
  const [filters, setFilters, filtersRef] = useSyncState<Record<string, string>>({});
  const [highlights, setHighlights, highlightsRef] = useSyncState<Record<string, number>>({});
  // Bumped when what `prepare` loads has arrived, so checks that use it run again.
  const [prepared, setPrepared] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    spec.prepare?.(abort.signal).then(
      () => {
        if (!abort.signal.aborted) setPrepared((n) => n + 1);
      },
      () => {
        if (!abort.signal.aborted) setPrepared((n) => n + 1);
      },
    );
    return () => abort.abort();
  }, [spec]);

  const visibleFields = (v: Values) => spec.fields.filter((f) => isVisible(f, v));
  const fields = visibleFields(values);
  const loaded = useLoadedOptions(spec, values);
  const validation = useMemo(() => validateForm(spec, values), [spec, values, prepared]);
  const focused = fields[Math.min(focus, fields.length - 1)];

  const optionsOf = (field: FieldSpec): Option[] | undefined =>
    field.options ?? (field.load ? loaded[field.name]?.options : undefined);

  /** A multiselect's options that match its filter (case-insensitive, anywhere in the label). */
  const filtered = (field: FieldSpec): Option[] => {
    const filter = (filtersRef.current[field.name] ?? '').toLowerCase();
    return (optionsOf(field) ?? []).filter((o) => o.label.toLowerCase().includes(filter));
  };

  // A loaded select whose value is not among its choices takes the first one.
  useEffect(() => {
    for (const field of fields) {
      const options = optionsOf(field);
      if (field.kind === 'multiselect' && options) {
        // Choices the options no longer offer (another snapshot's) are dropped.
        const chosen = chosenOf(values[field.name]);
        const kept = chosen.filter((c) => options.some((o) => o.value === c));
        if (kept.length !== chosen.length) setValues((v) => ({ ...v, [field.name]: chosenValue(kept) }));
        continue;
      }
      if (field.kind !== 'select' || !options) continue;
      if (!options.some((o) => o.value === values[field.name])) {
        const first = options[0]?.value ?? '';
        if (values[field.name] !== first) setValues((v) => ({ ...v, [field.name]: first }));
      }
    }
  });

  const touch = (name: string) => setTouched((t) => new Set(t).add(name));
  const edit = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    touch(name);
    setServer((s) => {
      if (!(name in s)) return s;
      const rest = { ...s };
      delete rest[name];
      return rest;
    });
  };

  useKeys(
    (input, key) => {
      const name = keyName(input, key);
      const current = visibleFields(valuesRef.current);
      const field = current[Math.min(focusRef.current, current.length - 1)];
      if (!field) {
        if (name === 'escape') onCancel();
        return;
      }
      switch (name) {
        case 'escape':
          return onCancel();
        case 'enter': {
          setSubmitted(true);
          const check = validateForm(spec, valuesRef.current);
          if (check.valid && Object.keys(serverRef.current).length === 0)
            onSubmit(check.request, valuesRef.current);
          return;
        }
        case 'tab':
        case 'down':
          if (name === 'down' && field.kind === 'multiselect' && filtered(field).length > 0) break;
          touch(field.name);
          return setFocus((f) => (Math.min(f, current.length - 1) + 1) % current.length);
        case 'shift-tab':
        case 'up':
          if (name === 'up' && field.kind === 'multiselect' && filtered(field).length > 0) break;
          touch(field.name);
          return setFocus((f) => (Math.min(f, current.length - 1) - 1 + current.length) % current.length);
      }
      const value = valuesRef.current[field.name] ?? '';
      if (field.kind === 'multiselect') {
        const shown = filtered(field);
        const at = Math.min(highlightsRef.current[field.name] ?? 0, Math.max(0, shown.length - 1));
        if ((name === 'up' || name === 'down') && shown.length > 0) {
          const next = (at + (name === 'down' ? 1 : -1) + shown.length) % shown.length;
          setHighlights((h) => ({ ...h, [field.name]: next }));
          return;
        }
        if (name === ' ') {
          const option = shown[at];
          if (!option) return;
          const chosen = chosenOf(value);
          edit(
            field.name,
            chosenValue(
              chosen.includes(option.value)
                ? chosen.filter((c) => c !== option.value)
                : (optionsOf(field) ?? [])
                    .map((o) => o.value)
                    .filter((v) => v === option.value || chosen.includes(v)),
            ),
          );
          return;
        }
        const filter = filtersRef.current[field.name] ?? '';
        const next = editLine(lineAtEnd(filter), name, input, key.ctrl || key.meta);
        if (!next || next.text === filter) return;
        setFilters((f) => ({ ...f, [field.name]: next.text.replace(/ /g, '') }));
        setHighlights((h) => ({ ...h, [field.name]: 0 }));
        return;
      }
      if (field.kind === 'select') {
        const options = optionsOf(field) ?? [];
        if (options.length === 0) return;
        const at = options.findIndex((o) => o.value === value);
        if (name === 'left' || name === 'right' || name === ' ') {
          const step = name === 'left' ? -1 : 1;
          const next = options[(at + step + options.length) % options.length];
          if (next) edit(field.name, next.value);
        }
        return;
      }
      const line = clampLine({ text: value, cursor: cursorsRef.current[field.name] ?? value.length });
      const next = editLine(line, name, input, key.ctrl || key.meta);
      if (!next) return;
      if (next.text !== value) edit(field.name, next.text);
      setCursors((c) => ({ ...c, [field.name]: next.cursor }));
    },
    'modal',
    active,
  );

  const labelWidth = Math.max(...spec.fields.map((f) => f.label.length));
  // Cells for a value: the width less the border and padding (4), the focus mark (2), the label.
  const valueRoom = Math.max(4, width - 4 - 2 - labelWidth - 1);
  const shown = (name: string) => submitted || touched.has(name);

  return (
    <Box flexDirection="column" width={width} borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold>{spec.title}</Text>
      {fields.map((field) => {
        const isFocused = field === focused;
        const options = optionsOf(field);
        const raw = values[field.name] ?? '';
        if (field.kind === 'multiselect')
          return (
            <MultiSelect
              key={field.name}
              field={field}
              options={options}
              chosen={chosenOf(raw)}
              focused={isFocused}
              filter={filters[field.name] ?? ''}
              highlight={highlights[field.name] ?? 0}
              labelWidth={labelWidth}
              problem={
                server[field.name] ?? (shown(field.name) ? validation.fieldErrors[field.name] : undefined)
              }
              loadError={field.load ? loaded[field.name]?.error : undefined}
            />
          );
        let display: string;
        if (field.kind === 'select') {
          const label = options?.find((o) => o.value === raw)?.label;
          display =
            options === undefined ? 'loading…' : options.length === 0 ? '(none)' : `‹ ${label ?? raw} ›`;
        } else {
          display = raw === '' && !isFocused && field.placeholder ? field.placeholder : raw;
        }
        const editing = isFocused && field.kind !== 'select';
        const [before, after] = editing
          ? aroundCursor(clampLine({ text: raw, cursor: cursors[field.name] ?? raw.length }), valueRoom - 1)
          : [display, ''];
        const problem =
          server[field.name] ?? (shown(field.name) ? validation.fieldErrors[field.name] : undefined);
        const loadError = field.load ? loaded[field.name]?.error : undefined;
        return (
          <Text key={field.name} wrap="truncate">
            <Text color={isFocused ? 'cyan' : undefined}>{isFocused ? '› ' : '  '}</Text>
            <Text dimColor={!isFocused}>{field.label.padEnd(labelWidth)} </Text>
            <Text inverse={isFocused} dimColor={raw === '' && field.kind !== 'select'}>
              {before}
              {editing ? '▏' : ''}
              {after}
            </Text>
            {problem ? <Text color="red">{`  ✖ ${problem}`}</Text> : null}
            {loadError ? <Text color="red">{`  ✖ ${loadError}`}</Text> : null}
          </Text>
        );
      })}
      {(spec.live?.(values) ?? []).map((line, i) => (
        <Text key={`live${i}`} color="yellow" wrap="truncate">
          {`  ${line}`}
        </Text>
      ))}
      {submitted
        ? validation.general.map((line, i) => (
            <Text key={`gen${i}`} color="red" wrap="truncate">
              {`  ✖ ${line}`}
            </Text>
          ))
        : null}
      <Text dimColor wrap="truncate">
        {focused?.kind === 'select'
          ? '←/→ choose · tab next field · enter review · esc cancel'
          : focused?.kind === 'multiselect'
            ? 'type to filter · ↑/↓ move · space choose · tab next field · enter review · esc cancel'
            : 'type to edit · ←/→ move · tab next field · enter review · esc cancel'}
      </Text>
    </Box>
  );
}

/** How many of a multiselect's options show at once. */
const multiSelectRows = 8;

interface MultiSelectProps {
  field: FieldSpec;
  options: Option[] | undefined;
  chosen: string[];
  focused: boolean;
  filter: string;
  highlight: number;
  labelWidth: number;
  problem: string | undefined;
  loadError: string | undefined;
}

/** A list to choose several from: folded to what was chosen, unfolded with a filter while focused. */
function MultiSelect(props: MultiSelectProps) {
  const { field, options, chosen, focused, filter, labelWidth } = props;
  const summary =
    options === undefined
      ? 'loading…'
      : chosen.length === 0
        ? options.length === 0
          ? '(none to choose from)'
          : '(none chosen)'
        : `${chosen.length} chosen: ${chosen.join(', ')}`;
  const header = (
    <Text wrap="truncate">
      <Text color={focused ? 'cyan' : undefined}>{focused ? '› ' : '  '}</Text>
      <Text dimColor={!focused}>{field.label.padEnd(labelWidth)} </Text>
      {focused ? (
        <Text>
          <Text inverse>{`filter: ${filter}▏`}</Text>
          {`  ${summary}`}
        </Text>
      ) : (
        <Text dimColor={chosen.length === 0}>{summary}</Text>
      )}
      {props.problem ? <Text color="red">{`  ✖ ${props.problem}`}</Text> : null}
      {props.loadError ? <Text color="red">{`  ✖ ${props.loadError}`}</Text> : null}
    </Text>
  );
  if (!focused || options === undefined) return header;
  const lower = filter.toLowerCase();
  const shown = options.filter((o) => o.label.toLowerCase().includes(lower));
  const at = Math.min(props.highlight, Math.max(0, shown.length - 1));
  const first = Math.max(0, Math.min(at - Math.floor(multiSelectRows / 2), shown.length - multiSelectRows));
  const pad = ' '.repeat(labelWidth + 3);
  return (
    <Box flexDirection="column">
      {header}
      {shown.length === 0 ? <Text dimColor>{`${pad}nothing matches ${filter}`}</Text> : null}
      {shown.slice(first, first + multiSelectRows).map((o, i) => {
        const here = first + i === at;
        return (
          <Text key={o.value} wrap="truncate" color={here ? 'cyan' : undefined}>
            {`${pad}${here ? '›' : ' '} [${chosen.includes(o.value) ? 'x' : ' '}] `}
            <Text inverse={here}>{o.label}</Text>
          </Text>
        );
      })}
      {shown.length > multiSelectRows ? (
        <Text dimColor>{`${pad}  ${shown.length} match; ↑/↓ to see the others`}</Text>
      ) : null}
    </Box>
  );
}
