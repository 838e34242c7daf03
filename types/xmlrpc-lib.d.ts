// The xmlrpc package's own codec, deep-imported (the package has no exports map), for the
// client side of listeners/rpc.ts; the daemon reads and writes XML-RPC with src/rpc
// (loads.ts, marshal.ts). Both files are CommonJS: ESM code takes module.exports as the
// default import.
declare module 'xmlrpc/lib/serializer.js' {
  const serializer: {
    serializeMethodCall(method: string, params?: readonly unknown[], encoding?: string): string;
  };
  export = serializer;
}

declare module 'xmlrpc/lib/deserializer.js' {
  import type { Readable } from 'node:stream';

  class Deserializer {
    constructor(encoding?: string);
    deserializeMethodResponse(stream: Readable, callback: (error: Error | null | undefined, value?: unknown) => void): void;
  }
  export = Deserializer;
}
