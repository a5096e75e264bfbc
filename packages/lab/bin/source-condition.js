// A module-resolution hook for source checkouts: resolve every import as if `node` had
// been started with --conditions=unroll-source, so "@unroll/tensor" means its src/.
export async function resolve(specifier, context, nextResolve) {
  return nextResolve(specifier, {
    ...context,
    conditions: ['unroll-source', ...context.conditions],
  });
}
