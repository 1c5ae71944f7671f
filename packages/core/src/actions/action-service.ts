import type { AtlasClient } from '../client/atlas-client.js';
import { newRequestRef } from '../client/create-once.js';
import {
  ConfirmationRequiredError,
  InputValidationError,
  MembershipUnavailableError,
  PolicyDeniedError,
  ReadOnlyError,
  ReasonRequiredError,
  toErrorInfo,
} from '../errors.js';
import type { AuditEntry, AuditEvent, AuditSink } from '../audit/audit-entry.js';
import { describeApprovers } from '../policy/approvers.js';
import { reasonProblem } from '../policy/reason.js';
import type { ApprovalRule, ChatVerdict, PolicyEngine, ReasonRule } from '../policy/types.js';
import type { ClusterKind } from '../schemas/clusters.js';
import type { Project } from '../schemas/projects.js';
import { parseInput } from '../validation.js';
import {
  actionDefinition,
  actionForKind,
  deploymentRefusal,
  isActionName,
  type ActionName,
} from './catalogue.js';
import type { ActionDefinition, ActionPreview, ActionResult, Actor } from './types.js';

export interface PendingApproval {
  id: string;
  expiresAt: string;
  rule: ApprovalRule;
}

export interface OpenApprovalInput {
  actor: Actor;
  action: ActionName;
  params: Record<string, unknown>;
  preview: ActionPreview;
  rule: ApprovalRule;
  reason?: string | undefined;
  requestRef: string;
}

/** Where requests that need others' approval are kept (the approval engine implements it). */
export interface ApprovalGateway {
  open(input: OpenApprovalInput): Promise<PendingApproval>;
  /** Runs a break-glass action at once, recorded for review; absent where it cannot be collected. */
  breakGlass?: ((input: OpenApprovalInput) => Promise<{ id: string }>) | undefined;
}

/** What the policy asks of an action before it runs, for a front end to show before confirming. */
export interface ActionRequirements {
  /** Others must approve it (under this rule) unless it is run as break-glass. */
  approval: ApprovalRule | undefined;
  /** A reason must be given (and match `pattern`, when set). */
  reason: ReasonRule | undefined;
  /** The actor may run it at once with a reason instead of waiting for approval. */
  breakGlass: boolean;
  ruleLabel: string | undefined;
  /** What the chat front end's policy would ask of this person, where it is not applied (the terminal). */
  chat: ChatVerdict | undefined;
}

export interface Confirmation {
  confirmed: boolean;
  /** For destructive actions on production projects: what the user typed. */
  typedPhrase?: string | undefined;
}

export type ActionOutcome =
  | { status: 'executed'; preview: ActionPreview; result: ActionResult }
  | { status: 'pending_approval'; preview: ActionPreview; approval: PendingApproval }
  /** Run at once without approval; its progress and the review follow through the approval engine. */
  | { status: 'break_glass'; preview: ActionPreview; requestId: string };

export interface ActionServiceOptions {
  client: AtlasClient;
  policy: PolicyEngine;
  audit: AuditSink;
  approvals?: ApprovalGateway | undefined;
  readOnly?: boolean | undefined;
  now?: () => number;
}

export interface ApprovedRequest {
  id: string;
  actor: Actor;
  action: ActionName;
  params: Record<string, unknown>;
  requestRef: string;
  /** Run without approval (break-glass): marked so in the audit trail. */
  breakGlass?: boolean | undefined;
  /** Why the requester asked, recorded with what it did. */
  reason?: string | undefined;
}

/**
 * The one path by which anything in Atlas is changed: validate the input, check read-only mode
 * and policy, take approval when policy asks for it, call Atlas, and audit every step.
 */
export class ActionService {
  readonly readOnly: boolean;
  private readonly now: () => number;
  private readonly projects = new Map<string, { project: Project; at: number }>();

  constructor(private readonly options: ActionServiceOptions) {
    this.readOnly = options.readOnly ?? false;
    this.now = options.now ?? Date.now;
  }

  get client(): AtlasClient {
    return this.options.client;
  }

  get policy(): PolicyEngine {
    return this.options.policy;
  }

  private definition(name: string): ActionDefinition {
    if (!isActionName(name))
      throw new InputValidationError('action', [{ field: 'action', message: `unknown action ${name}` }]);
    return actionDefinition(name);
  }

