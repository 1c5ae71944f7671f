import { z } from 'zod';
import { reconcileSkewMs } from '../../client/atlas-api.js';
import { InputValidationError, NamespaceNotInSnapshotError, type FieldIssue } from '../../errors.js';
import {
  checkCollectionRestore,
  collectionRestoreFields,
  splitNamespace,
  suffixedTarget,
  type CollectionRestoreRequest,
  type WriteStrategy,
} from '../../schemas/collection-restores.js';
import type { Snapshot } from '../../schemas/snapshots.js';
import { checkRestorableMoment, describeWindow } from '../../window/restorable-window.js';
import { dedicatedKinds } from '../deployment-kinds.js';
import { where } from '../params.js';
import { fmt } from '../preview-text.js';
import type { ActionContext, ActionDefinition, LookupContext } from '../types.js';

const params = z.strictObject({ ...where, ...collectionRestoreFields }).superRefine(checkCollectionRestore);
type Params = z.output<typeof params>;

/** Namespaces by database, as a snapshot holds them. */
type Holdings = { database: string; collections: string[] }[];

const indexWords = { ALL: 'all indexes', NONE: 'no indexes', ALL_EXCEPT_TTL: 'all indexes but TTL ones' };
/** How many namespaces a preview lists one per line before summing up the rest. */
const listedNamespaces = 25;

const moment = (p: Params): { field: string; seconds: number } | undefined =>
  p.pointInTimeUtcSeconds !== undefined
    ? { field: 'pointInTimeUtcSeconds', seconds: p.pointInTimeUtcSeconds }
    : p.oplogTs !== undefined
      ? { field: 'oplogTs', seconds: p.oplogTs }
      : undefined;

const allNamespaces = (holds: Holdings) =>
  holds.flatMap((d) => d.collections.map((c) => `${d.database}.${c}`));

function request(p: Params, writeStrategy: WriteStrategy): CollectionRestoreRequest {
  const { groupId: _g, clusterName: _c, ...rest } = p;
  return { ...rest, writeStrategy };
}

async function namespacesOf(ctx: ActionContext, p: Params, snapshot: Snapshot): Promise<Holdings> {
  return ctx.client.listSnapshotNamespaces(p.groupId, p.clusterName, snapshot.id, { signal: ctx.signal });
}

/**
 * What is restored from: the snapshot (completed, or refused now), or the moment (inside the
 * cluster's restorable window, or refused now, naming it). For a moment, Atlas copies what
 * existed then; the namespaces offered are those of the completed snapshots on either side of it.
 */
async function source(
  ctx: ActionContext,
  p: Params,
): Promise<{ line: string; what: string; holds: Holdings }> {
  if (p.snapshotId !== undefined) {
    const snap = await ctx.client.getSnapshot(p.groupId, p.clusterName, p.snapshotId, { signal: ctx.signal });
    if (snap.status !== 'completed')
      throw new InputValidationError('restore', [
        {
          field: 'snapshotId',
          message: `snapshot ${snap.id} is ${snap.status ?? 'without a status'}: Atlas restores only completed snapshots`,
        },
      ]);
    return {
      line: `Source: snapshot ${snap.id} of ${p.clusterName}, taken ${fmt(snap.createdAt)}`,
      what: `snapshot ${snap.id} of ${p.clusterName}`,
      holds: await namespacesOf(ctx, p, snap),
    };
  }
  const at = moment(p);
  if (!at) throw new InputValidationError('restore', [{ field: 'snapshotId', message: 'no source given' }]);
  const window = await checkRestorableMoment(ctx.client, p.groupId, p.clusterName, at, {
    now: ctx.now(),
    signal: ctx.signal,
  });
  const ms = at.seconds * 1000;
  let before: Snapshot | undefined;
  let after: Snapshot | undefined;
  for await (const s of ctx.client.iterateSnapshots(p.groupId, p.clusterName, {
    itemsPerPage: 100,
    signal: ctx.signal,
  })) {
    if (s.status !== 'completed' || s.createdAt === undefined) continue;
    if (Date.parse(s.createdAt) <= ms) {
      before = s;
      break;
    }
    after = s;
  }
  const near = [before, after].filter((s): s is Snapshot => s !== undefined);
  const holdings = await Promise.all(near.map((s) => namespacesOf(ctx, p, s)));
  const merged = new Map<string, Set<string>>();
  for (const d of holdings.flat()) {
    const set = merged.get(d.database) ?? new Set<string>();
    for (const c of d.collections) set.add(c);
    merged.set(d.database, set);
  }
  const when =
    p.pointInTimeUtcSeconds !== undefined
      ? fmt(ms)
      : `oplog timestamp ${p.oplogTs}:${p.oplogInc} (${fmt(ms)})`;
  return {
    line: `Source: continuous backup of ${p.clusterName} as of ${when}; ${describeWindow(window)}`,
    what: `the snapshots of ${p.clusterName} around ${fmt(ms)}`,
    holds: [...merged].map(([database, set]) => ({ database, collections: [...set].sort() })),
  };
}

