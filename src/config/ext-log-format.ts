// `log_format` in [program:x] (its stdout and stderr log files, /dev/stdout included) and
// `logformat` in [supervisord] (the main log). Formatting is done by src/logs/line-format.ts
// and src/logs/log-format.ts; here only the names.
import { ConfigValueError } from './errors.ts';
import { pyRepr } from './pyrepr.ts';

/** raw: the child's bytes as supervisor writes them; the others one record per line. */
export type ChildLogFormat = 'raw' | 'timestamped' | 'json';
/** text: supervisor's `asctime LEVEL message`; json: one object per record. */
export type MainLogFormat = 'text' | 'json';

const CHILD_FORMATS: readonly ChildLogFormat[] = ['raw', 'timestamped', 'json'];
const MAIN_FORMATS: readonly MainLogFormat[] = ['text', 'json'];

function oneOf<T extends string>(names: readonly T[]): (value: string) => T {
  return (value) => {
    const v = value.trim().toLowerCase();
    const found = names.find((n) => n === v);
    if (found === undefined) throw new ConfigValueError(`value ${pyRepr(value)} is not one of ${names.join(', ')}`);
    return found;
  };
}

export const childLogFormat = oneOf(CHILD_FORMATS);
export const mainLogFormat = oneOf(MAIN_FORMATS);
