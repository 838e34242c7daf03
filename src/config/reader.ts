// supervisor's UnhosedConfigParser.saneget: an option's value (or a default), %-expanded
// with the parser-wide ENV_* names plus the caller's.
import type { ConfigHost } from './host.ts';
import type { RawConfig } from './parser.ts';
import { expand } from './pyformat.ts';

export type Expansions = Record<string, string | number>;

export class Reader {
  // Merged expansion maps, per caller map. Caller maps are never changed after first use.
  private merged = new WeakMap<Expansions, Expansions>();

  constructor(
    readonly raw: RawConfig,
    /** Shared and mutable, as in supervisor: [supervisord] environment= adds to it. */
    private readonly envExpansions: Expansions,
    readonly host: ConfigHost,
    readonly here: string,
    readonly configfile: string,
  ) {}

  /** The option's expanded value; `fallback` (unexpanded unless a string) when absent. */
  get<D extends string | null>(section: string, option: string, fallback: D, expansions: Expansions = {}, doExpand = true): string | D {
    const value = this.raw.get(section, option);
    if (value === undefined) return fallback === null || !doExpand ? fallback : this.expand(fallback, expansions, section, option);
    return doExpand ? this.expand(value, expansions, section, option) : value;
  }

  private expand(value: string, expansions: Expansions, section: string, option: string): string {
    // A value without '%' comes back unchanged, and most values have none.
    if (!value.includes('%')) return value;
    let all = this.merged.get(expansions);
    if (!all) this.merged.set(expansions, (all = { ...this.envExpansions, ...expansions }));
    return expand(value, all, `${section}.${option}`);
  }

  /** The ENV_* names every section sees; [supervisord] environment= adds to them. */
  get env(): Readonly<Expansions> {
    return this.envExpansions;
  }

  addEnv(name: string, value: string): void {
    this.envExpansions[`ENV_${name}`] = value;
    this.merged = new WeakMap();
  }
}