interface Item {
  source: string;
  target: string;
}

/** Each collection the request copies and where it is written, or the names the source lacks. */
function items(p: Params, holds: Holdings, what: string): Item[] {
  const missing: FieldIssue[] = [];
  const out: Item[] = [];
  const known = new Set(allNamespaces(holds));
  (p.collections ?? []).forEach((c, i) => {
    if (!known.has(c.sourceNamespace))
      missing.push({ field: `collections.${i}.sourceNamespace`, message: c.sourceNamespace });
    const target = c.targetNamespace || suffixedTarget('collections', c.sourceNamespace, p);
    out.push({ source: c.sourceNamespace, target });
  });
  (p.databases ?? []).forEach((d, i) => {
    const db = holds.find((h) => h.database === d.sourceNamespace);
    if (!db) {
      missing.push({ field: `databases.${i}.sourceNamespace`, message: `database ${d.sourceNamespace}` });
      return;
    }
    const targetDb = d.targetNamespace || suffixedTarget('databases', d.sourceNamespace, p);
    for (const c of db.collections) out.push({ source: `${db.database}.${c}`, target: `${targetDb}.${c}` });
  });
  if (missing.length > 0) throw new NamespaceNotInSnapshotError(what, missing, allNamespaces(holds));
  return out;
}

/** What the target holds as of its newest completed snapshot: the best view of it Atlas offers. */
async function targetHoldings(
  ctx: ActionContext,
  groupId: string,
  clusterName: string,
): Promise<{ at: string | undefined; namespaces: Set<string> } | undefined> {
  try {
    const page = await ctx.client.listSnapshots(
      groupId,
      clusterName,
      { itemsPerPage: 20 },
      { signal: ctx.signal },
    );
    const newest = page.results.find((s) => s.status === 'completed');
    if (!newest) return undefined;
    const holds = await ctx.client.listSnapshotNamespaces(groupId, clusterName, newest.id, {
      signal: ctx.signal,
    });
    return { at: newest.createdAt, namespaces: new Set(allNamespaces(holds)) };
  } catch {
    // Not knowing what the target holds only makes the preview less specific, never wrong.
    return undefined;
  }
}