  private async project(groupId: string, signal?: AbortSignal): Promise<Project> {
    const cached = this.projects.get(groupId);
    if (cached && this.now() - cached.at < 300_000) return cached.project;
    const project = await this.options.client.getProject(groupId, { signal });
    this.projects.set(groupId, { project, at: this.now() });
    return project;
  }

  /**
   * The action that does `name` on the deployment its parameters name: a front end that knows
   * only a cluster's name (a typed command, a form) asks a restore or download as for a dedicated
   * cluster, and a Flex source gets the Flex one. An action the deployment does not offer (a point
   * in time of a Flex cluster, anything of a serverless instance) is refused here, saying why,
   * before any preview. When Atlas can't say what the name is (no such cluster, Atlas failing),
   * `name` is returned and the preview reports the problem as it would have.
   */
  async actionFor(name: ActionName, rawParams: unknown, signal?: AbortSignal): Promise<ActionName> {
    const { groupId, clusterName } = asRecord(rawParams);
    if (typeof groupId !== 'string' || typeof clusterName !== 'string') return name;
    let kind: ClusterKind;
    try {
      kind = await this.options.client.deploymentKind(groupId, clusterName, { signal });
    } catch {
      return name;
    }
    const action = actionForKind(name, kind);
    const refused = deploymentRefusal(action, { kind });
    if (refused) throw new InputValidationError('cluster', [{ field: 'clusterName', message: refused }]);
    return action;
  }

  /**
   * Validates and explains an action without doing it. Safe to call in read-only mode. Refuses
   * (POLICY_DENIED) when the actor may not read the project or the restore's target project: a
   * picker only offers those, and an id sent some other way gets no further.
   */
  async preview(
    actor: Actor,
    name: ActionName,
    rawParams: unknown,
    signal?: AbortSignal,
  ): Promise<{ params: Record<string, unknown>; preview: ActionPreview }> {
    const def = this.definition(name);
    const params = parseInput(def.params, rawParams, `${name} parameters`) as Record<string, unknown> & {
      groupId: string;
    };
    const targetId = crossProjectTarget(params);
    const [project, target] = await Promise.all([
      this.project(params.groupId, signal),
      targetId === undefined ? undefined : this.project(targetId, signal),
    ]);
    for (const p of target === undefined ? [project] : [project, target]) {
      if (!(await this.options.policy.canRead(actor, p)))
        throw new PolicyDeniedError(name, `project ${p.id} is not visible to you`);
    }
    const body = await def.preview({ client: this.options.client, now: this.now, signal }, params);
    const { confirmTarget, ...rest } = body;
    // A restore into another project is as dangerous as that project is.
    const production =
      this.options.policy.isProduction(project) ||
      (target !== undefined && this.options.policy.isProduction(target));
    const preview: ActionPreview = {
      ...rest,
      action: name,
      projectId: project.id,
      projectName: project.name,
      production,
      confirmPhrase: production && body.risk === 'destructive' ? confirmTarget : undefined,
    };
    return { params, preview };
  }

  /**
   * Requests an action. Costly and destructive actions need `confirmation.confirmed`, and on
   * production projects the typed phrase. Returns either the executed result or the pending
   * approval; refusals throw with a stable code.
   */
  async request(
    actor: Actor,
    name: ActionName,
    rawParams: unknown,
    options: {
      confirmation?: Confirmation;
      reason?: string;
      /** Run it at once, if the rule lets this person break glass (a reason is then required). */
      breakGlass?: boolean;
      signal?: AbortSignal;
    } = {},
  ): Promise<ActionOutcome> {
    const { params, preview, decision } = await this.decide(actor, name, rawParams, options, true);
    this.checkConfirmation(preview, options.confirmation);
    const reason = options.reason?.trim() || undefined;

    const requestRef = newRequestRef();
    if (decision.approval) {
      const input: OpenApprovalInput = {
        actor,
        action: name,
        params,
        preview,
        rule: decision.approval,
        reason,
        requestRef,
      };
      const approvals = this.options.approvals;
      if (options.breakGlass) {
        if (!approvals?.breakGlass) {
          return this.refuse(
            new PolicyDeniedError(name, 'break-glass needs a front end that records its review'),
            actor,
            name,
            params,
            { breakGlass: true },
          );
        }
        const started = await approvals.breakGlass(input);
        return { status: 'break_glass', preview, requestId: started.id };
      }
      if (!approvals) {
        return this.refuse(
          new PolicyDeniedError(name, 'policy requires approval, which this front end cannot collect'),
          actor,
          name,
          params,
        );
      }
      const approval = await approvals.open(input);
      await this.audit('requested', actor, name, params, { requestId: approval.id, requestRef, reason });
      return { status: 'pending_approval', preview, approval };
    }

    await this.audit('requested', actor, name, params, { requestRef, reason });
    const result = await this.run(actor, name, params, { requestRef, reason }, options.signal);
    return { status: 'executed', preview, result };
  }

