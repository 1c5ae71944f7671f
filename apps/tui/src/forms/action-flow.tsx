import {
  InputValidationError,
  ReasonRequiredError,
  type ActionCall,
  type ActionOutcome,
  type ActionPreview,
  type ActionRequirements,
  withPriority,
} from '@atlas-backups/core';
import { Box } from 'ink';
import { useEffect, useRef } from 'react';
import { useApp } from '../shell/app-context.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { describeError, type ErrorLine } from '../terminal/format.js';
import { FormView } from './form-view.js';
import type { BuiltRequest, FormSpec, Values } from './form-spec.js';
import { useKeys } from '../keys/key-router.js';
import { keyName } from '../keys/key-name.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { Text } from '../components/text.js';

/** An action to walk through: from a form, or straight to its summary (cancelling a job). */
export type FlowRequest = { form: FormSpec } | { direct: ActionCall };

type Phase =
  | { step: 'form'; serverErrors?: Record<string, string> }
  | { step: 'previewing'; request: Pick<BuiltRequest, 'action' | 'params'> }
  | {
      step: 'confirm';
      request: Pick<BuiltRequest, 'action' | 'params'>;
      preview: ActionPreview;
      requirements: ActionRequirements;
      /** The core refused the reason given (the policy changed meanwhile): shown with it. */
      refusedReason?: { text: string; why: string };
    }
  | { step: 'running'; preview: ActionPreview }
  | { step: 'done'; outcome: ActionOutcome }
  | { step: 'failed'; error: ErrorLine; canGoBack: boolean };

interface ActionFlowProps {
  request: FlowRequest;
  /** `then: 'jobs'` asks to show the jobs view next. */
  onClose: (changed: boolean, then?: 'jobs') => void;
  width: number;
}

/**
 * The one way the terminal changes Atlas: form → the core's preview and what the policy asks
 * (a reason; what Slack would ask) → explicit confirmation → the core's ActionService.request →
 * the job followed in the background.
 */
