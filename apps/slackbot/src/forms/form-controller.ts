import {
  deploymentKindFromError,
  loadRestorableWindow,
  outsideWindow,
  parseLabelText,
  readDateTime,
  windowAt,
  type AtlasClient,
  type ActionName,
  type Actor,
  type FlexSnapshot,
  type RestorableWindow,
  type Snapshot,
} from '@atlas-backups/core';
import type { Logger, webApi } from '@slack/bolt';
import type { ProjectDirectory } from '../projects/directory.js';
import { slackActor } from '../slack/invocation.js';
import type { ChannelDefaults } from '../state/channel-defaults.js';
import type { OpenForm, OpenForms } from '../state/forms.js';
import {
  blockIds,
  formGoneView,
  renderForm,
  selectionFromState,
  formCallbackIds,
  type FormData,
  type FormKind,
  type FormMetadata,
  type FormSelection,
  type StateValues,
} from './backup-form.js';

export interface FormControllerDeps {
  atlas: AtlasClient;
  projects: ProjectDirectory;
  defaults: ChannelDefaults;
  /** Where each form was opened from, for its picks and its submission. */
  forms: OpenForms;
  fallbackProjectId: string | undefined;
  logger: Logger;
  now?: () => number;
}

/** A change the form asks for, ready for the action flow. */
export interface FormDraft {
  action: ActionName;
  params: Record<string, unknown>;
  reason?: string | undefined;
}

export type FormSubmission =
  | { ok: true; form: OpenForm; draft: FormDraft }
  | { ok: false; errors: Record<string, string> }
  /** The bot has no record of this form: show `view` in its place. */
  | { ok: false; gone: ModalView };

type ModalView = ReturnType<typeof formGoneView>;

interface ViewLike {
  id: string;
  callback_id?: string | undefined;
  state: { values: StateValues };
}

/**
 * The restore and export forms: opened at once (so the trigger never expires while Atlas is
 * asked), then filled in from Atlas as the person picks a project, a cluster and a snapshot.
 */
export class FormController {
  /** The newest refresh per view; an older one finishing late must not overwrite it. */
  private readonly generation = new Map<string, number>();
  /** The restorable window last shown in each form, to refuse a moment outside it on submit. */
  private readonly windows = new Map<string, RestorableWindow>();
  private readonly now: () => number;

  constructor(private readonly deps: FormControllerDeps) {
    this.now = deps.now ?? Date.now;
  }

  async open(
    client: webApi.WebClient,
    kind: FormKind,
    triggerId: string,
    context: { actor: Actor; channelId: string; responseUrl?: string | undefined },
  ): Promise<void> {
    const meta: FormMetadata = { kind };
    const selection: FormSelection = {
      delivery: 'automated',
      projectId: (await this.deps.defaults.get(context.channelId))?.projectId ?? this.deps.fallbackProjectId,
    };
    const opened = await client.views.open({ trigger_id: triggerId, view: renderForm(meta, selection, {}) });
    const viewId = opened.view?.id;
    if (!viewId) return;
    await this.deps.forms.add({
      viewId,
      userId: context.actor.id,
      channelId: context.channelId,
      kind,
      responseUrl: context.responseUrl,
    });
    await this.refresh(client, viewId, meta, selection, context.actor);
  }

  /** A select changed: reload what depends on it, for the person where the form was opened. */
  async changed(
    client: webApi.WebClient,
    view: ViewLike,
    user: { id: string; name?: string | undefined },
  ): Promise<void> {
    const form = await this.deps.forms.get(view.id, user.id);
    if (!form) {
      await client.views
        .update({ view_id: view.id, view: formGoneView(kindOf(view)) })
        .catch((error: unknown) =>
          this.deps.logger.debug(`views.update of ${view.id} failed: ${String(error)}`),
        );
      return;
    }
    const actor = slackActor(user.id, user.name, form.channelId);
    const selection = selectionFromState(view.state.values);
    await this.refresh(client, view.id, { kind: form.kind }, selection, actor);
  }

  private async refresh(
    client: webApi.WebClient,
    viewId: string,
    meta: FormMetadata,
    selection: FormSelection,
    actor: Actor,
  ): Promise<void> {
    const generation = (this.generation.get(viewId) ?? 0) + 1;
    this.generation.set(viewId, generation);
    const { data, readable } = await this.load(meta, selection, actor);
    if (this.generation.get(viewId) !== generation) return;
    if (data.window) this.windows.set(viewId, data.window);
    try {
      await client.views.update({ view_id: viewId, view: renderForm(meta, readable, data) });
    } catch (error) {
      // The person may have closed the form meanwhile.
      this.deps.logger.debug(`views.update of ${viewId} failed: ${String(error)}`);
    }
    if (this.generation.size > 1000) this.generation.clear();
    if (this.windows.size > 1000) this.windows.clear();
  }