function definition(
  name: 'restore.collections.createNew' | 'restore.collections.overwrite',
  strategy: WriteStrategy,
): ActionDefinition<typeof params> {
  const overwrite = strategy === 'OVERWRITE_EXISTING';
  const find = async (ctx: LookupContext, p: Params) =>
    ctx.client.findMatchingCollectionRestoreJobs(p.groupId, p.clusterName, request(p, strategy), {
      signal: ctx.signal,
    });
  return {
    name,
    title: overwrite
      ? 'Restore collections or databases over the existing ones'
      : 'Restore collections or databases as new ones',
    doing: 'Starting the collection restore',
    baseRisk: overwrite ? 'destructive' : 'costly',
    deploymentKinds: dedicatedKinds,
    params,
    async preview(ctx, p) {
      const from = await source(ctx, p);
      const copied = items(p, from.holds, from.what);
      const [project, target, existing] = await Promise.all([
        ctx.client.getProject(p.targetGroupId, { signal: ctx.signal }),
        ctx.client.getCluster(p.targetGroupId, p.targetClusterName, { signal: ctx.signal }),
        targetHoldings(ctx, p.targetGroupId, p.targetClusterName),
      ]);
      const exists = (ns: string) => existing?.namespaces.has(ns);
      const replaced = copied.filter((i) => exists(i.target));
      const note = (i: Item) => {
        const there = exists(i.target);
        if (there === undefined) return overwrite ? 'replaced if it exists' : 'renamed by Atlas if it exists';
        if (!there) return 'new';
        return overwrite
          ? 'REPLACES the existing collection'
          : 'exists there: Atlas writes it under a new name';
      };
      const scope = p.collections !== undefined && p.collections.length > 0 ? 'collections' : 'databases';
      const count = scope === 'collections' ? (p.collections ?? []).length : (p.databases ?? []).length;
      const named = `${count} ${count === 1 ? scope.slice(0, -1) : scope}`;
      const lines = [
        from.line,
        `Target: cluster ${target.name} in project ${project.name} (${p.targetGroupId})`,
        `Write strategy: ${strategy} (${overwrite ? 'existing namespaces are dropped and replaced' : 'existing data is never touched'}); ${indexWords[p.indexStrategy]}`,
        ...copied
          .slice(0, listedNamespaces)
          .map((i) => `${i.source} → ${target.name} ${i.target} (${note(i)})`),
        ...(copied.length > listedNamespaces
          ? [`… and ${copied.length - listedNamespaces} more collections`]
          : []),
      ];
      if (existing)
        lines.push(
          `What ${target.name} holds is read from its newest completed snapshot (${fmt(existing.at)}).`,
        );
      const warnings: string[] = [];
      if (overwrite) {
        warnings.push(
          replaced.length > 0
            ? `${replaced.length} existing collection${replaced.length === 1 ? '' : 's'} on ${target.name} will be dropped and replaced: ${replaced.map((i) => i.target).join(', ')}. Writes to them during the restore are lost.`
            : `Any of these namespaces that exists on ${target.name} is dropped and replaced; writes to them during the restore are lost.`,
        );
      }
      const dbs = new Set(copied.map((i) => splitNamespace(i.target)?.database ?? ''));
      return {
        title: `Restore ${named} of ${p.clusterName} onto ${target.name}${overwrite ? ', overwriting' : ' as new collections'} (${copied.length} collection${copied.length === 1 ? '' : 's'} into ${[...dbs].join(', ')})`,
        lines,
        warnings,
        risk: overwrite ? 'destructive' : 'costly',
        confirmTarget: p.targetClusterName,
      };
    },
    async execute(ctx, p) {
      // The window moves on while people approve: a moment that has left it is refused here too.
      const at = moment(p);
      if (at)
        await checkRestorableMoment(ctx.client, p.groupId, p.clusterName, at, {
          now: ctx.now(),
          signal: ctx.signal,
        });
      const body = request(p, strategy);
      const res = await ctx.client.createCollectionRestoreJob(p.groupId, p.clusterName, body, {
        signal: ctx.signal,
      });
      return {
        action: name,
        summary: `Collection restore job ${res.value.id} (${strategy}) from ${p.clusterName} to ${p.targetClusterName} started`,
        job: { kind: 'collectionRestore', groupId: p.groupId, clusterName: p.clusterName, id: res.value.id },
        atlas: res.value,
        reconciled: res.reconciled,
        requestRef: res.requestRef,
      };
    },
    async recognise(ctx, p, lost) {
      const since = lost.startedAt - reconcileSkewMs;
      const job = (await find(ctx, p)).find(
        (j) =>
          !lost.excludedJobIds.has(j.id) && (j.createdAt === undefined || Date.parse(j.createdAt) >= since),
      );
      if (!job) return { found: false, detail: `no matching collection restore job on ${p.clusterName}` };
      return {
        found: true,
        summary: `Collection restore job ${job.id} (${strategy}) from ${p.clusterName} found in Atlas`,
        job: { kind: 'collectionRestore', groupId: p.groupId, clusterName: p.clusterName, id: job.id },
      };
    },
    async matchingBefore(ctx, p) {
      return (await find(ctx, p)).map((j) => j.id);
    },
  };
}

/** Copies chosen collections or databases beside what the target holds; nothing existing is touched. */
export const restoreCollections = definition('restore.collections.createNew', 'CREATE_NEW');
/** Copies chosen collections or databases over the target's, dropping what is there. */
export const restoreCollectionsOverwrite = definition('restore.collections.overwrite', 'OVERWRITE_EXISTING');
