// The values an XML-RPC message can carry, as the xmlrpc package's codec reads and writes
// them: <int>/<double> → number, <i8> → string (as supervisor's own unmarshaller does),
// <nil/> → null, <dateTime.iso8601> → Date, <base64> → Buffer (turned into text on the
// way in, as supervisor does), <array> → array, <struct> → object.
export type XmlRpcValue =
  | string
  | number
  | boolean
  | null
  | Date
  | Buffer
  | readonly XmlRpcValue[]
  | { readonly [key: string]: XmlRpcValue };

export type XmlRpcStruct = { readonly [key: string]: XmlRpcValue };

export type Awaitable<T> = T | Promise<T>;

export const isStruct = (v: XmlRpcValue | undefined): v is XmlRpcStruct =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);
