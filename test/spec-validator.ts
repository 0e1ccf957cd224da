// Validates emulator responses against the schemas of Twilio's spec (vendored subset in test/spec).
import { readFileSync } from 'node:fs'
import Ajv from 'ajv'
import addFormats from 'ajv-formats'

const spec = JSON.parse(readFileSync(new URL('./spec/twilio_verify_v2.subset.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>
  components: { schemas: Record<string, unknown> }
}

// OpenAPI 3.0 `nullable: true` → JSON Schema type unions, and $refs into #/definitions.
function toJsonSchema (node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema)
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' || key.startsWith('x-') || key === 'example' || key === 'examples') continue
    if (key === '$ref' && typeof value === 'string') out.$ref = value.replace('#/components/schemas/', '#/definitions/')
    else out[key] = toJsonSchema(value)
  }
  const n = node as Record<string, unknown>
  if (n.nullable === true && typeof n.type === 'string') out.type = [n.type, 'null']
  if (n.nullable === true && Array.isArray(n.enum)) out.enum = [...n.enum, null]
  return out
}

const definitions = toJsonSchema(spec.components.schemas) as Record<string, unknown>
const ajv = new Ajv.default({ strict: false, allErrors: true })
addFormats.default(ajv)

function compile (schema: unknown) {
  return ajv.compile({ definitions, ...(toJsonSchema(schema) as object) })
}

function responseSchema (path: string, method: string, status: string): unknown {
  const schema = spec.paths[path]?.[method]?.responses[status]?.content?.['application/json']?.schema
  if (schema === undefined) throw new Error(`no schema for ${method} ${path} ${status}`)
  return schema
}

export const validateWebhook = compile({ $ref: '#/components/schemas/verify.v2.service.webhook' })
export const validateService = compile({ $ref: '#/components/schemas/verify.v2.service' })
export const validateWebhookList = compile(responseSchema('/v2/Services/{ServiceSid}/Webhooks', 'get', '200'))
export const validateServiceList = compile(responseSchema('/v2/Services', 'get', '200'))

/** Ajv's errors as one readable string (empty when valid). */
export function errorsOf (validate: { errors?: unknown }): string {
  return validate.errors == null ? '' : ajv.errorsText(validate.errors as never)
}
