// Types for the repository's typecheck: the tests start the server the benchmark also uses.
export interface FakeObject {
  metadata: { name: string; bucket: string; generation: string; size: string; contentType: string; crc32c: string };
  data: Buffer;
}

export interface FakeSession {
  id: string;
  bucket: string;
  name: string;
  size: number;
  chunks: number;
  state: 'open' | 'done' | 'cancelled';
}

export interface ChunkInfo {
  session: string;
  start: number;
  end: number;
  last: boolean;
  /** 1-based, counting every chunk request of the session (resent ones too). */
  index: number;
}

export interface FakeGcs {
  url: string;
  objects: Map<string, FakeObject>;
  sessions: Map<string, FakeSession>;
  stats: { sessions: number; chunks: number; statusQueries: number; faults: number; cancelled: number; bytes: number };
  faults: { chunk?: (info: ChunkInfo) => { status: number; keep?: boolean } | undefined };
  log: string[];
  largestChunk: number;
  stop(): Promise<void>;
}

/** `keepData: false`: objects keep their size and checksums only (their `data` is empty). */
export declare function startFakeGcs(options?: { port?: number; keepData?: boolean }): Promise<FakeGcs>;
