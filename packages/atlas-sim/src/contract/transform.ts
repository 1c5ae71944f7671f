/**
 * Turns the contract's OpenAPI 3.0 response schemas into JSON Schema that Ajv checks strictly
 * enough to matter and loosely enough that Atlas's own documents pass:
 * - `nullable` becomes a null type;
 * - a writeOnly property must not appear in a response and is not required there;
 * - a `oneOf` with a discriminator checks the branch its mapping names (the branches alone do
 *   not tell each other apart); other `oneOf`s become `anyOf` for the same reason;
 * - `type: object` beside a `oneOf` of strings (how the spec spells a string union such as
 *   `regionName`) is dropped, since it contradicts every branch and Atlas sends strings;
 * - cycles the subset replaced by `x-circularRef` accept anything.
 */
type Json = Record<string, unknown>;

const DROP = new Set([
  'description',
  'example',
  'examples',
  'externalDocs',
  'title',
  'readOnly',
  'writeOnly',
  'discriminator',
  'default',
  'nullable',
]);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function toResponseSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toResponseSchema);
  if (!isObject(node)) return node;
  if ('x-circularRef' in node) return {};
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROP.has(key) || key.startsWith('x-')) continue;
    if (key === 'type' && value === 'object' && isScalarUnion(node.oneOf)) continue;
    if (key === 'properties' && isObject(value)) {
      const props: Json = {};
      for (const [name, prop] of Object.entries(value)) {
        props[name] = isObject(prop) && prop.writeOnly === true ? false : toResponseSchema(prop);
      }
      out.properties = props;
    } else if (key === 'required' && Array.isArray(value)) {
      const props = isObject(node.properties) ? node.properties : {};
      const required = value.filter((name) => {
        const prop = props[String(name)];
        return !(isObject(prop) && prop.writeOnly === true);
      });
      if (required.length > 0) out.required = required;
    } else if (key === 'oneOf' && Array.isArray(value)) {
      const discriminated = discriminatedBranches(node, value);
      if (discriminated) out.allOf = [...((out.allOf as unknown[]) ?? []), ...discriminated];
      else out.anyOf = value.map(toResponseSchema);
    } else {
      out[key] = toResponseSchema(value);
    }
  }
  if (node.nullable === true) return nullable(out);
  return out;
}

function isScalarUnion(branches: unknown): boolean {
  return (
    Array.isArray(branches) &&
    branches.length > 0 &&
    branches.every((b) => isObject(b) && typeof b.type === 'string' && b.type !== 'object')
  );
}

function nullable(schema: Json): Json {
  if (typeof schema.type === 'string') {
    const copy: Json = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum)) copy.enum = [...(schema.enum as unknown[]), null];
    return copy;
  }
  return { anyOf: [schema, { type: 'null' }] };
}

/** `if <prop> is <value> then <branch>` for each mapping entry, when the branches are named. */
function discriminatedBranches(node: Json, branches: unknown[]): Json[] | undefined {
  const discriminator = node.discriminator;
  if (
    !isObject(discriminator) ||
    typeof discriminator.propertyName !== 'string' ||
    !isObject(discriminator.mapping)
  ) {
    return undefined;
  }
  const prop = discriminator.propertyName;
  const byName = new Map<string, unknown>();
  for (const branch of branches) {
    if (isObject(branch) && typeof branch['x-schemaName'] === 'string')
      byName.set(branch['x-schemaName'], branch);
  }
  const rules: Json[] = [];
  for (const [value, ref] of Object.entries(discriminator.mapping)) {
    const name = String(ref).split('/').pop() ?? '';
    const branch = byName.get(name);
    if (!branch) return undefined;
    rules.push({
      if: { properties: { [prop]: { const: value } }, required: [prop] },
      then: toResponseSchema(branch),
    });
  }
  return rules;
}
