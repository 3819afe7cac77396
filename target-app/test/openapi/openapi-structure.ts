// A structural check of an OpenAPI 3.1 document (the rules of the specification's Paths, Operation,
// Parameter, Request Body and Responses objects that matter here), listing every problem found.

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const LOCATIONS = ['query', 'header', 'path', 'cookie'];
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function resolves(doc: Json, ref: string): boolean {
  if (!ref.startsWith('#/')) return false;
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    if (!isObject(node)) return false;
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node !== undefined;
}

export function openApiProblems(doc: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(doc)) return ['document is not an object'];
  const info = doc.info;
  if (typeof doc.openapi !== 'string' || !/^3\.1\.\d+$/.test(doc.openapi))
    problems.push('openapi: not 3.1.x');
  if (!isObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string') {
    problems.push('info: title and version are required strings');
  }
  if (!isObject(doc.paths)) return [...problems, 'paths: missing'];
  const schemes =
    isObject(doc.components) && isObject(doc.components.securitySchemes)
      ? doc.components.securitySchemes
      : {};
  const operationIds = new Set<string>();

  const refs: string[] = [];
  JSON.stringify(doc, (key, value: unknown) => {
    if (key === '$ref' && typeof value === 'string') refs.push(value);
    return value;
  });
  for (const ref of refs) if (!resolves(doc, ref)) problems.push(`$ref ${ref} does not resolve`);

  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/')) problems.push(`${path}: must start with /`);
    if (!isObject(item)) {
      problems.push(`${path}: not an object`);
      continue;
    }
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!METHODS.includes(method)) {
        problems.push(`${where}: unknown method`);
        continue;
      }
      if (!isObject(op)) {
        problems.push(`${where}: not an object`);
        continue;
      }
      if (typeof op.operationId !== 'string' || operationIds.has(op.operationId)) {
        problems.push(`${where}: operationId missing or not unique`);
      } else operationIds.add(op.operationId);
      const params = (op.parameters ?? []) as unknown[];
      const seen = new Set<string>();
      for (const param of params) {
        if (!isObject(param) || typeof param.name !== 'string' || !LOCATIONS.includes(String(param.in))) {
          problems.push(`${where}: parameter without name or valid 'in'`);
          continue;
        }
        if (seen.has(`${param.in}:${param.name}`))
          problems.push(`${where}: duplicate parameter ${param.name}`);
        seen.add(`${param.in}:${param.name}`);
        if (!isObject(param.schema)) problems.push(`${where}: parameter ${param.name} has no schema`);
        if (param.in === 'path' && param.required !== true)
          problems.push(`${where}: path parameter ${param.name} must be required`);
        if (param.in === 'path' && !templated.includes(param.name))
          problems.push(`${where}: ${param.name} not in the path`);
      }
      for (const name of templated) {
        if (!seen.has(`path:${name}`)) problems.push(`${where}: path parameter {${name}} not declared`);
      }
      if (op.requestBody !== undefined) {
        const content = isObject(op.requestBody) ? op.requestBody.content : undefined;
        if (!isObject(content) || Object.keys(content).length === 0)
          problems.push(`${where}: requestBody without content`);
      }
      if (!isObject(op.responses) || Object.keys(op.responses).length === 0) {
        problems.push(`${where}: no responses`);
      } else {
        for (const [status, response] of Object.entries(op.responses)) {
          if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) problems.push(`${where}: bad status ${status}`);
          if (
            !isObject(response) ||
            (typeof response.description !== 'string' && typeof response.$ref !== 'string')
          ) {
            problems.push(`${where} ${status}: needs a description`);
          }
        }
      }
      for (const requirement of (op.security ?? []) as unknown[]) {
        if (!isObject(requirement)) problems.push(`${where}: bad security requirement`);
        else
          for (const name of Object.keys(requirement))
            if (!(name in schemes)) problems.push(`${where}: unknown security scheme ${name}`);
      }
    }
  }
  return problems;
}
