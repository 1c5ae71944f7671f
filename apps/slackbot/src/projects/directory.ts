import {
  AtlasBackupsError,
  PolicyDeniedError,
  objectIdPattern,
  type Actor,
  type AtlasClient,
  type PolicyEngine,
  type Project,
} from '@atlas-backups/core';
import type { ChannelDefaults } from '../state/channel-defaults.js';

/**
 * Projects by id or name, as people type them. The list is cached briefly, since one command
 * may resolve two projects and the modal asks for the list at every pick.
 */
export class ProjectDirectory {
  private cache: { at: number; projects: Promise<Project[]> } | undefined;

  constructor(
    private readonly client: AtlasClient,
    private readonly policy: PolicyEngine,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 60_000,
  ) {}

  /** Every project the bot's Atlas identity can see, sorted by name. */
  all(signal?: AbortSignal): Promise<Project[]> {
    if (!this.cache || this.now() - this.cache.at > this.ttlMs) {
      const projects = (async () => {
        const out: Project[] = [];
        for await (const p of this.client.iterateProjects({ signal })) out.push(p);
        return out.sort((a, b) => a.name.localeCompare(b.name));
      })();
      this.cache = { at: this.now(), projects };
      projects.catch(() => {
        if (this.cache?.projects === projects) this.cache = undefined;
      });
    }
    return this.cache.projects;
  }

  /** The projects this actor may see. */
  async visible(actor: Actor, signal?: AbortSignal): Promise<Project[]> {
    const all = await this.all(signal);
    const allowed = await Promise.all(all.map(async (p) => await this.policy.canRead(actor, p)));
    return all.filter((_, i) => allowed[i]);
  }

  /** A project by its 24-digit id or its name (exact, then case-insensitive). */
  async resolve(actor: Actor, idOrName: string, signal?: AbortSignal): Promise<Project> {
    let project: Project | undefined;
    if (objectIdPattern.test(idOrName)) {
      project = (await this.all(signal)).find((p) => p.id === idOrName);
      project ??= await this.client.getProject(idOrName, { signal });
    } else {
      const all = await this.all(signal);
      const exact = all.filter((p) => p.name === idOrName);
      const loose =
        exact.length > 0 ? exact : all.filter((p) => p.name.toLowerCase() === idOrName.toLowerCase());
      if (loose.length > 1) {
        throw new AtlasBackupsError(
          'INVALID_INPUT',
          `${loose.length} projects are named ${idOrName}: ${loose.map((p) => p.id).join(', ')}`,
          { hint: 'Give the project by its id instead.' },
        );
      }
      project = loose[0];
      if (!project) {
        throw new AtlasBackupsError('NOT_FOUND', `No project named ${idOrName} is visible to the bot`, {
          hint: 'List them with /atlas projects; a project can also be given by its 24-digit id.',
        });
      }
    }
    if (!(await this.policy.canRead(actor, project)))
      throw new PolicyDeniedError('read', `project ${project.name} is not visible to you`);
    return project;
  }
}

export interface ProjectChoiceContext {
  actor: Actor;
  channelId: string;
  signal?: AbortSignal | undefined;
}

/**
 * The project a command acts on: the one it names, else the channel's default (`/atlas use`),
 * else MONGODB_ATLAS_PROJECT_ID, else the only project there is.
 */
export async function chooseProject(
  directory: ProjectDirectory,
  defaults: ChannelDefaults,
  fallbackProjectId: string | undefined,
  given: string | undefined,
  ctx: ProjectChoiceContext,
): Promise<Project> {
  if (given !== undefined) return directory.resolve(ctx.actor, given, ctx.signal);
  const channelDefault = await defaults.get(ctx.channelId);
  if (channelDefault) return directory.resolve(ctx.actor, channelDefault.projectId, ctx.signal);
  if (fallbackProjectId) return directory.resolve(ctx.actor, fallbackProjectId, ctx.signal);
  const visible = await directory.visible(ctx.actor, ctx.signal);
  if (visible.length === 1) return visible[0] as Project;
  throw new AtlasBackupsError('INVALID_INPUT', 'No project chosen for this channel', {
    hint: "Add --project <id|name>, or set the channel's default with /atlas use <project>.",
  });
}
