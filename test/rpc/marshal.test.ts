// Responses as Python's xmlrpc.client.dumps(methodresponse=True) writes them, compared
// byte for byte with the installed Python, faults and refusals included.
import { execFileSync } from 'node:child_process';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { CannotMarshal, marshalFault, marshalResponse, StructArrayMarshaller } from '../../src/rpc/marshal.ts';
import type { XmlRpcStruct, XmlRpcValue } from '../../src/rpc/types.ts';
import { PYTHON } from './helpers.ts';

const test = suite('marshal');

// Each case as JSON for Python; {"$bytes": "..."} and {"$date": [y, m, d, H, M, S]} stand for what JSON lacks.
const PY = `
import datetime, json, sys, xmlrpc.client as x
def decode(v):
    if isinstance(v, dict) and '$bytes' in v: return x.Binary(v['$bytes'].encode('latin1'))
    if isinstance(v, dict) and '$date' in v: return datetime.datetime(*v['$date'])
    if isinstance(v, list): return [decode(i) for i in v]
    if isinstance(v, dict): return {k: decode(i) for k, i in v.items()}
    return v
out = []
for case in json.load(sys.stdin):
    if isinstance(case, dict) and '$fault' in case:
        out.append(x.dumps(x.Fault(*case['$fault']), methodresponse=True))
    else:
        out.append(x.dumps((decode(case),), methodresponse=True))
print(json.dumps(out))
`;

const CASES: unknown[] = [
  'text', '', 'a<b & c>d ]]> "q" \'s\'', 'é ✓ 😀', 'tab\there\nnew\rline', 0, -1, 2 ** 31 - 1, -(2 ** 31), 1.5, -0.25, 1e-7, 1.5e-300, 123.456, true, false,
  [], {}, [1, 'two', [3, [4]], { five: 5 }],
  { name: 'cat', group: 'cat', pid: 123, description: 'pid 123, uptime 0:00:01', 'a<&>': true },
  [{ faultCode: 10, faultString: 'BAD_NAME: nope' }, 'ok', [['added'], [], []]],
  { $bytes: 'hello'.repeat(30) }, { $date: [2020, 1, 2, 3, 4, 5] },
  { $fault: [10, 'BAD_NAME: <nope> & co'] },
];

function ours(c: unknown): string {
  const o = c as Record<string, unknown>;
  if (o && typeof o === 'object' && '$fault' in o) {
    const [faultCode, faultString] = o.$fault as [number, string];
    return marshalFault({ faultCode, faultString }).toString('utf8');
  }
  const revive = (v: unknown): XmlRpcValue => {
    if (Array.isArray(v)) return v.map(revive);
    if (v && typeof v === 'object') {
      const r = v as Record<string, unknown>;
      if ('$bytes' in r) return Buffer.from(r.$bytes as string, 'latin1');
      if ('$date' in r) { const [y, m, d, H, M, S] = r.$date as number[]; return new Date(y!, m! - 1, d, H, M, S); }
      return Object.fromEntries(Object.entries(r).map(([k, x]) => [k, revive(x)]));
    }
    return v as XmlRpcValue;
  };
  return marshalResponse(revive(c)).toString('utf8');
}

test('every kind of value, byte for byte as Python writes it', () => {
  const theirs = JSON.parse(execFileSync(PYTHON, ['-c', PY], { input: JSON.stringify(CASES), encoding: 'utf8' })) as string[];
  CASES.forEach((c, i) => assert.is(ours(c), theirs[i], JSON.stringify(c)));
});

test('what Python refuses or XML cannot carry is refused: the server answers 500', () => {
  for (const v of [2 ** 31, -(2 ** 31) - 1, null, ['\x1b[31m'], { k: 'a\x00' }, '\ud800']) {
    assert.throws(() => marshalResponse(v as XmlRpcValue), (e: unknown) => e instanceof CannotMarshal, JSON.stringify(v));
  }
  const loop: XmlRpcValue[] = [];
  loop.push(loop);
  assert.throws(() => marshalResponse(loop), /recursive/);
});

