// The part of sax 1.2 (the xmlrpc package's XML parser) that src/rpc/loads.ts uses.
declare module 'sax' {
  interface Tag { name: string; local: string; uri: string; prefix: string }
  interface SAXParser {
    onerror: (e: Error) => void;
    onopentag: (tag: Tag) => void;
    onclosetag: (name: string) => void;
    ontext: (text: string) => void;
    oncdata: (text: string) => void;
    write(chunk: string): SAXParser;
    close(): SAXParser;
  }
  const sax: { parser(strict: boolean, options?: { trim?: boolean; normalize?: boolean; position?: boolean; xmlns?: boolean }): SAXParser };
  export default sax;
}