  /**
   * Loads the lists for the selection, after taking out of it any project the person may not
   * read (a channel default, a fallback, or an id sent in a crafted pick): only what they may
   * read is ever listed. `readable` is the selection the form shows.
   */
  private async load(
    meta: FormMetadata,
    picked: FormSelection,
    actor: Actor,
  ): Promise<{ data: FormData; readable: FormSelection }> {
    const { atlas, projects } = this.deps;
    const problems: string[] = [];
    const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await fn();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const hint = error && typeof error === 'object' && 'hint' in error ? ` ${String(error.hint)}` : '';
        problems.push(`Could not load ${what}: ${message}.${hint}`);
        return undefined;
      }
    };
    const projectList = await attempt('projects', () => projects.visible(actor));
    let s = readableSelection(picked, new Set(projectList?.map((p) => p.id)));
    const targetProjectId = s.targetProjectId ?? s.projectId;
    const [clusters, sourceSnapshots, targetClusters, buckets] = await Promise.all([
      s.projectId ? attempt('clusters', () => atlas.listAllClusters(s.projectId as string)) : undefined,
      s.projectId && s.cluster
        ? attempt('snapshots', () => this.snapshots(s.projectId as string, s.cluster as string))
        : undefined,
      meta.kind === 'restore' && s.delivery === 'automated' && targetProjectId
        ? targetProjectId === s.projectId
          ? undefined
          : attempt('target clusters', () => atlas.listAllClusters(targetProjectId))
        : undefined,
      meta.kind === 'export' && s.projectId
        ? attempt(
            'export buckets',
            async () => (await atlas.listExportBuckets(s.projectId as string, { itemsPerPage: 100 })).results,
          )
        : undefined,
    ]);
    const snapshots = sourceSnapshots?.dedicated;
    const flexSnapshots = sourceSnapshots?.flex;
    // A Flex cluster has no point in time: its form offers a snapshot or a download.
    if (flexSnapshots)
      s = { ...s, delivery: s.delivery === 'pointInTime' ? 'automated' : s.delivery, scope: undefined };
    const onCluster = meta.kind === 'restore' && s.delivery !== 'download';
    const sameTarget = onCluster && targetProjectId === s.projectId;
    const pit = onCluster && s.delivery === 'pointInTime' && s.projectId && s.cluster;
    const [window, namespaces] = await Promise.all([
      pit
        ? attempt('the restorable window', () =>
            loadRestorableWindow(atlas, s.projectId as string, s.cluster as string, { now: this.now() }),
          )
        : undefined,
      onCluster && (s.scope === 'collections' || s.scope === 'databases') && s.projectId && s.cluster
        ? attempt('the snapshot’s namespaces', () => this.namespaces(s, snapshots))
        : undefined,
    ]);
    return {
      readable: s,
      data: {
        projects: projectList,
        clusters,
        snapshots,
        flexSnapshots,
        targetClusters: sameTarget ? clusters : targetClusters,
        buckets,
        namespaces,
        window,
        momentProblem: window ? momentProblem(s.pointInTime, window, this.now()) : undefined,
        problem: problems.length > 0 ? problems.join(' ') : undefined,
      },
    };
  }

  /**
   * The source's snapshots: a dedicated cluster's, or when Atlas says the name is a Flex cluster,
   * its Flex snapshots.
   */
  private async snapshots(
    projectId: string,
    cluster: string,
  ): Promise<{ dedicated?: Snapshot[]; flex?: FlexSnapshot[] }> {
    const { atlas } = this.deps;
    try {
      return { dedicated: (await atlas.listSnapshots(projectId, cluster, { itemsPerPage: 100 })).results };
    } catch (error) {
      if (deploymentKindFromError(error) !== 'flex') throw error;
      return { flex: (await atlas.listFlexSnapshots(projectId, cluster, { itemsPerPage: 100 })).results };
    }
  }

  /** What the chosen snapshot holds (for a point in time, the newest completed one). */
  private async namespaces(
    s: FormSelection,
    snapshots: Snapshot[] | undefined,
  ): Promise<string[] | undefined> {
    const id =
      s.delivery === 'pointInTime' ? snapshots?.find((x) => x.status === 'completed')?.id : s.snapshotId;
    if (!id) return s.delivery === 'pointInTime' ? [] : undefined;
    const holds = await this.deps.atlas.listSnapshotNamespaces(
      s.projectId as string,
      s.cluster as string,
      id,
    );
    return s.scope === 'databases'
      ? holds.map((d) => d.database)
      : holds.flatMap((d) => d.collections.map((c) => `${d.database}.${c}`));
  }

  /**
   * Checks a submitted form; what is missing is named next to its field. The form's origin
   * (channel, where to answer) is the one recorded when the bot opened it for this person.
   */
  async submission(view: ViewLike, userId: string): Promise<FormSubmission> {
    const form = await this.deps.forms.get(view.id, userId);
    if (!form) return { ok: false, gone: formGoneView(kindOf(view)) };
    const meta: FormMetadata = { kind: form.kind };
    const s = selectionFromState(view.state.values);
    const errors: Record<string, string> = {};
    const pit = meta.kind === 'restore' && s.delivery === 'pointInTime';
    let seconds: number | undefined;
    if (!s.projectId) errors[blockIds.project] = 'Choose a project.';
    else if (!s.cluster) errors[blockIds.cluster(s)] = 'Choose the source cluster.';
    else if (!pit && !s.snapshotId) errors[blockIds.snapshot(s)] = 'Choose a snapshot.';
    else if (pit) {
      const read = readDateTime((s.pointInTime ?? '').trim(), { zone: 'utc' });
      const window = this.windows.get(view.id);
      if (!s.pointInTime?.trim()) errors[blockIds.pointInTime] = 'Type the moment to restore to (UTC).';
      else if (!read.ok) errors[blockIds.pointInTime] = `That is ${read.problem}.`;
      else {
        seconds = read.epochSeconds;
        const problem = window ? momentProblem(s.pointInTime, window, this.now()) : undefined;
        if (problem) errors[blockIds.pointInTime] = problem;
      }
    }
    if (meta.kind === 'restore' && s.delivery !== 'download' && !s.targetCluster && s.projectId)
      errors[blockIds.targetCluster(s)] = 'Choose the cluster to restore onto.';
    const namespaced =
      meta.kind === 'restore' && s.delivery !== 'download' && s.scope !== undefined && s.scope !== 'cluster';
    if (namespaced && s.projectId && s.cluster && (s.namespaces ?? []).length === 0)
      errors[blockIds.namespaces(s)] = `Choose the ${s.scope} to restore.`;
    if (meta.kind === 'export' && s.projectId && !s.bucketId)
      errors[blockIds.bucket(s)] = 'Choose an export bucket.';
    const labels = parseLabelText(s.customData ?? '', '\n');
    if ('error' in labels) errors[blockIds.customData] = `${labels.error}.`;
    const customData = 'labels' in labels ? labels.labels : [];
    if (Object.keys(errors).length > 0) return { ok: false, errors };

    const base = { groupId: s.projectId, clusterName: s.cluster, snapshotId: s.snapshotId };
    const reason = s.reason?.trim() ? { reason: s.reason.trim() } : {};
    if (meta.kind === 'export')
      return {
        ok: true,
        form,
        draft: {
          action: 'export.create',
          params: { ...base, exportBucketId: s.bucketId, ...(customData.length > 0 ? { customData } : {}) },
          ...reason,
        },
      };
    if (s.delivery === 'download')
      return { ok: true, form, draft: { action: 'restore.download', params: base, ...reason } };
    const target = { targetGroupId: s.targetProjectId ?? s.projectId, targetClusterName: s.targetCluster };
    if (namespaced) {
      const scope = s.scope === 'databases' ? 'databases' : 'collections';
      const suffix = s.suffix?.trim();
      return {
        ok: true,
        form,
        draft: {
          ...reason,
          action:
            s.writeStrategy === 'OVERWRITE_EXISTING'
              ? 'restore.collections.overwrite'
              : 'restore.collections.createNew',
          params: {
            groupId: s.projectId,
            clusterName: s.cluster,
            ...target,
            indexStrategy: s.indexStrategy ?? 'ALL',
            [scope]: (s.namespaces ?? []).map((sourceNamespace) => ({ sourceNamespace })),
            ...(suffix ? { [scope === 'collections' ? 'collectionSuffix' : 'databaseSuffix']: suffix } : {}),
            ...(pit ? { pointInTimeUtcSeconds: seconds } : { snapshotId: s.snapshotId }),
          },
        },
      };
    }
    if (pit)
      return {
        ok: true,
        form,
        draft: {
          ...reason,
          action: 'restore.pointInTime',
          params: { groupId: s.projectId, clusterName: s.cluster, ...target, pointInTimeUTCSeconds: seconds },
        },
      };
    return {
      ok: true,
      form,
      draft: {
        ...reason,
        action: 'restore.automated',
        params: {
          ...base,
          targetGroupId: s.targetProjectId ?? s.projectId,
          targetClusterName: s.targetCluster,
        },
      },
    };
  }
}