  /**
   * What the policy asks of this action for this person (approval, a reason, whether they may
   * break glass), after the same checks as `request` short of confirmation: so a front end can
   * ask for the reason with the confirmation, and refuse early what `request` would refuse.
   * With `reason` given, a missing or non-matching one is refused here (REASON_REQUIRED).
   */
  async requirements(
    actor: Actor,
    name: ActionName,
    rawParams: unknown,
    options: { reason?: string; breakGlass?: boolean; signal?: AbortSignal } = {},
  ): Promise<{ params: Record<string, unknown>; preview: ActionPreview; requirements: ActionRequirements }> {
    const { params, preview, decision } = await this.decide(
      actor,
      name,
      rawParams,
      options,
      'reason' in options,
    );
    return {
      params,
      preview,
      requirements: {
        approval: decision.approval,
        reason: decision.reason,
        breakGlass: decision.breakGlass?.eligible === true,
        ruleLabel: decision.ruleLabel,
        chat: decision.chat,
      },
    };
  }

  /** Read-only, preview, policy, the reason and break-glass eligibility; refusals are audited. */
  private async decide(
    actor: Actor,
    name: ActionName,
    rawParams: unknown,
    options: {
      reason?: string | undefined;
      breakGlass?: boolean | undefined;
      signal?: AbortSignal | undefined;
    },
    checkReason: boolean,
  ) {
    if (this.readOnly) return this.refuse(new ReadOnlyError(name), actor, name, asRecord(rawParams));
    let previewed;
    try {
      previewed = await this.preview(actor, name, rawParams, options.signal);
    } catch (error) {
      if (error instanceof PolicyDeniedError) return this.refuse(error, actor, name, asRecord(rawParams));
      throw error;
    }
    const { params, preview } = previewed;
    const project = await this.project(preview.projectId, options.signal);
    const targetId = crossProjectTarget(params);
    const target = targetId === undefined ? undefined : await this.project(targetId, options.signal);

    const decision = await this.options.policy.decide({ actor, action: name, project, target, preview });
    if (!decision.allowed) {
      const error =
        decision.code === 'MEMBERSHIP_UNAVAILABLE'
          ? new MembershipUnavailableError(name, decision.reason)
          : new PolicyDeniedError(name, decision.reason);
      return this.refuse(error, actor, name, params);
    }
    const breakGlass = options.breakGlass === true && decision.approval !== undefined;
    if (breakGlass) {
      const eligible = decision.breakGlass?.eligible;
      if (eligible !== true) {
        const error =
          eligible === 'unreadable'
            ? new MembershipUnavailableError(
                name,
                'the break-glass list names user groups that could not be read',
              )
            : new PolicyDeniedError(
                name,
                decision.breakGlass
                  ? `break-glass under ${decision.ruleLabel ?? 'this rule'} is only for ${describeApprovers(decision.breakGlass.rule)}; ask for approval instead`
                  : `${decision.ruleLabel ?? 'the rule'} does not allow break-glass; ask for approval instead`,
              );
        return this.refuse(error, actor, name, params, { breakGlass: true });
      }
    }
    // Break-glass always needs a reason, in the rule's form when it asks for one.
    const reasonRule = decision.reason ?? (breakGlass ? {} : undefined);
    if (reasonRule && checkReason) {
      const problem = reasonProblem(reasonRule, options.reason);
      if (problem) {
        return this.refuse(
          new ReasonRequiredError(name, decision.ruleLabel, reasonRule, problem === 'mismatch'),
          actor,
          name,
          params,
          { reason: options.reason?.trim() || undefined, ...(breakGlass ? { breakGlass: true } : {}) },
        );
      }
    }
    return { params, preview, decision };
  }

