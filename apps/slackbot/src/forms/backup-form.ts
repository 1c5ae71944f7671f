import type { types } from '@slack/bolt';
import {
  actionForKind,
  deploymentRefusal,
  describeWindow,
  isDedicated,
  type ActionName,
  type ClusterSummary,
  type ExportBucket,
  type FlexSnapshot,
  type Project,
  type RestorableWindow,
  type Snapshot,
} from '@atlas-backups/core';
import { slackLimits, truncate } from '../blocks/limits.js';
import { formatBytes, formatTime } from '../blocks/format.js';
import { mrkdwnObject, plain, type Block } from '../blocks/message.js';
import { code, mrkdwn, type Mrkdwn } from '../blocks/slack-text.js';

export type FormKind = 'restore' | 'export';

export const formCallbackIds: Record<FormKind, string> = {
  restore: 'atlas_restore_form',
  export: 'atlas_export_form',
};

/** Selects that reload the form when they change. */
export const formActionIds = {
  project: 'form_project',
  cluster: 'form_cluster',
  snapshot: 'form_snapshot',
  delivery: 'form_delivery',
  targetProject: 'form_target_project',
  targetCluster: 'form_target_cluster',
  bucket: 'form_bucket',
  customData: 'form_custom_data',
  reason: 'form_reason',
  pointInTime: 'form_point_in_time',
  scope: 'form_scope',
  namespaces: 'form_namespaces',
  writeStrategy: 'form_write_strategy',
  indexStrategy: 'form_index_strategy',
  suffix: 'form_suffix',
} as const;

export type Delivery = 'automated' | 'pointInTime' | 'download';
export type RestoreScope = 'cluster' | 'collections' | 'databases';

/** What the person has picked so far. */
export interface FormSelection {
  projectId?: string | undefined;
  cluster?: string | undefined;
  snapshotId?: string | undefined;
  delivery: Delivery;
  /** A point in time as typed (UTC). */
  pointInTime?: string | undefined;
  /** The whole cluster, or chosen collections or databases. */
  scope?: RestoreScope | undefined;
  namespaces?: string[] | undefined;
  writeStrategy?: 'CREATE_NEW' | 'OVERWRITE_EXISTING' | undefined;
  indexStrategy?: 'ALL' | 'NONE' | 'ALL_EXCEPT_TTL' | undefined;
  suffix?: string | undefined;
  targetProjectId?: string | undefined;
  targetCluster?: string | undefined;
  bucketId?: string | undefined;
  customData?: string | undefined;
  /** Why, shown to approvers when policy asks for approval. */
  reason?: string | undefined;
}

/** What was loaded from Atlas for the current selection; absent lists are still loading. */
export interface FormData {
  projects?: Project[] | undefined;
  clusters?: ClusterSummary[] | undefined;
  snapshots?: Snapshot[] | undefined;
  /** A Flex source's snapshots, in place of `snapshots`: it restores whole, or downloads. */
  flexSnapshots?: FlexSnapshot[] | undefined;
  targetClusters?: ClusterSummary[] | undefined;
  buckets?: ExportBucket[] | undefined;
  /** What the chosen snapshot holds: `db.collection` names, or database names. */
  namespaces?: string[] | undefined;
  /** The source cluster's restorable window, for a point in time. */
  window?: RestorableWindow | undefined;
  /** Why the typed point in time can't be restored to, shown under it as it is typed. */
  momentProblem?: string | undefined;
  /** Trouble loading a list, shown in the form. */
  problem?: string | undefined;
}

/**
 * What the form's private_metadata carries. Where it was opened from (a policy input) is kept by
 * the bot (OpenForms), never read back from here.
 */
export interface FormMetadata {
  kind: FormKind;
}

type Option = types.PlainTextOption;

const option = (value: string, text: string): Option => ({
  text: plain(text, slackLimits.optionText),
  value: truncate(value, slackLimits.optionValue),
});

// Dependent blocks carry their parents in the block id: a new parent gives a fresh, empty select.
export const blockIds = {
  project: 'form_project',
  cluster: (s: FormSelection) => `form_cluster@${s.projectId ?? ''}`,
  snapshot: (s: FormSelection) => `form_snapshot@${s.projectId ?? ''}/${s.cluster ?? ''}`,
  delivery: 'form_delivery',
  targetProject: 'form_target_project',
  targetCluster: (s: FormSelection) => `form_target_cluster@${s.targetProjectId ?? s.projectId ?? ''}`,
  bucket: (s: FormSelection) => `form_bucket@${s.projectId ?? ''}`,
  customData: 'form_custom_data',
  reason: 'form_reason',
  pointInTime: 'form_point_in_time',
  scope: 'form_scope',
  namespaces: (s: FormSelection) =>
    `form_namespaces@${s.projectId ?? ''}/${s.cluster ?? ''}/${s.delivery === 'pointInTime' ? 'pit' : (s.snapshotId ?? '')}/${s.scope ?? ''}`,
  writeStrategy: 'form_write_strategy',
  indexStrategy: 'form_index_strategy',
  suffix: 'form_suffix',
};

