import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { describeError } from '../format.js';
import { useKeys } from '../key-router.js';
import { keyName } from '../keymap.js';
import {
  isVisible,
  validateForm,
  type BuiltRequest,
  type FieldSpec,
  type FormSpec,
  type Option,
  type Values,
} from './form-spec.js';

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
  onSubmit(request: BuiltRequest, values: Values): void;
  onCancel(): void;
  active: boolean;
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
  const [values, setValues] = useState<Values>(initialValues ?? spec.initial);
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const [focus, setFocus] = useState(0);
  const [server, setServer] = useState<Record<string, string>>(serverErrors ?? {});

  const fields = spec.fields.filter((f) => isVisible(f, values));
  const loaded = useLoadedOptions(spec, values);
  const validation = useMemo(() => validateForm(spec, values), [spec, values]);
  const focused = fields[Math.min(focus, fields.length - 1)];

  const optionsOf = (field: FieldSpec): Option[] | undefined =>
    field.options ?? (field.load ? loaded[field.name]?.options : undefined);

  // A loaded select whose value is not among its choices takes the first one.
  useEffect(() => {
    for (const field of fields) {
      const options = optionsOf(field);
      if (field.kind !== 'select' || !options) continue;
      if (!options.some((o) => o.value === values[field.name])) {
        const first = options[0]?.value ?? '';
        if (values[field.name] !== first) setValues((v) => ({ ...v, [field.name]: first }));
      }
    }
  });

  const edit = (name: string, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setTouched((t) => new Set(t).add(name));
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
      if (!focused) {
        if (name === 'escape') onCancel();
        return;
      }
      switch (name) {
        case 'escape':
          return onCancel();
        case 'enter': {
          setSubmitted(true);
          if (validation.valid && Object.keys(server).length === 0) onSubmit(validation.request, values);
          return;
        }
        case 'tab':
        case 'down':
          setTouched((t) => new Set(t).add(focused.name));
          return setFocus((f) => (f + 1) % fields.length);
        case 'shift-tab':
        case 'up':
          setTouched((t) => new Set(t).add(focused.name));
          return setFocus((f) => (f - 1 + fields.length) % fields.length);
      }
      if (focused.kind === 'select') {
        const options = optionsOf(focused) ?? [];
        if (options.length === 0) return;
        const at = options.findIndex((o) => o.value === values[focused.name]);
        if (name === 'left' || name === 'right' || name === ' ') {
          const step = name === 'left' ? -1 : 1;
          const next = options[(at + step + options.length) % options.length];
          if (next) edit(focused.name, next.value);
        }
        return;
      }
      const current = values[focused.name] ?? '';
      if (name === 'backspace') return edit(focused.name, current.slice(0, -1));
      if (name === 'ctrl-u') return edit(focused.name, '');
      if (key.ctrl || key.meta || name.length === 0 || name === 'left' || name === 'right') return;
      if (/^[\x20-\x7e]+$/.test(input)) edit(focused.name, current + input);
    },
    'modal',
    active,
  );

  const labelWidth = Math.max(...spec.fields.map((f) => f.label.length));
  const shown = (name: string) => submitted || touched.has(name);

  return (
    <Box flexDirection="column" width={width} borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold>{spec.title}</Text>
      {fields.map((field) => {
        const isFocused = field === focused;
        const options = optionsOf(field);
        const raw = values[field.name] ?? '';
        let display: string;
        if (field.kind === 'select') {
          const label = options?.find((o) => o.value === raw)?.label;
          display =
            options === undefined ? 'loading…' : options.length === 0 ? '(none)' : `‹ ${label ?? raw} ›`;
        } else {
          display = raw === '' && !isFocused && field.placeholder ? field.placeholder : raw;
        }
        const problem =
          server[field.name] ?? (shown(field.name) ? validation.fieldErrors[field.name] : undefined);
        const loadError = field.load ? loaded[field.name]?.error : undefined;
        return (
          <Text key={field.name} wrap="truncate">
            <Text color={isFocused ? 'cyan' : undefined}>{isFocused ? '› ' : '  '}</Text>
            <Text dimColor={!isFocused}>{field.label.padEnd(labelWidth)} </Text>
            <Text inverse={isFocused} dimColor={raw === '' && field.kind !== 'select'}>
              {display}
              {isFocused && field.kind !== 'select' ? '▏' : ''}
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
          : 'type to edit · tab next field · enter review · esc cancel'}
      </Text>
    </Box>
  );
}
