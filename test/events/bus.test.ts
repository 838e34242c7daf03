// The bus: pools hear each event at once and in order; watchers later, never in the way.
import * as assert from 'uvu/assert';
import { EventBus, SerialCounter } from '../../src/events/bus.ts';
import { remoteCommunicationEvent } from '../../src/events/event.ts';
import { suite } from '../harness.ts';

const B = suite('events/bus');

B('events$ is synchronous and in subscription order; watch$ hands over after the publisher returns', async () => {
  const bus = new EventBus();
  const seen: string[] = [];
  bus.events$.subscribe((e) => seen.push(`pool1 ${e.payload}`));
  bus.events$.subscribe((e) => seen.push(`pool2 ${e.payload}`));
  bus.watch$.subscribe((e) => seen.push(`watcher ${e.payload}`));
  bus.publish(remoteCommunicationEvent('t', 'a'));
  seen.push('published');
  assert.equal(seen, ['pool1 type:t\na', 'pool2 type:t\na', 'published']);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(seen.at(-1), 'watcher type:t\na');
});

B('serials start at 0, as new_serial from -1', () => {
  const s = new SerialCounter();
  assert.equal([s.next(), s.next(), s.next()], [0, 1, 2]);
});

B.run();
