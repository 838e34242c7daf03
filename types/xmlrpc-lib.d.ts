// The xmlrpc package's own codec, deep-imported (the package has no exports map) because
// its server cannot be mounted on ours (libraries.md §0.2). Both files are CommonJS: ESM
// code takes module.exports as the default import.
declare module 'xmlrpc/lib/serializer.js' {
  const serializer: {
    serializeMethodCall(method: string, params?: readonly unknown[], encoding?: string): string;
    serializeMethodResponse(value: unknown): string;
    serializeFault(fault: { faultCode: number; faultString: string }): string;
  };
  export = serializer;
}

declare module 'xmlrpc/lib/deserializer.js' {
  import type { Readable } from 'node:stream';

  class Deserializer {
    constructor(encoding?: string);
    deserializeMethodCall(
      stream: Readable,
      callback: (error: Error | null | undefined, methodName?: string, params?: unknown[]) => void,
    ): void;
    deserializeMethodResponse(stream: Readable, callback: (error: Error | null | undefined, value?: unknown) => void): void;
  }
  export = Deserializer;
}

declare module 'xmlrpc/lib/customtype.js' {
  /** A value the serializer writes as `<tagName>raw</tagName>`, the text escaped. */
  class CustomType {
    constructor(raw: string);
    raw: string;
    tagName: string;
  }
  export = CustomType;
}
