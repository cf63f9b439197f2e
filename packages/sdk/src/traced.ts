import { trace, type TraceOptions } from './trace.ts';

/** Span names per class and method, computed once. */
const names = new WeakMap<object, Map<string | symbol, string>>();

function spanName(self: unknown, method: string | symbol, isStatic: boolean): string {
  const owner = isStatic ? self : (self as { constructor?: unknown } | null)?.constructor;
  const key = (typeof owner === 'function' || typeof owner === 'object') && owner ? owner : traced;
  let perClass = names.get(key);
  if (!perClass) names.set(key, (perClass = new Map()));
  let name = perClass.get(method);
  if (name === undefined) {
    const className = typeof owner === 'function' && owner.name ? owner.name : 'anonymous';
    name = `${className}.${String(method)}`;
    perClass.set(method, name);
  }
  return name;
}

/**
 * A TC39 (standard) method decorator that runs each call of the method inside `trace()`:
 * sync, async and generator methods alike. The span is named `name`, or `ClassName.method`.
 * (Standard decorators: TypeScript 5+ without `experimentalDecorators`, or tsx/esbuild.)
 *
 * @example
 * ```ts
 * class Retriever {
 *   @traced({ operation: 'retrieval' })
 *   async search(query: string) {
 *     return this.index.query(query, { topK: 5 });
 *   }
 *
 *   @traced('rerank', { attributes: { 'reranker.model': 'bge-reranker' } })
 *   rerank(docs: Doc[]) {
 *     return docs.sort((a, b) => b.score - a.score);
 *   }
 * }
 * ```
 */
export function traced(
  nameOrOptions?: string | TraceOptions,
  maybeOptions?: TraceOptions,
): <This, Args extends unknown[], Return>(
  method: (this: This, ...args: Args) => Return,
  context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Return>,
) => (this: This, ...args: Args) => Return {
  const fixedName = typeof nameOrOptions === 'string' ? nameOrOptions : undefined;
  const options = typeof nameOrOptions === 'string' ? maybeOptions : nameOrOptions;
  return (method, context) => {
    if (context.kind !== 'method') {
      throw new TypeError(`@traced() decorates methods, not ${String(context.kind)}s`);
    }
    const isStatic = context.static;
    const methodName = context.name;
    return function (this, ...args) {
      const name = fixedName ?? spanName(this, methodName, isStatic);
      return trace(name, () => method.apply(this, args), options);
    };
  };
}