  /** Runs an action whose approval was won; the approval engine calls this exactly once per request. */
  async executeApproved(request: ApprovedRequest, signal?: AbortSignal): Promise<ActionResult> {
    if (this.readOnly) throw new ReadOnlyError(request.action);
    const def = this.definition(request.action);
    const params = parseInput(def.params, request.params, `${request.action} parameters`) as Record<
      string,
      unknown
    >;
    return this.run(
      request.actor,
      request.action,
      params,
      {
        requestRef: request.requestRef,
        requestId: request.id,
        breakGlass: request.breakGlass,
        reason: request.reason?.trim() || undefined,
      },
      signal,
    );
  }

  private checkConfirmation(preview: ActionPreview, confirmation: Confirmation | undefined): void {
    if (preview.risk === 'safe') return;
    if (!confirmation?.confirmed) {
      throw new ConfirmationRequiredError(
        `${preview.title}: this is ${preview.risk === 'destructive' ? 'destructive' : 'costly'} and needs explicit confirmation`,
        'Review the summary and confirm it explicitly.',
      );
    }
    if (preview.confirmPhrase !== undefined && confirmation.typedPhrase?.trim() !== preview.confirmPhrase) {
      throw new ConfirmationRequiredError(
        `${preview.projectName ?? preview.projectId} is a production project: type ${preview.confirmPhrase} to confirm`,
        `Type the target cluster's name (${preview.confirmPhrase}) exactly.`,
      );
    }
  }

  private async run(
    actor: Actor,
    name: ActionName,
    params: Record<string, unknown>,
    request: {
      requestRef: string;
      requestId?: string;
      breakGlass?: boolean | undefined;
      reason?: string | undefined;
    },
    signal: AbortSignal | undefined,
  ): Promise<ActionResult> {
    const def = this.definition(name);
    const { requestRef, requestId, reason } = request;
    const mark = {
      ...(request.breakGlass ? { breakGlass: true as const } : {}),
      ...(reason ? { reason } : {}),
    };
    try {
      const result = await def.execute(
        { client: this.options.client, now: this.now, signal },
        params,
        requestRef,
      );
      await this.audit('executed', actor, name, params, {
        ...mark,
        requestId,
        requestRef: result.requestRef,
        atlasJobId: result.job?.id,
        outcome: result.summary,
      });
      return result;
    } catch (error) {
      await this.audit('failed', actor, name, params, { ...mark, requestId, requestRef, error });
      throw error;
    }
  }

  /** Audits a refusal, then throws it. */
  private async refuse(
    error: Error,
    actor: Actor,
    action: string,
    params: Record<string, unknown>,
    extra: Partial<Omit<AuditEntry, 'error'>> = {},
  ): Promise<never> {
    await this.audit('refused', actor, action, params, { ...extra, error });
    throw error;
  }

  private async audit(
    event: AuditEvent,
    actor: Actor,
    action: string,
    params: Record<string, unknown>,
    extra: Partial<Omit<AuditEntry, 'error'>> & { error?: unknown } = {},
  ): Promise<void> {
    const { error, ...rest } = extra;
    await this.options.audit.append({
      at: new Date(this.now()).toISOString(),
      event,
      actor: { id: actor.id, displayName: actor.displayName, source: actor.source },
      action,
      projectId: typeof params.groupId === 'string' ? params.groupId : undefined,
      clusterName: typeof params.clusterName === 'string' ? params.clusterName : undefined,
      params,
      ...rest,
      ...(error === undefined ? {} : { error: auditError(error) }),
    });
  }
}

/** The project a restore overwrites, when it is not the source project. */
function crossProjectTarget(params: Record<string, unknown>): string | undefined {
  const target = params.targetGroupId;
  return typeof target === 'string' && target !== params.groupId ? target : undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? { ...(value as Record<string, unknown>) } : {};
}

/** Audit entries keep what failed, not the advice given about it. */
function auditError(error: unknown): { code: string; message: string } {
  const { code, message } = toErrorInfo(error);
  return { code, message };
}
