// How a user's daemon starts: bin/statevisord under the Node flags of its
// `#!/usr/bin/env -S node …` line. `node bin/statevisord` skips that line, so the tests and
// the bench start it with these flags instead, to measure and check what users run.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL(import.meta.url.includes('/dist/scripts/') ? '../../' : '../', import.meta.url));

export const STATEVISORD = `${root}bin/statevisord`;

/** The flags of the `#!` line. */
export const STATEVISORD_FLAGS: readonly string[] =
  /^#!.*\benv -S node\b(.*)$/.exec(readFileSync(STATEVISORD, 'utf8').split('\n', 1)[0])?.[1].trim().split(/\s+/).filter(Boolean) ?? [];

/** Node's arguments that start the daemon as its `#!` line does, with `nodeFlags` after its own. */
export const statevisordArgs = (nodeFlags: readonly string[] = []): string[] => [...STATEVISORD_FLAGS, ...nodeFlags, STATEVISORD];