const byNamespace = (s: FormSelection) =>
  s.delivery !== 'download' && (s.scope === 'collections' || s.scope === 'databases');

function radios(
  blockId: string,
  actionId: string,
  label: string,
  choices: [string, string][],
  selected: string | undefined,
  dispatch = false,
): Block {
  const element: types.RadioButtons = {
    type: 'radio_buttons',
    action_id: actionId,
    options: choices.map(([value, text]) => ({ text: plain(text), value })),
  };
  const initial = element.options.find((o) => o.value === selected);
  if (initial) element.initial_option = initial;
  return { type: 'input', block_id: blockId, label: plain(label), element, dispatch_action: dispatch };
}

function textInput(
  blockId: string,
  actionId: string,
  label: string,
  value: string | undefined,
  extra: {
    hint?: string;
    placeholder?: string;
    dispatch?: boolean;
    optional?: boolean;
    maxLength?: number;
  } = {},
): Block {
  return {
    type: 'input',
    block_id: blockId,
    optional: extra.optional ?? false,
    label: plain(label),
    ...(extra.hint ? { hint: plain(extra.hint, 2000) } : {}),
    dispatch_action: extra.dispatch ?? false,
    element: {
      type: 'plain_text_input',
      action_id: actionId,
      ...(extra.maxLength ? { max_length: extra.maxLength } : {}),
      ...(extra.placeholder ? { placeholder: plain(extra.placeholder, 150) } : {}),
      ...(extra.dispatch
        ? { dispatch_action_config: { trigger_actions_on: ['on_enter_pressed', 'on_character_entered'] } }
        : {}),
      ...(value ? { initial_value: value } : {}),
    },
  };
}

/** What to restore (the whole cluster or chosen namespaces), and how, for a restore onto a cluster. */
function scopeBlocks(selection: FormSelection, data: FormData): Block[] {
  const blocks: Block[] = [
    radios(
      blockIds.scope,
      formActionIds.scope,
      'What to restore',
      [
        ['cluster', 'The whole cluster (replaces all of its data)'],
        ['databases', 'Chosen databases'],
        ['collections', 'Chosen collections'],
      ],
      selection.scope ?? 'cluster',
      true,
    ),
  ];
  if (!byNamespace(selection)) return blocks;
  const what = selection.scope === 'databases' ? 'databases' : 'collections';
  if (selection.delivery !== 'pointInTime' && !selection.snapshotId)
    blocks.push(note(mrkdwn`Choose a snapshot to see its ${what}.`));
  else if (!data.namespaces)
    blocks.push(note(mrkdwn`:hourglass_flowing_sand: Loading the snapshot's ${what}…`));
  else if (data.namespaces.length === 0) blocks.push(note(mrkdwn`The snapshot holds no ${what}.`));
  else {
    const options = data.namespaces.slice(0, slackLimits.optionsPerSelect).map((n) => option(n, n));
    const initial = options.filter((o) => o.value !== undefined && selection.namespaces?.includes(o.value));
    const hidden = data.namespaces.length - options.length;
    blocks.push({
      type: 'input',
      block_id: blockIds.namespaces(selection),
      label: plain(what === 'databases' ? 'Databases' : 'Collections'),
      hint: plain(
        `${selection.delivery === 'pointInTime' ? 'As the newest snapshot holds them; the moment itself is checked before you confirm. ' : ''}Type to filter.${hidden > 0 ? ` Showing the first ${options.length} of ${data.namespaces.length}.` : ''}`,
        2000,
      ),
      element: {
        type: 'multi_static_select',
        action_id: formActionIds.namespaces,
        placeholder: plain(`Choose ${what}`, 150),
        options,
        max_selected_items: 100,
        ...(initial.length > 0 ? { initial_options: initial } : {}),
      },
    });
  }
  blocks.push(
    radios(
      blockIds.writeStrategy,
      formActionIds.writeStrategy,
      'Write',
      [
        ['CREATE_NEW', 'As new collections (existing data is never touched)'],
        ['OVERWRITE_EXISTING', 'Over the existing ones (drops and replaces them)'],
      ],
      selection.writeStrategy ?? 'CREATE_NEW',
    ),
    select(
      blockIds.indexStrategy,
      formActionIds.indexStrategy,
      'Indexes',
      [
        option('ALL', 'All indexes'),
        option('ALL_EXCEPT_TTL', 'All but TTL indexes'),
        option('NONE', 'No indexes'),
      ],
      selection.indexStrategy ?? 'ALL',
    ),
    textInput(blockIds.suffix, formActionIds.suffix, 'Name suffix', selection.suffix, {
      optional: true,
      placeholder: '_restored',
      hint: `Added to each restored ${what === 'databases' ? 'database' : 'collection'} name (1 to 32 letters, digits, _ or -).`,
      maxLength: 32,
    }),
  );
  return blocks;
}

