// Argument checking. supervisor calls `func(*params)` and turns the TypeError Python raises
// for a wrong count into INCORRECT_PARAMETERS (2), with no text. For a wrong type Python
// has no uniform answer (often an HTTP 500, sometimes BAD_NAME, sometimes it just works);
// here a value of the wrong XML-RPC type is INCORRECT_PARAMETERS too, except where
// supervisor's own code coerces: flags are tested for truthiness, signals may be numbers,
// offsets and lengths go through int() (so '4' and 4.7 are 4), and sendRemoteCommEvent
// formats whatever it gets with str().
import { Faults, RpcFault } from '../faults.ts';
import { pyStr, pyTruthy } from './pystr.ts';
import type { XmlRpcValue } from './types.ts';

export type Kind = 'string' | 'int' | 'boolean' | 'signal' | 'text' | 'any';

export type KindType<K extends Kind> = K extends 'string' | 'text'
  ? string
  : K extends 'int'
    ? number
    : K extends 'boolean'
      ? boolean
      : K extends 'signal'
        ? string | number
        : XmlRpcValue;

export interface Param<K extends Kind = Kind> {
  readonly name: string;
  readonly kind: K;
  /** Present when the parameter may be left out (Python's `wait=True`). */
  readonly default?: KindType<K>;
}

/** The checked argument tuple a method receives for its parameter list. */
export type ArgsOf<P extends readonly Param[]> = { -readonly [I in keyof P]: P[I] extends Param<infer K> ? KindType<K> : never };

export const param = {
  string: (name: string): Param<'string'> => ({ name, kind: 'string' }),
  int: (name: string): Param<'int'> => ({ name, kind: 'int' }),
  boolean: (name: string, dflt?: boolean): Param<'boolean'> => (dflt === undefined ? { name, kind: 'boolean' } : { name, kind: 'boolean', default: dflt }),
  signal: (name: string): Param<'signal'> => ({ name, kind: 'signal' }),
  text: (name: string): Param<'text'> => ({ name, kind: 'text' }),
  any: (name: string): Param<'any'> => ({ name, kind: 'any' }),
};

const incorrect = (): RpcFault => new RpcFault(Faults.INCORRECT_PARAMETERS);

// int(str): surrounding whitespace, a sign, ASCII digits with single underscores between
const PY_INT = /^[+-]?\d+(?:_\d+)*$/;

/**
 * Python's int() of an offset or length. What int() refuses (a non-numeric string, an
 * infinity) supervisor turns into an HTTP 500; here it is INCORRECT_PARAMETERS.
 */
function pyInt(v: XmlRpcValue): number {
  if (typeof v === 'boolean') return v ? 1 : 0; // a bool is an int in Python
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v) || 0;
  if (typeof v === 'string') {
    const text = v.trim();
    if (PY_INT.test(text)) return Number(text.replaceAll('_', '')) || 0;
  }
  throw incorrect();
}

/** Python's TypeError for a call with too few or too many positional arguments. */
export function checkArity(params: readonly Param[], args: readonly XmlRpcValue[]): void {
  const required = params.filter((p) => p.default === undefined).length;
  if (args.length < required || args.length > params.length) throw incorrect();
}

function coerce(p: Param, v: XmlRpcValue): KindType<Kind> {
  switch (p.kind) {
    case 'string':
      if (typeof v === 'string') return v;
      throw incorrect();
    case 'int':
      return pyInt(v);
    case 'boolean':
      return pyTruthy(v);
    case 'signal':
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v;
      throw incorrect();
    case 'text':
      return pyStr(v);
    case 'any':
      return v;
  }
}

/** The arguments converted to their kinds, defaults filled in; call checkArity first. */
export function coerceArgs<P extends readonly Param[]>(params: P, args: readonly XmlRpcValue[]): ArgsOf<P> {
  return params.map((p, i) => (i < args.length ? coerce(p, args[i]!) : p.default!)) as ArgsOf<P>;
}
