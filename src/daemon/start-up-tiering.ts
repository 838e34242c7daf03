// TurboFan, V8's optimizing compiler, held back while the daemon starts. At a launch of
// 200 programs its compiles cost more CPU than the code they make saves before the launch
// is over, and its first compile brings about 3.6 MB of node's own machine code (the
// compiler's, in node's binary) into the daemon's RSS, with the optimized code beside it
// (bench/README.md: 200 programs idle at 57.5 instead of 62 MB, launch CPU no higher, a
// crash → restart cycle no slower). So the daemon runs on V8's interpreter and Sparkplug
// (its baseline compiler, untouched) until start-up is over, as settle-memory.ts tells
// it: once no process has been STARTING for a quiet moment, or 30 s after the start. A
// daemon kept busy after that (an events listener, XML-RPC clients, programs that flap)
// has TurboFan as before, for the code that gets hot then.
import { setFlagsFromString } from 'node:v8';

/** Flags under which V8 has no TurboFan to give back (--jitless would crash with it). */
const WITHOUT_TURBOFAN = /(^|\s)--(no[-_]opt|no[-_]turbofan|jitless|lite[-_]mode|max[-_]lite[-_]mode)\b/;

let held = false;

/** From the daemon's first step, unless the user's own flags already keep TurboFan off. */
export function holdOptimizer(flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ')): void {
  if (held || WITHOUT_TURBOFAN.test(flags)) return;
  setFlagsFromString('--no-turbofan');
  held = true;
}

/** Start-up is over: TurboFan for what gets hot from now on. */
export function releaseOptimizer(): void {
  if (!held) return;
  held = false;
  setFlagsFromString('--turbofan');
}