function select(
  blockId: string,
  actionId: string,
  label: string,
  options: Option[],
  selected: string | undefined,
  extra: { dispatch?: boolean; optional?: boolean; placeholder?: string; hint?: string } = {},
): Block {
  const shown = options.slice(0, slackLimits.optionsPerSelect);
  const initial = shown.find((o) => o.value === selected);
  const element: types.StaticSelect = {
    type: 'static_select',
    action_id: actionId,
    placeholder: plain(extra.placeholder ?? `Choose ${label.toLowerCase()}`, 150),
    options: shown,
    ...(initial ? { initial_option: initial } : {}),
  };
  const hidden = options.length - shown.length;
  const hint = [
    extra.hint,
    hidden > 0 ? `Showing the first ${shown.length} of ${options.length}.` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, 2000),
    element,
    dispatch_action: extra.dispatch ?? false,
    optional: extra.optional ?? false,
    ...(hint ? { hint: plain(hint, 2000) } : {}),
  };
}

const note = (text: Mrkdwn): Block => ({ type: 'context', elements: [mrkdwnObject(text)] });

/** The action whose deployments a form offers; the three restores apply to the same ones. */
const formAction: Record<FormKind, ActionName> = { restore: 'restore.automated', export: 'export.create' };

/** Source clusters the form's action (or its Flex counterpart, core decides) applies to. */
function clusterOptions(clusters: ClusterSummary[], kind: FormKind): Option[] {
  return clusters
    .filter((c) => deploymentRefusal(actionForKind(formAction[kind], c.kind), c) === undefined)
    .map(clusterOption);
}

const clusterOption = (c: ClusterSummary) =>
  option(c.name, `${c.name} (${c.kind}${c.state ? `, ${c.state}` : ''})`);

/** Clusters a restore may write to: dedicated ones, and Flex ones too when the source is Flex. */
function targetOptions(clusters: ClusterSummary[], flexSource: boolean): Option[] {
  return clusters.filter((c) => isDedicated(c.kind) || (flexSource && c.kind === 'flex')).map(clusterOption);
}

function flexSnapshotLabel(s: FlexSnapshot): string {
  return `${formatTime(s.finishTime ?? s.startTime ?? s.scheduledTime)} · Flex · ${s.id.slice(-6)}`;
}

function snapshotLabel(s: Snapshot): string {
  const type = s.snapshotType === 'scheduled' ? (s.frequencyType ?? 'scheduled') : (s.snapshotType ?? '');
  return `${formatTime(s.createdAt)} · ${type} · ${formatBytes(s.storageSizeBytes)} · ${s.id.slice(-6)}`;
}

