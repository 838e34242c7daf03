// Fuzzing the XML-RPC request parser: 100,000 seeded bodies, random text and valid calls
// mutated (bytes cut, repeated, replaced by XML's awkward pieces: entities, DOCTYPEs, CDATA,
// character references, deep nests), through parseMethodCall as /RPC2 uses it. Every body
// must get an answer as a value (a call or why it is none); nothing may throw out of it.
// FUZZ_SEED=n replays a run fast-check reported.
import fc from 'fast-check';
import * as assert from 'uvu/assert';
import { MalformedCall, parseMethodCall } from '../../src/rpc/codec.ts';
import { suite } from '../harness.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);

type Value = string | number | boolean | Value[] | { [k: string]: Value };

const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'xsmall', withCrossShrink: true },
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.boolean(),
    fc.array(tie('v'), { maxLength: 2 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('v'), { maxKeys: 2 }),
  ),
})).v;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function xml(v: Value): string {
  if (typeof v === 'string') return `<value><string>${esc(v)}</string></value>`;
  if (typeof v === 'number') return `<value><int>${v}</int></value>`;
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (Array.isArray(v)) return `<value><array><data>${v.map(xml).join('')}</data></array></value>`;
  return `<value><struct>${Object.entries(v).map(([k, x]) => `<member><name>${esc(k)}</name>${xml(x)}</member>`).join('')}</struct></value>`;
}

const call = fc
  .tuple(fc.constantFrom('supervisor.getState', 'system.multicall', 'supervisor.readLog', 'x'), fc.array(value, { maxLength: 2 }))
  .map(([m, ps]) => `<?xml version="1.0"?><methodCall><methodName>${m}</methodName><params>${ps.map((p) => `<param>${xml(p)}</param>`).join('')}</params></methodCall>`);

/** What a mutation puts in: XML's sharp edges. */
const NASTY = [
  '<', '>', '&', '&amp;', '&lol;', '&#0;', '&#x110000;', '&#99999999999;', '&#xD800;', ']]>', '<![CDATA[', '<!--', '-->', '<?', '?>',
  '<!DOCTYPE x [<!ENTITY a "&b;&b;&b;"><!ENTITY b "&c;&c;"><!ENTITY c "lol">]>', '<!ENTITY e SYSTEM "file:///etc/passwd">', '&e;',
  'xmlns="urn:x"', '<x:value xmlns:x="urn:y">', '<value>', '</value>', '<int>', '</int>', '<double>nan</double>', '<base64>////</base64>',
  '<dateTime.iso8601>20261399T25:00:00</dateTime.iso8601>', '<nil/>', '<struct><member><name/></member></struct>', '\u0000', '\uFFFE', '\uD800',
];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), n: fc.nat({ max: 40 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), n: fc.nat({ max: 40 }), times: fc.integer({ min: 2, max: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8, unit: 'binary' })) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(body: string, m: Mutation): string {
  const at = body.length ? m.at % (body.length + 1) : 0;
  switch (m.kind) {
    case 'cut': return body.slice(0, at) + body.slice(at + m.n);
    case 'repeat': return body.slice(0, at) + body.slice(at, at + m.n).repeat(m.times) + body.slice(at + m.n);
    case 'insert': return body.slice(0, at) + m.text + body.slice(at);
  }
}

/** Nests around the depth limit (1000), closed or not. */
const deep = fc.tuple(fc.constantFrom(['<value><array><data>', '</data></array></value>'], ['<a>', '</a>'], ['<value>', '</value>']), fc.integer({ min: 300, max: 1100 }), fc.boolean())
  .map(([[open, close], n, closed]) => `<methodCall><methodName>m</methodName><params><param>${open.repeat(n)}${closed ? close.repeat(n) : ''}</param></params></methodCall>`);

const body = fc.oneof(
  { weight: 10, arbitrary: fc.string({ maxLength: 100, unit: 'binary' }) },
  { weight: 10, arbitrary: fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b).toString('latin1')) },
  { weight: 60, arbitrary: fc.tuple(call, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([b, ms]) => ms.reduce(mutate, b)) },
  { weight: 10, arbitrary: call },
  { weight: 1, arbitrary: deep },
);

const test = suite('XML-RPC request parser fuzz', {}, 120_000);

test('100,000 bodies: each a call or a MalformedCall, never an exception', () => {
  const seen = { call: 0, malformed: 0 };
  fc.assert(
    fc.property(body, (text) => {
      const r = parseMethodCall(Buffer.from(text, 'utf8'));
      if (r instanceof MalformedCall) seen.malformed++;
      else if (typeof r.methodName === 'string' && Array.isArray(r.params)) seen.call++;
      else throw new Error(`neither a call nor a MalformedCall: ${JSON.stringify(r)}`);
    }),
    { seed: SEED, numRuns: 100_000 },
  );
  // a fuzz that only ever hits the first check tests little
  assert.ok(seen.call > 10_000 && seen.malformed > 10_000, JSON.stringify(seen));
});

test.run();
