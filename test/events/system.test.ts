// The event system's listener machines and inspection: XState builds inspection events
// only for an observed system, so the listeners are inspected only while someone watches
// (a web page open), including the spawns made meanwhile.
import { PassThrough } from 'node:stream';
import * as assert from 'uvu/assert';
import type { InspectionEvent } from 'xstate';
import type { GroupConfig } from '../../src/config/types.ts';
import { EventBus } from '../../src/events/bus.ts';
import { ListenerChannel } from '../../src/events/listener-channel.ts';
import { EventSystem } from '../../src/events/system.ts';
import { programConfig } from '../machines/fake-child.ts';
import { suite } from '../harness.ts';

const S = suite('events/system');

const config: GroupConfig = {
  name: 'p', kind: 'eventlistener', priority: -1, processes: [programConfig({ name: 'l' })],
  supervision: { strategy: 'one_for_one', max_restarts: null, restart_window: 0 },
  events: ['EVENT'], buffer_size: 10, result_handler: 'supervisor.dispatchers:default_handler',
};

S('listener machines are inspected while watched, new spawns too, and not after', () => {
  const events = new EventSystem({ bus: new EventBus(), identifier: 'sup', log: () => {}, poolConfig: (n) => (n === 'p' ? config : undefined) });
  const seen: string[] = [];
  const observer = {
    next: (e: InspectionEvent) => {
      if (e.type !== '@xstate.microstep') return;
      const snap = e.snapshot as { value?: unknown; status: string };
      seen.push(`${snap.status} ${String(snap.value)}`);
    },
  };
  const first = events.attachListener('p', 'l', 100, new ListenerChannel({ stdin: new PassThrough(), stdinFd: -1 }))!;
  first(Buffer.from('READY'));
  const unwatch = events.inspectListeners(observer);
  assert.ok(events.listenerActor('listener:p:l'), 'the live machine is found by its key');
  first(Buffer.from('\n'));
  assert.equal(seen, ['active READY']);
  // a new spawn while watched: its predecessor is stopped (seen), the new one watched
  const second = events.attachListener('p', 'l', 101, new ListenerChannel({ stdin: new PassThrough(), stdinFd: -1 }))!;
  second(Buffer.from('READY\n'));
  assert.equal(seen, ['active READY', 'stopped READY', 'active READY']);
  unwatch();
  const third = events.attachListener('p', 'l', 102, new ListenerChannel({ stdin: new PassThrough(), stdinFd: -1 }))!;
  third(Buffer.from('READY\n'));
  assert.equal(seen.length, 3, 'nothing once the watch ended: not the stop of the second, not the third');
  assert.is(events.listenerActor('listener:p:x'), undefined);
  events.close();
});

S.run();