/** The restore or export form for the current selection and what has been loaded for it. */
export function renderForm(meta: FormMetadata, selection: FormSelection, data: FormData): types.ModalView {
  const blocks: Block[] = [];
  const loading = (what: string) => note(mrkdwn`:hourglass_flowing_sand: Loading ${what} from Atlas…`);

  if (!data.projects) blocks.push(loading('projects'));
  else if (data.projects.length === 0) blocks.push(note(mrkdwn`No project is visible to the bot.`));
  else
    blocks.push(
      select(
        blockIds.project,
        formActionIds.project,
        'Project',
        data.projects.map((p) => option(p.id, p.name)),
        selection.projectId,
        { dispatch: true },
      ),
    );

  if (selection.projectId) {
    if (!data.clusters) blocks.push(loading('clusters'));
    else {
      const options = clusterOptions(data.clusters, meta.kind);
      if (options.length === 0)
        blocks.push(note(mrkdwn`This project has no dedicated clusters with cloud backups.`));
      else
        blocks.push(
          select(
            blockIds.cluster(selection),
            formActionIds.cluster,
            'Source cluster',
            options,
            selection.cluster,
            {
              dispatch: true,
            },
          ),
        );
    }
  }

  const flexSource = data.flexSnapshots !== undefined;
  if (selection.projectId && selection.cluster) {
    // A Flex cluster's snapshots, or (except for a point in time) a dedicated cluster's.
    let picker: { completed: Option[]; extra: { hint: string; dispatch?: boolean } } | undefined;
    if (data.flexSnapshots !== undefined)
      picker = {
        completed: data.flexSnapshots
          .filter((s) => s.status === 'COMPLETED')
          .map((s) => option(s.id, flexSnapshotLabel(s))),
        extra: {
          hint: `${selection.cluster} is a Flex cluster: its snapshot restores whole, or downloads. Times in UTC.`,
        },
      };
    else if (selection.delivery !== 'pointInTime') {
      if (!data.snapshots) blocks.push(loading('snapshots'));
      else
        picker = {
          completed: data.snapshots
            .filter((s) => s.status === 'completed')
            .map((s) => option(s.id, snapshotLabel(s))),
          extra: { hint: 'Newest first; times in UTC.', dispatch: meta.kind === 'restore' },
        };
    }
    if (picker?.completed.length === 0)
      blocks.push(note(mrkdwn`${selection.cluster} has no completed snapshot.`));
    else if (picker)
      blocks.push(
        select(
          blockIds.snapshot(selection),
          formActionIds.snapshot,
          'Snapshot',
          picker.completed,
          selection.snapshotId,
          picker.extra,
        ),
      );
  }

  if (meta.kind === 'restore' && selection.projectId) {
    blocks.push(
      radios(
        blockIds.delivery,
        formActionIds.delivery,
        'What to do',
        flexSource
          ? [
              ['automated', 'Restore the snapshot onto a cluster'],
              ['download', 'A download link (nothing is overwritten)'],
            ]
          : [
              ['automated', 'Restore a snapshot onto a cluster'],
              ['pointInTime', 'Restore a point in time onto a cluster'],
              ['download', 'Download links (nothing is overwritten)'],
            ],
        selection.delivery,
        true,
      ),
    );
    if (selection.delivery === 'pointInTime' && selection.cluster) {
      const window = data.window ? `${selection.cluster} is ${describeWindow(data.window)}.` : undefined;
      blocks.push(
        textInput(
          blockIds.pointInTime,
          formActionIds.pointInTime,
          'Point in time (UTC)',
          selection.pointInTime,
          {
            placeholder: 'YYYY-MM-DD HH:MM[:SS]',
            hint: window ?? 'Loading the restorable window…',
            dispatch: true,
          },
        ),
      );
      if (data.momentProblem) blocks.push(note(mrkdwn`:no_entry: ${data.momentProblem}`));
    }
    if (selection.delivery !== 'download' && data.projects) {
      blocks.push(
        select(
          blockIds.targetProject,
          formActionIds.targetProject,
          'Target project',
          data.projects.map((p) => option(p.id, p.name)),
          selection.targetProjectId ?? selection.projectId,
          { dispatch: true, hint: 'The project of the cluster to restore onto.' },
        ),
      );
      if (!data.targetClusters) blocks.push(loading('target clusters'));
      else {
        const options = targetOptions(data.targetClusters, flexSource);
        if (options.length === 0)
          blocks.push(note(mrkdwn`The target project has no cluster to restore onto.`));
        else
          blocks.push(
            select(
              blockIds.targetCluster(selection),
              formActionIds.targetCluster,
              byNamespace(selection) ? 'Target cluster' : 'Target cluster (its data will be replaced)',
              options,
              selection.targetCluster,
            ),
          );
      }
      if (!flexSource) blocks.push(...scopeBlocks(selection, data));
    }
  }

  if (meta.kind === 'export' && selection.projectId) {
    if (!data.buckets) blocks.push(loading('export buckets'));
    else if (data.buckets.length === 0) blocks.push(note(mrkdwn`This project has no export bucket.`));
    else
      blocks.push(
        select(
          blockIds.bucket(selection),
          formActionIds.bucket,
          'Export bucket',
          data.buckets.map((b) => option(b._id, `${b.bucketName} (${b.cloudProvider})`)),
          selection.bucketId,
        ),
      );
    blocks.push({
      type: 'input',
      block_id: blockIds.customData,
      optional: true,
      label: plain('Custom data'),
      hint: plain('One key=value per line, kept with the export (e.g. ticket=INC-42).'),
      element: {
        type: 'plain_text_input',
        action_id: formActionIds.customData,
        multiline: true,
        ...(selection.customData ? { initial_value: selection.customData } : {}),
      },
    });
  }

  if (selection.projectId)
    blocks.push({
      type: 'input',
      block_id: blockIds.reason,
      optional: true,
      label: plain('Reason'),
      hint: plain('Why, for the people who approve it (when the policy asks for approval).'),
      element: {
        type: 'plain_text_input',
        action_id: formActionIds.reason,
        max_length: 500,
        ...(selection.reason ? { initial_value: selection.reason } : {}),
      },
    });

  if (data.problem) blocks.push(note(mrkdwn`:warning: ${data.problem}`));
  blocks.push(note(mrkdwn`You will see what will happen, and confirm it, before anything changes.`));

  return {
    type: 'modal',
    callback_id: formCallbackIds[meta.kind],
    title: plain(meta.kind === 'restore' ? 'Restore a snapshot' : 'Export a snapshot', slackLimits.viewTitle),
    submit: plain('Review', slackLimits.viewTitle),
    close: plain('Cancel', slackLimits.viewTitle),
    private_metadata: JSON.stringify(meta),
    blocks: blocks.slice(0, slackLimits.blocksPerView),
  };
}

