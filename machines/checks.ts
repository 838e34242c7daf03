// Ready and health checks as child actors of a process machine. Each probe's I/O (a TCP
// connect, an HTTP GET, an exec) is the `probe` actor and a passive check (a log line,
// a write on the notification fd) is the `watch` actor, both supplied by src/runtime
// through `.provide()`; the timing is here, as named delays, so the SimulatedClock
// drives it.
//
// Readiness polls until the check passes once, backing off between tries (0.05 s
// doubling to 2 s) and never running two probes at once; `log:` and `fd:` poll nothing.
// Health probes every health_interval while the process is RUNNING and reports each
// result; the process machine counts the failures (process-health.ts).
import { assign, fromCallback, fromPromise, sendParent, setup } from 'xstate';
import type { Check } from '../src/config/ext-lifecycle.ts';
import type { ProcessConfig } from '../src/config/types.ts';

export interface ProbeInput {
  check: Check;
  config: ProcessConfig;
  group: string;
}

export interface WatchInput extends ProbeInput {
  pid: number;
}

/** What a check machine tells its process. */
export type CheckReport =
  | { type: 'READY' }
  /** A readiness try failed; the process keeps the reason for its description and its timeout log. */
  | { type: 'READY_TRY_FAILED'; reason: string }
  | { type: 'HEALTH'; ok: true }
  | { type: 'HEALTH'; ok: false; reason: string };

/** Resolves when the check passes; rejects with an Error whose message says why not. */
export const noProbe = fromPromise<void, ProbeInput>(async () => {
  throw new Error('no probe runtime provided');
});

/** Sends PASSED once when the check passes. */
export const noWatch = fromCallback<{ type: 'never' }, WatchInput, { type: 'PASSED' }>(() => undefined);

/** Polled readiness: first try at once, then 0.05, 0.1, 0.2 … s after each failure, at most 2 s. */
export const READY_POLL_FIRST_MS = 50;
export const READY_POLL_MAX_MS = 2000;
/** A single readiness try gives up after this long (or ready_timeout, if shorter). */
export const READY_TRY_MS = 5000;

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const polled = (c: Check): boolean => c.kind === 'tcp' || c.kind === 'http' || c.kind === 'exec';

export const readinessMachine = setup({
  types: {
    input: {} as WatchInput,
    context: {} as WatchInput & { waitMs: number },
  },
  actors: { probe: noProbe, watch: noWatch },
  delays: {
    poll: ({ context }) => context.waitMs,
    trytimeout: ({ context }) => Math.min(READY_TRY_MS, context.config.statevisor.ready_timeout * 1000),
  },
  guards: { polled: ({ context }) => polled(context.check) },
  actions: {
    passed: sendParent({ type: 'READY' } satisfies CheckReport),
    failed: sendParent((_, p: { reason: string }) => ({ type: 'READY_TRY_FAILED', reason: p.reason }) satisfies CheckReport),
    slower: assign(({ context }) => ({ waitMs: Math.min(READY_POLL_MAX_MS, context.waitMs * 2) })),
  },
}).createMachine({
  id: 'readiness',
  context: ({ input }) => ({ ...input, waitMs: READY_POLL_FIRST_MS / 2 }),
  initial: 'choosing',
  states: {
    choosing: { always: [{ guard: 'polled', target: 'trying' }, { target: 'watching' }] },
    trying: {
      invoke: {
        src: 'probe',
        input: ({ context }) => ({ check: context.check, config: context.config, group: context.group }),
        onDone: { target: 'passed' },
        onError: { target: 'pausing', actions: [{ type: 'failed', params: ({ event }) => ({ reason: reason(event.error) }) }, 'slower'] },
      },
      after: { trytimeout: { target: 'pausing', actions: [{ type: 'failed', params: { reason: 'timed out' } }, 'slower'] } },
    },
    pausing: { after: { poll: 'trying' } },
    watching: {
      invoke: { src: 'watch', input: ({ context }) => context },
      on: { PASSED: 'passed' },
    },
    passed: { type: 'final', entry: 'passed' },
  },
});

export const healthMachine = setup({
  types: { input: {} as ProbeInput, context: {} as ProbeInput },
  actors: { probe: noProbe },
  delays: {
    interval: ({ context }) => context.config.statevisor.health_interval * 1000,
    timeout: ({ context }) => context.config.statevisor.health_timeout * 1000,
  },
  actions: {
    ok: sendParent({ type: 'HEALTH', ok: true } satisfies CheckReport),
    failed: sendParent((_, p: { reason: string }) => ({ type: 'HEALTH', ok: false, reason: p.reason }) satisfies CheckReport),
  },
}).createMachine({
  id: 'health',
  context: ({ input }) => input,
  // The first probe runs as the process becomes RUNNING, the next ones every health_interval.
  initial: 'probing',
  states: {
    probing: {
      invoke: {
        src: 'probe',
        input: ({ context }) => context,
        onDone: { target: 'resting', actions: 'ok' },
        onError: { target: 'resting', actions: { type: 'failed', params: ({ event }) => ({ reason: reason(event.error) }) } },
      },
      after: { timeout: { target: 'resting', actions: { type: 'failed', params: ({ context }) => ({ reason: `timed out after ${context.config.statevisor.health_timeout} s` }) } } },
    },
    resting: { after: { interval: 'probing' } },
  },
});
