// Request bodies read as supervisor 4.2.5's own loader reads them
// (supervisor_xmlrpc_handler.loads, run here in Debian's Python), odd ones above all:
// unknown type tags, <nil/>, missing parts, text where elements should be.
import { execFileSync } from 'node:child_process';
import * as assert from 'uvu/assert';
import { suite } from '../harness.ts';
import { loads, Unmarshallable } from '../../src/rpc/loads.ts';
import type { XmlRpcValue } from '../../src/rpc/types.ts';
import { PYTHON } from './helpers.ts';

const test = suite('loads');

// Values as JSON both sides can write: datetimes as ISO text, floats that JSON lacks as text.
const PY = `
import datetime, json, math, sys
from supervisor.xmlrpc import supervisor_xmlrpc_handler
h = supervisor_xmlrpc_handler.__new__(supervisor_xmlrpc_handler)
def enc(v):
    if isinstance(v, datetime.datetime): return {'$date': v.strftime('%Y-%m-%dT%H:%M:%S')}
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)): return {'$float': repr(v)}
    if isinstance(v, float) and v.is_integer(): return int(v)  # a JS number cannot say 2.0
    if isinstance(v, float): return {'$float': repr(v)}
    if isinstance(v, (list, tuple)): return [enc(x) for x in v]
    if isinstance(v, dict): return {str(k): enc(x) for k, x in v.items()}
    return v
out = []
for body in json.load(sys.stdin):
    try:
        params, method = h.loads(body)
        out.append({'method': method or None, 'params': None if params is None else enc(params)})
    except Exception:
        out.append('unmarshallable')
print(json.dumps(out))
`;

function enc(v: XmlRpcValue): unknown {
  if (v instanceof Date) {
    const p = (n: number) => String(n).padStart(2, '0');
    return { $date: `${v.getFullYear()}-${p(v.getMonth() + 1)}-${p(v.getDate())}T${p(v.getHours())}:${p(v.getMinutes())}:${p(v.getSeconds())}` };
  }
  if (typeof v === 'number' && !Number.isInteger(v)) return { $float: Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v) };
  if (Array.isArray(v)) return v.map(enc);
  if (v && typeof v === 'object' && !Buffer.isBuffer(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, enc(x)]));
  return v;
}

const call = (params: string, name = 'supervisor.getPID') => `<?xml version="1.0"?><methodCall><methodName>${name}</methodName><params>${params}</params></methodCall>`;
const one = (value: string) => call(`<param><value>${value}</value></param>`);

const BODIES = [
  call(''), '<methodCall><methodName>a.b</methodName></methodCall>', '<methodCall><params/></methodCall>', '<methodCall><methodName></methodName></methodCall>',
  '<foo><methodName>a.b</methodName><params><param><value>x</value></param></params></foo>', '', 'hello', '<a/><b/>', '<methodCall><methodName>x.y',
  '<methodCall><methodName>first</methodName><methodName>second</methodName></methodCall>',
  one('plain text'), one(''), one('<string></string>'), one('<string>a &amp; b &lt; &#233; &#x2713;</string>'), one('<![CDATA[<raw> & ]]>'),
  one('<int>42</int>'), one('<i4> -7 </i4>'), one('<int>1_000</int>'), one('<int>x</int>'), one('<int></int>'), one('<int>1.5</int>'),
  one('<i8>123456789012</i8>'), one('<foo>bar</foo>'), one('<nil/>'), one('<ex:nil/>'), one('<ex:nil xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions"/>'), '<methodCall xmlns="urn:x"><methodName>a.b</methodName></methodCall>',
  one('<boolean>1</boolean>'), one('<boolean>0</boolean>'), one('<boolean>true</boolean>'), one('<boolean/>'),
  one('<double>1.5</double>'), one('<double> -2 </double>'), one('<double>1e3</double>'), one('<double>.5</double>'), one('<double>inf</double>'), one('<double>x</double>'),
  one('<dateTime.iso8601>20200102T03:04:05</dateTime.iso8601>'), one('<dateTime.iso8601>2020-01-02</dateTime.iso8601>'), one('<dateTime.iso8601>20201302T03:04:05</dateTime.iso8601>'),
  one('<base64>aGVsbG8=</base64>'), one('<base64></base64>'), one('<base64>/w==</base64>'), one('<base64>a</base64>'),
  one('<array><data><value><int>1</int></value><value>two</value><value><array><data/></array></value></data></array>'), one('<array></array>'), one('<array><data></data></array>'),
  one('<struct><member><name>a</name><value><int>1</int></value></member><member><name></name><value>x</value></member></struct>'),
  one('<struct><member><name>a</name></member></struct>'), one('<struct></struct>'), one('<struct><member><name>a</name><value>1</value></member><member><name>a</name><value>2</value></member></struct>'),
  one('\n  <string>a</string>\n  '), one('<string>a</string><string>b</string>'), call('<param></param>'), call('<param>text</param>'),
  call('<param><value><int>1</int></value></param><param><value><string>two</string></value></param>'),
  `<?xml version="1.0"?>\n<methodCall>\n  <methodName>supervisor.startProcess</methodName>\n  <params>\n    <param>\n      <value><string>cat</string></value>\n    </param>\n  </params>\n</methodCall>\n`,
  '<methodCall><methodName>a.b</methodName><params><param><value><int>1</int></value></param></params></methodCall>junk',
  '<methodCall><methodName>a.b</methodName><params><param><value><unclosed></value></param></params></methodCall>',
  '<methodCall><methodName>constructor</methodName><params><param><value><toString>x</toString></value></param></params></methodCall>',
];

test('every body reads as supervisor reads it, or fails where it fails', () => {
  const theirs = JSON.parse(execFileSync(PYTHON, ['-c', PY], { input: JSON.stringify(BODIES), encoding: 'utf8' })) as unknown[];
  BODIES.forEach((body, i) => {
    let ours: unknown;
    try {
      const r = loads(body);
      ours = { method: r.methodName, params: r.params === null ? null : enc(r.params) };
    } catch (e) {
      if (!(e instanceof Unmarshallable)) throw e;
      ours = 'unmarshallable';
    }
    assert.equal(ours, theirs[i], body);
  });
});

test.run();
