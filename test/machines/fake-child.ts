// An in-memory `child` actor that keeps the contract of process-types.ts without
// spawning anything: the tests' stand-in for src/runtime, and a small executable
// statement of what the real one must do. Time comes from the caller (a SimulatedClock).
import { fromCallback } from 'xstate';
import { LIFECYCLE_DEFAULTS } from '../../src/config/ext-lifecycle.ts';
import type { ProcessConfig } from '../../src/config/types.ts';
import type { ChildInput, ChildReport, ChildRequest } from '../../machines/process-types.ts';

/**
 * What a fake child does with a signal: die of it at once (while the KILL is being
 * handled), die of it `dieAfter` ms later as a real child would, ignore it, or fail to
 * be signalled.
 */
export type KillOutcome = 'die' | 'ignore' | { dieAfter: number } | { fail: string };

interface Live {
  pid: number;
  exit: (r: ChildReport) => void;
}

export interface FakeChildOptions {
  /** Wall-clock ms for `at`; tests pass a base plus the SimulatedClock's now. */
  now: () => number;
  /** Monotonic ms for `mono`; default `now`. An `at` given to exit() moves the wall clock only. */
  mono?: () => number;
  firstPid?: number;
  /** Default for every child: ignore signals, so a test decides when it exits. */
  onKill?: (name: string, signal: number) => KillOutcome;
  /** Runs a callback after ms of simulated time, for `dieAfter`: `clock.setTimeout`. */
  schedule?: (fn: () => void, ms: number) => void;
}

export class FakeChildren {
  readonly spawns: { name: string; group: string; pid: number }[] = [];
  readonly kills: { name: string; pid: number; signal: number; group: boolean }[] = [];
  /** Names whose next spawns fail with this message (supervisor's spawnerr text). */
  readonly spawnErrors = new Map<string, string>();
  /** Names whose child actor throws as it starts, as a broken runtime would. */
  readonly throwing = new Set<string>();
  onKill: (name: string, signal: number) => KillOutcome;
  private readonly live = new Map<string, Live>();
  private nextPid: number;

  constructor(private readonly options: FakeChildOptions) {
    this.nextPid = options.firstPid ?? 1000;
    this.onKill = options.onKill ?? (() => 'ignore');
  }

  /** The actor logic to hand to `processMachine.provide({ actors: { child } })`. */
  readonly logic = fromCallback<ChildRequest, ChildInput, ChildReport>(({ input, sendBack, receive }) => {
    const name = input.config.name;
    if (this.throwing.has(name)) throw new Error('the runtime broke');
    const error = this.spawnErrors.get(name);
    if (error !== undefined) {
      sendBack({ type: 'SPAWN_ERROR', message: error, at: this.options.now(), mono: this.mono() });
      return;
    }
    const pid = this.nextPid++;
    let gone = false;
    const forget = () => { gone = true; if (this.live.get(name)?.pid === pid) this.live.delete(name); };
    // After its exit a child reports nothing more, as the contract asks.
    const exit = (r: ChildReport) => { if (!gone) { forget(); sendBack(r); } };
    this.live.set(name, { pid, exit });
    this.spawns.push({ name, group: input.group, pid });
    receive((req) => {
      this.kills.push({ name, pid, signal: req.signal, group: req.group });
      const outcome = this.onKill(name, req.signal);
      const die = () => exit({ type: 'EXITED', code: null, signal: req.signal, at: this.options.now(), mono: this.mono() });
      if (outcome === 'die') die();
      else if (outcome === 'ignore') return;
      else if ('dieAfter' in outcome) this.schedule(die, outcome.dieAfter);
      else if (!gone) sendBack({ type: 'KILL_FAILED', message: outcome.fail });
    });
    sendBack({ type: 'SPAWNED', pid, at: this.options.now(), mono: this.mono(), age: 0 });
    return forget;
  });

  private mono(): number {
    return (this.options.mono ?? this.options.now)();
  }

  private schedule(fn: () => void, ms: number): void {
    if (!this.options.schedule) throw new Error('FakeChildren: dieAfter needs a schedule option');
    this.options.schedule(fn, ms);
  }

  pidOf(name: string): number | undefined {
    return this.live.get(name)?.pid;
  }

  isAlive(name: string): boolean {
    return this.live.has(name);
  }

  /** The named child exits on its own: `{ code }` or `{ signal }`; `at` defaults to now. */
  exit(name: string, how: { code?: number; signal?: number; core?: boolean; at?: number }): void {
    const live = this.live.get(name);
    if (!live) throw new Error(`fake child ${name} is not running`);
    live.exit({
      type: 'EXITED', code: how.code ?? null, signal: how.signal ?? null, core: how.core, at: how.at ?? this.options.now(), mono: this.mono(),
    });
  }
}

/** A [program:x] with supervisor's defaults (programs.ts), for tests that need one. */
export function programConfig(over: Partial<ProcessConfig> = {}): ProcessConfig {
  return {
    name: 'x', command: '/bin/x', directory: null, umask: null, priority: 999, autostart: true, autorestart: 'unexpected',
    startsecs: 1, startretries: 3, uid: null,
    stdout_logfile: null, stdout_capture_maxbytes: 0, stdout_events_enabled: false, stdout_logfile_backups: 10, stdout_logfile_maxbytes: 0, stdout_syslog: false,
    stderr_logfile: null, stderr_capture_maxbytes: 0, stderr_events_enabled: false, stderr_logfile_backups: 10, stderr_logfile_maxbytes: 0, stderr_syslog: false,
    stopsignal: 15, stopwaitsecs: 10, stopasgroup: false, killasgroup: false, exitcodes: [0], redirect_stderr: false,
    environment: {}, serverurl: null, statevisor: { death_signal: null, environment_file: null, log_format: 'raw', exit_on: null, program: 'x', ...LIFECYCLE_DEFAULTS }, ...over,
  };
}
