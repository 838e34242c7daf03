/** An exception as the main log's CRIT lines show it: its stack, else its text. */
export const stackOf = (e: unknown): string => (e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));
