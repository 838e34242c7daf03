// supervisor's log levels (loggers.LevelsByName / LevelsByDescription). The four-letter
// names are what the main log prints; the descriptions are what loglevel= accepts.

export const LevelsByName = {
  CRIT: 50, // messages that probably require immediate user attention
  ERRO: 40,
  WARN: 30,
  INFO: 20,
  DEBG: 10, // at this level child output is copied into the main log
  TRAC: 5,
  BLAT: 3,
} as const;

export type LevelName = keyof typeof LevelsByName;

export const LevelsByDescription = {
  critical: 50,
  error: 40,
  warn: 30,
  info: 20,
  debug: 10,
  trace: 5,
  blather: 3,
} as const;

export type LevelDescription = keyof typeof LevelsByDescription;

const BY_NUMBER = new Map<number, LevelName>(
  (Object.entries(LevelsByName) as [LevelName, number][]).map(([name, n]) => [n, name]),
);

/** LOG_LEVELS_BY_NUM[n]; supervisor raises KeyError for other numbers, we refuse too. */
export function levelName(level: number): LevelName {
  const name = BY_NUMBER.get(level);
  if (!name) throw new RangeError(`no log level numbered ${level}`);
  return name;
}

export const levelNumber = (name: LevelName): number => LevelsByName[name];
