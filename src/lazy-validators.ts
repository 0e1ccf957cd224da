// Route schemas compiled on first use rather than at start: schema compilation was most of the cold
// start (see README "Performance").

interface ValidatorLike {
  (data: unknown, dataContext?: unknown): boolean
  errors?: unknown
  schemaEnv?: unknown
}

/**
 * Makes Ajv compile a schema when its validator is first called instead of when Fastify asks for it at
 * start. The validator keeps Ajv's interface as Fastify uses it: `errors` after a failure, and a
 * `schemaEnv`, which tells Fastify to pass the parent object (Ajv coerces the root value through it).
 */
export function compileOnFirstUse (ajv: unknown): void {
  const instance = ajv as { compile: (schema: { $id?: string }) => ValidatorLike }
  const compile = instance.compile.bind(instance)
  instance.compile = (schema) => {
    // A schema with an $id must be registered with Ajv at once (Fastify looks it up by id).
    if (schema.$id !== undefined) return compile(schema)
    let compiled: ValidatorLike | undefined
    const validator: ValidatorLike = (data, dataContext) => {
      if (compiled === undefined) compiled = compile(schema)
      const valid = compiled(data, dataContext)
      validator.errors = compiled.errors
      return valid
    }
    validator.errors = null
    validator.schemaEnv = true
    return validator
  }
}