export function ActionFlow({ request, onClose, width }: ActionFlowProps) {
  const app = useApp();
  const { actions, actor, jobs } = app.services;
  const [phase, setPhase, phaseRef] = useSyncState<Phase>(
    'form' in request ? { step: 'form' } : { step: 'previewing', request: request.direct },
  );
  const values = useRef<Values | undefined>(undefined);
  const abort = useRef(new AbortController());
  useEffect(() => () => abort.current.abort(), []);

  const formFallback = 'form' in request;
  // Once closed, this flow takes no more keys, even before the screen is redrawn.
  const closed = useRef(false);
  const close = (changed: boolean, then?: 'jobs') => {
    if (closed.current) return;
    closed.current = true;
    onClose(changed, then);
  };

  const preview = (req: Pick<BuiltRequest, 'action' | 'params'>) => {
    if (phaseRef.current.step !== 'form' && !('direct' in request)) return;
    setPhase({ step: 'previewing', request: req });
    // A person is waiting, whatever task React runs this from (see useResource).
    withPriority('interactive', () =>
      actions.requirements(actor, req.action, req.params, { signal: abort.current.signal }),
    ).then(
      ({ preview: p, requirements }) => setPhase({ step: 'confirm', request: req, preview: p, requirements }),
      (error: unknown) => {
        if (abort.current.signal.aborted) return;
        if (error instanceof InputValidationError && 'form' in request) {
          setPhase({
            step: 'form',
            serverErrors: Object.fromEntries(
              error.issues.map((i) => [
                request.form.fieldFor?.(i.field) ?? i.field.split('.')[0] ?? '',
                i.message,
              ]),
            ),
          });
          return;
        }
        setPhase({ step: 'failed', error: describeError(error), canGoBack: formFallback });
      },
    );
  };

  // A direct request goes to its summary at once.
  const started = useRef(false);
  useEffect(() => {
    if (started.current || !('direct' in request)) return;
    started.current = true;
    preview(request.direct);
  });

  const execute = (typedPhrase: string | undefined, reason: string | undefined) => {
    const asked = phaseRef.current;
    if (asked.step !== 'confirm') return;
    const { request: req, preview: p } = asked;
    setPhase({ step: 'running', preview: p });
    withPriority('interactive', () =>
      actions.request(actor, req.action, req.params, {
        confirmation: { confirmed: true, typedPhrase },
        ...(reason === undefined ? {} : { reason }),
        signal: abort.current.signal,
      }),
    ).then(
      (outcome) => {
        if (outcome.status === 'executed' && outcome.result.job) jobs.track(outcome.result.job, p.title);
        setPhase({ step: 'done', outcome });
        app.setStatus({
          kind: 'ok',
          text:
            outcome.status === 'executed'
              ? `✔ ${outcome.result.summary}`
              : outcome.status === 'pending_approval'
                ? `Waiting for approval (${outcome.approval.id})`
                : `Break-glass: ${outcome.requestId}`,
        });
      },
      (error: unknown) => {
        if (abort.current.signal.aborted) return;
        if (error instanceof ReasonRequiredError) {
          // Asked again with what was typed, saying what the rule expects now.
          const requirements = {
            ...asked.requirements,
            reason: { prompt: error.prompt, pattern: error.pattern },
          };
          setPhase({ ...asked, requirements, refusedReason: { text: reason ?? '', why: error.message } });
          return;
        }
        setPhase({ step: 'failed', error: describeError(error), canGoBack: formFallback });
      },
    );
  };

  useKeys(
    (input, key) => {
      const name = keyName(input, key);
      const phase = phaseRef.current;
      if (phase.step === 'done') {
        if (name === 'enter' || name === 'escape') close(true);
        if (name === 'J') close(true, 'jobs');
        return;
      }
      if (phase.step === 'failed') {
        if (name === 'escape' || name === 'enter') close(false);
        if (name === 'b' && phase.canGoBack) setPhase({ step: 'form' });
        return;
      }
      if (phase.step === 'previewing' && name === 'escape') close(false);
    },
    'modal',
    () => !closed.current && phaseRef.current.step !== 'form' && phaseRef.current.step !== 'confirm',
  );

  switch (phase.step) {
    case 'form':
      if (!('form' in request)) return null;
      return (
        <FormView
          spec={request.form}
          serverErrors={phase.serverErrors}
          initialValues={values.current}
          active={() => !closed.current && phaseRef.current.step === 'form'}
          width={width}
          onCancel={() => close(false)}
          onSubmit={(built, v) => {
            values.current = v;
            preview(built);
          }}
        />
      );
    case 'previewing':
      return <Text>Checking with Atlas what this would do…</Text>;
    case 'confirm':
      return (
        <ConfirmDialog
          key={phase.refusedReason?.why ?? 'first'}
          preview={phase.preview}
          reason={phase.requirements.reason}
          chat={phase.requirements.chat}
          initialReason={phase.refusedReason?.text}
          reasonError={phase.refusedReason?.why}
          active={() => !closed.current && phaseRef.current.step === 'confirm'}
          width={width}
          onCancel={() => {
            app.setStatus({ kind: 'info', text: 'Cancelled; nothing was changed.' });
            close(false);
          }}
          onConfirm={execute}
        />
      );
    case 'running':
      return <Text>{`${phase.preview.title}…`}</Text>;
    case 'done': {
      const { outcome } = phase;
      return (
        <Box flexDirection="column" borderStyle="round" borderColor="green" paddingX={1} width={width}>
          <Text color="green" wrap="truncate">
            {outcome.status === 'executed'
              ? `✔ ${outcome.result.summary}`
              : outcome.status === 'pending_approval'
                ? `Sent for approval: ${outcome.approval.id}`
                : `Break-glass: ${outcome.requestId}`}
          </Text>
          {outcome.status === 'executed' && outcome.result.job ? (
            <Text wrap="truncate">{`Following ${outcome.result.job.kind} ${outcome.result.job.id} in the background (J: jobs).`}</Text>
          ) : null}
          <Text dimColor>enter or esc: back to the list · J: jobs</Text>
        </Box>
      );
    }
    case 'failed':
      return (
        <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1} width={width}>
          <Text color="red">{`✖ ${phase.error.text}`}</Text>
          <Text dimColor>{phase.canGoBack ? 'b: back to the form · esc: close' : 'esc: close'}</Text>
        </Box>
      );
  }
}