/** Why a typed moment can't be restored to, by the window read again now; undefined when it can (or does not read yet). */
function momentProblem(
  typed: string | undefined,
  window: RestorableWindow,
  now = Date.now(),
): string | undefined {
  const read = readDateTime((typed ?? '').trim(), { zone: 'utc' });
  if (!read.ok) return undefined;
  return outsideWindow(windowAt(window, now), read.epochSeconds * 1000);
}

/** The selection without projects the person may not read, and without what was picked under them. */
function readableSelection(s: FormSelection, readable: ReadonlySet<string>): FormSelection {
  const projectId = s.projectId !== undefined && readable.has(s.projectId) ? s.projectId : undefined;
  const targetProjectId =
    s.targetProjectId !== undefined && readable.has(s.targetProjectId) ? s.targetProjectId : undefined;
  const out: FormSelection = { ...s, projectId, targetProjectId };
  if (projectId !== s.projectId) {
    out.cluster = undefined;
    out.snapshotId = undefined;
    out.bucketId = undefined;
  }
  if ((targetProjectId ?? projectId) !== (s.targetProjectId ?? s.projectId)) out.targetCluster = undefined;
  return out;
}

function kindOf(view: ViewLike): FormKind {
  return view.callback_id === formCallbackIds.export ? 'export' : 'restore';
}