/** Shown in place of a form the bot has no record of (e.g. its database was replaced). */
export function formGoneView(kind: FormKind): types.ModalView {
  return {
    type: 'modal',
    title: plain(kind === 'restore' ? 'Restore a snapshot' : 'Export a snapshot', slackLimits.viewTitle),
    close: plain('Close', slackLimits.viewTitle),
    blocks: [
      {
        type: 'section',
        text: mrkdwnObject(
          mrkdwn`:warning: This form is no longer known to the bot (it may have been restarted with a new database). Nothing was done. Close it and run ${code(`/atlas ${kind}`)} again.`,
        ),
      },
    ],
  };
}

type StateValues = Record<
  string,
  Record<
    string,
    {
      selected_option?: { value?: string } | null;
      selected_options?: { value?: string }[] | null;
      value?: string | null;
    }
  >
>;

function valueOf(values: StateValues, blockPrefix: string, actionId: string): string | undefined {
  for (const [blockId, actions] of Object.entries(values)) {
    if (blockId !== blockPrefix && !blockId.startsWith(`${blockPrefix}@`)) continue;
    const v = actions[actionId];
    const picked = v?.selected_option?.value ?? v?.value ?? undefined;
    if (picked !== undefined && picked !== null && picked !== '') return picked;
  }
  return undefined;
}

/**
 * The selection as the form's state shows it. A block whose parent changed has a new id, so
 * stale picks (a cluster of the previous project) are not carried over.
 */
export function selectionFromState(values: StateValues, current: Partial<FormSelection> = {}): FormSelection {
  const projectId = valueOf(values, 'form_project', formActionIds.project);
  const selection: FormSelection = {
    projectId,
    delivery:
      (valueOf(values, 'form_delivery', formActionIds.delivery) as Delivery | undefined) ?? 'automated',
    pointInTime: valueOf(values, 'form_point_in_time', formActionIds.pointInTime),
    scope: valueOf(values, 'form_scope', formActionIds.scope) as RestoreScope | undefined,
    writeStrategy: valueOf(values, 'form_write_strategy', formActionIds.writeStrategy) as
      FormSelection['writeStrategy'] | undefined,
    indexStrategy: valueOf(values, 'form_index_strategy', formActionIds.indexStrategy) as
      FormSelection['indexStrategy'] | undefined,
    suffix: valueOf(values, 'form_suffix', formActionIds.suffix),
    targetProjectId: valueOf(values, 'form_target_project', formActionIds.targetProject),
    customData: valueOf(values, 'form_custom_data', formActionIds.customData),
    reason: valueOf(values, 'form_reason', formActionIds.reason),
    ...current,
  };
  const cluster = valueOf(values, blockIds.cluster(selection), formActionIds.cluster);
  selection.cluster = cluster;
  const snapshotBlock = blockIds.snapshot(selection);
  selection.snapshotId = values[snapshotBlock]?.[formActionIds.snapshot]?.selected_option?.value ?? undefined;
  const targetBlock = blockIds.targetCluster(selection);
  selection.targetCluster =
    values[targetBlock]?.[formActionIds.targetCluster]?.selected_option?.value ?? undefined;
  const bucketBlock = blockIds.bucket(selection);
  selection.bucketId = values[bucketBlock]?.[formActionIds.bucket]?.selected_option?.value ?? undefined;
  const picked = values[blockIds.namespaces(selection)]?.[formActionIds.namespaces]?.selected_options;
  selection.namespaces = (picked ?? []).flatMap((o) => (o.value ? [o.value] : []));
  return selection;
}

export type { StateValues };
