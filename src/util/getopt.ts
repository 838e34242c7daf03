// Python's getopt.getopt, which supervisord and supervisorctl parse their flags with:
// clustered short flags, `-cFILE`, unique-prefix long options, `--` ending options.

export class GetoptError extends Error {
  override name = 'GetoptError';
}

/** `shorts` as getopt takes it ("hc:n"), `longs` likewise (["help", "configuration="]). */
export function getopt(args: string[], shorts: string, longs: string[]): { opts: [string, string][]; args: string[] } {
  const opts: [string, string][] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const [full, takesArg] = matchLong(name, longs);
      let value: string | undefined = eq < 0 ? undefined : a.slice(eq + 1);
      if (takesArg && value === undefined) {
        if (i + 1 >= args.length) throw new GetoptError(`option --${full} requires argument`);
        value = args[++i];
      } else if (!takesArg && value !== undefined) throw new GetoptError(`option --${full} must not have an argument`);
      opts.push([`--${full}`, value ?? '']);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      const at = shorts.indexOf(c);
      if (at < 0 || c === ':') throw new GetoptError(`option -${c} not recognized`);
      if (shorts[at + 1] !== ':') { opts.push([`-${c}`, '']); continue; }
      let value = a.slice(j + 1);
      if (!value) {
        if (i + 1 >= args.length) throw new GetoptError(`option -${c} requires argument`);
        value = args[++i];
      }
      opts.push([`-${c}`, value]);
      break;
    }
  }
  return { opts, args: args.slice(i) };
}

function matchLong(name: string, longs: string[]): [string, boolean] {
  if (longs.includes(name)) return [name, false];
  if (longs.includes(`${name}=`)) return [name, true];
  const candidates = longs.filter((l) => l.startsWith(name));
  if (!candidates.length) throw new GetoptError(`option --${name} not recognized`);
  const exact = candidates.find((l) => l === name || l === `${name}=`);
  if (!exact && candidates.length > 1) throw new GetoptError(`option --${name} not a unique prefix`);
  const chosen = exact ?? candidates[0];
  return chosen.endsWith('=') ? [chosen.slice(0, -1), true] : [chosen, false];
}
