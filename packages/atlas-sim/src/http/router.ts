import { ApiError } from './errors.js';
import type { HttpMethod, Operation } from './operation.js';

/** Path parameter patterns from the contract; a value that does not match is a 400. */
const PARAM_PATTERNS: Record<string, RegExp> = {
  groupId: /^([a-f0-9]{24})$/,
  snapshotId: /^([a-f0-9]{24})$/,
  restoreJobId: /^([a-f0-9]{24})$/,
  jobId: /^([a-f0-9]{24})$/,
  exportId: /^([a-f0-9]{24})$/,
  exportBucketId: /^([a-f0-9]{24})$/,
  clusterName: /^[a-zA-Z0-9][a-zA-Z0-9-]*$/,
  name: /^[a-zA-Z0-9][a-zA-Z0-9-]*$/,
};

const METHOD_ORDER: HttpMethod[] = ['GET', 'POST', 'PATCH', 'DELETE'];

interface Node {
  literals: Map<string, Node>;
  param?: { name: string; node: Node };
  operations?: Map<HttpMethod, Operation>;
}

export interface RouteMatch {
  operation: Operation;
  params: Record<string, string>;
}

function newNode(): Node {
  return { literals: new Map() };
}

/**
 * A segment trie built once at start: matching costs one map lookup per path segment, and
 * literal segments win over parameters (`snapshots/shardedClusters` is not a snapshot id).
 */
export class Router {
  private readonly root = newNode();

  constructor(operations: readonly Operation[]) {
    for (const op of operations) this.add(op);
  }

  /** Throws 404 for an unknown path and 405 for a known path with another method. */
  match(method: string, pathname: string): RouteMatch {
    const segments = pathname.split('/');
    const values: string[] = [];
    const found = this.walk(this.root, segments, 0, values);
    if (!found) throw new ApiError(404, 'RESOURCE_NOT_FOUND', `Cannot find resource ${pathname}.`);
    const operation = found.operations?.get(method as HttpMethod);
    if (!operation) {
      const offered = new Set(found.operations?.keys());
      const allowed = METHOD_ORDER.filter((m) => offered.has(m)).join(', ');
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `Method ${method} is not allowed on ${pathname}.`, {
        headers: { Allow: allowed },
      });
    }
    const params: Record<string, string> = {};
    const names = paramNames(operation.path);
    for (let i = 0; i < names.length; i++) params[names[i] as string] = values[i] as string;
    checkParams(names, params);
    return { operation, params };
  }

  private walk(node: Node, segments: string[], index: number, values: string[]): Node | undefined {
    // Empty segments (leading or doubled slashes) are skipped rather than filtered out up front.
    while (index < segments.length && segments[index] === '') index++;
    if (index === segments.length) return node.operations ? node : undefined;
    const segment = segments[index] as string;
    const literal = node.literals.get(segment);
    if (literal) {
      const found = this.walk(literal, segments, index + 1, values);
      if (found) return found;
    }
    if (node.param) {
      values.push(safeDecode(segment));
      const found = this.walk(node.param.node, segments, index + 1, values);
      if (found) return found;
      values.pop();
    }
    return undefined;
  }

  private add(op: Operation): void {
    let node = this.root;
    for (const segment of op.path.split('/').filter((s) => s.length > 0)) {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        node.param ??= { name: param[1] as string, node: newNode() };
        node = node.param.node;
      } else {
        let next = node.literals.get(segment);
        if (!next) {
          next = newNode();
          node.literals.set(segment, next);
        }
        node = next;
      }
    }
    node.operations ??= new Map();
    node.operations.set(op.method, op);
  }
}

const namesCache = new Map<string, string[]>();

function paramNames(template: string): string[] {
  let names = namesCache.get(template);
  if (!names) {
    names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    namesCache.set(template, names);
  }
  return names;
}

function safeDecode(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function checkParams(names: readonly string[], params: Record<string, string>): void {
  for (const name of names) {
    const value = params[name] as string;
    const pattern = PARAM_PATTERNS[name];
    if (!pattern || pattern.test(value)) continue;
    if (name === 'groupId') {
      throw new ApiError(400, 'INVALID_GROUP_ID', `An invalid group ID ${value} was specified.`, {
        fields: [{ field: 'groupId', description: `must match pattern ${pattern.source}` }],
      });
    }
    throw new ApiError(400, 'VALIDATION_ERROR', `Path parameter ${name} is invalid: ${value}.`, {
      fields: [{ field: name, description: `must match pattern ${pattern.source}` }],
    });
  }
}