test('documents larger than the buffer it starts with, multi-byte text across its growth', () => {
  for (const text of ['x'.repeat(70_000), 'é✓😀'.repeat(40_000), 'a'.repeat(9 * 1024 * 1024)]) {
    const expected = `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n<value><string>${text}</string></value>\n<value><int>1</int></value>\n</data></array></value>\n</param>\n</params>\n</methodResponse>\n`;
    assert.ok(marshalResponse([text, 1]).equals(Buffer.from(expected)), `${text.length} units`);
  }
  assert.is(marshalResponse('small').toString(), "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><string>small</string></value>\n</param>\n</params>\n</methodResponse>\n");
});

test('a frozen value is written once and its bytes reused; anything else each time', () => {
  const frozen = Object.freeze([Object.freeze({ name: 'cat', pid: 1 })]);
  assert.ok(marshalResponse(frozen) === marshalResponse(frozen));
  const open = [{ name: 'cat', pid: 1 }];
  const first = marshalResponse(open);
  open[0]!.pid = 2;
  assert.not.ok(first === marshalResponse(open));
  assert.match(marshalResponse(open).toString('utf8'), /<int>2<\/int>/);
});

test('StructArrayMarshaller: each response the bytes marshalResponse writes for the same array, runs kept or not', () => {
  const m = new StructArrayMarshaller([['name', 'pid'], ['now'], ['description']]);
  const plain = (v: XmlRpcValue) => marshalResponse(JSON.parse(JSON.stringify(v)) as XmlRpcValue).toString('utf8');
  const adopted = (v: XmlRpcStruct[]) => {
    const frozen = Object.freeze(v.map((x) => Object.freeze(x)));
    m.adopt(frozen);
    return marshalResponse(frozen).toString('utf8');
  };
  const procs = (now: number, pid: number): XmlRpcStruct[] => [
    { name: 'a<b', pid, now, description: `pid ${pid}, uptime ${now}` },
    { name: 'b', pid: 0, now, description: 'Not started' },
  ];
  for (const v of [procs(1, 10), procs(1, 10), procs(2, 10), procs(2, 11), procs(3, 11).slice(1), procs(4, 12)]) assert.is(adopted(v), plain(v));
  // another shape, a nested value, more structs than before: marshalled as any value is
  const odd: XmlRpcStruct[] = [{ pid: 1, name: 'x', now: 1, description: '' }, { name: 'n', pid: 1, now: 1, description: '', extra: true }, { name: 'l', pid: 2, now: [1, 2], description: 'd' }];
  assert.is(adopted(odd), plain(odd));
  // a run the struct before had too is copied from it, not across a struct of another shape
  const around: XmlRpcStruct[] = [procs(7, 16)[0]!, odd[1]!, procs(7, 16)[1]!, { name: 'c', pid: 0, now: 7, description: 'Not started' }];
  assert.is(adopted(around), plain(around));
  assert.is(adopted(around.map((x) => ({ ...x }))), plain(around));
  const nested: XmlRpcValue[] = [5];
  const withNested: XmlRpcStruct[] = [{ name: 'l', pid: 2, now: nested, description: 'd' }];
  assert.is(adopted(withNested), plain(withNested));
  nested.push(6);
  assert.is(adopted(withNested), plain(withNested), 'an array is never taken for the same');
  assert.throws(() => m.adopt([{ name: 'open' }]), /not frozen/);
  const bad = Object.freeze([Object.freeze({ name: 'a\x00', pid: 1, now: 1, description: '' })]);
  m.adopt(bad);
  assert.throws(() => marshalResponse(bad), (e: unknown) => e instanceof CannotMarshal);
  // what a failed response had written by then is not taken for the last response's
  assert.is(adopted(procs(5, 13)), plain(procs(5, 13)));
  const halfBad = Object.freeze([Object.freeze(procs(5, 14)[0]!), Object.freeze({ name: 'a\x00', pid: 1, now: 5, description: '' })]);
  m.adopt(halfBad);
  assert.throws(() => marshalResponse(halfBad), (e: unknown) => e instanceof CannotMarshal);
  for (const v of [procs(5, 14), procs(5, 14), [...procs(6, 14), ...procs(6, 15)]]) assert.is(adopted(v), plain(v));
});

test.run();
