// A local stand-in for the parts of the Google Cloud Storage JSON API that a
// resumable upload uses, faithful to Google's documented protocol
// ("Perform resumable uploads"): a session started by a POST with
// `uploadType=resumable` (its generation preconditions checked there and
// again when the object is made), chunks PUT with `Content-Range`
// (`bytes a-b/*` for more to come, `bytes a-b/N` for the last, non-final
// chunks a multiple of 256 KiB), `308 Resume Incomplete` with the `Range`
// persisted, a status query (`bytes */*`), a DELETE that cancels, and object
// metadata and media reads. The object exists only once its last byte has
// arrived. Checksums (crc32c, md5) are computed as GCS does, since Google's
// client checks them after an upload and deletes an object whose checksum
// differs.
//
// Faults are injected per chunk (`server.faults.chunk`): answer with a status
// after dropping the chunk, or after keeping it (a reply lost on the way back).
//
// `keepData: false` keeps only each object's size and checksums (the
// benchmark's gigabyte uploads).
//
// Plain JavaScript so that both the tests and `npm run bench:records` (a
// Node script) can start it; `fake-gcs-server.d.mts` types it.
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { CRC32C } from '@google-cloud/storage';

const CHUNK_MULTIPLE = 256 * 1024;

function json(response, status, body, headers = {}) {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  response.end(JSON.stringify(body));
}

function apiError(response, status, message) {
  json(response, status, { error: { code: status, message, errors: [{ message, reason: String(status) }] } });
}

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The `Range` header of a 308: what is persisted, `bytes=0-(n-1)`; none when nothing is. */
function persisted(session) {
  return session.size === 0 ? {} : { range: `bytes=0-${session.size - 1}` };
}

const PRECONDITION_FAILED = 'At least one of the pre-conditions you specified did not hold.';
const key = (bucket, name) => `${bucket}/${name}`;

// `bytes a-b/total`, `bytes a-b/*`, `bytes */total`, `bytes */*`.
function parseContentRange(header) {
  const match = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(header ?? '');
  if (!match) return undefined;
  const total = match[3] === '*' ? undefined : Number(match[3]);
  if (match[1] === undefined) return { query: true, total };
  return { query: false, start: Number(match[1]), end: Number(match[2]), total };
}

function incomplete(response, session) {
  response.writeHead(308, { ...persisted(session), 'content-length': '0' });
  response.end();
}

class FakeGcs {
  /** `${bucket}/${name}` -> { metadata, data } */
  objects = new Map();
  /** upload id -> session */
  sessions = new Map();
  stats = { sessions: 0, chunks: 0, statusQueries: 0, faults: 0, cancelled: 0, bytes: 0 };
  /** `{ chunk(info) -> undefined | { status, keep? } }`: info is { session, start, end, last, index }. */
  faults = {};
  /** Every request's method and path, for tests that check what the client asked. */
  log = [];
  /** The largest chunk body received. */
  largestChunk = 0;
  url = '';
  #generations = 0;
  #keepData;
  #http;

  constructor(options) {
    this.#keepData = options.keepData !== false;
    this.#http = createServer((request, response) => {
      this.#handle(request, response).catch((error) => {
        if (!response.headersSent) apiError(response, 500, String(error));
        else response.destroy();
      });
    });
  }

  async listen(port) {
    this.#http.listen(port, '127.0.0.1');
    await once(this.#http, 'listening');
    this.url = `http://127.0.0.1:${this.#http.address().port}`;
  }

  async stop() {
    this.#http.closeAllConnections();
    this.#http.close();
    await once(this.#http, 'close');
  }

  #makeObject(session) {
    this.#generations += 1;
    const generation = String(Date.now() * 1000 + this.#generations);
    const metadata = {
      kind: 'storage#object',
      id: `${session.bucket}/${session.name}/${generation}`,
      name: session.name,
      bucket: session.bucket,
      generation,
      metageneration: '1',
      contentType: session.contentType,
      size: String(session.size),
      md5Hash: session.md5.digest('base64'),
      crc32c: session.crc32c.toString(),
      timeCreated: new Date().toISOString(),
      updated: new Date().toISOString(),
    };
    return { metadata, data: Buffer.concat(session.parts) };
  }

  /** `ifGenerationMatch` as GCS checks it: 0 means "no live object"; otherwise the live object's generation. */
  #preconditionHolds(bucket, name, ifGenerationMatch) {
    if (ifGenerationMatch === undefined || ifGenerationMatch === null) return true;
    const current = this.objects.get(key(bucket, name));
    if (ifGenerationMatch === '0') return current === undefined;
    return current !== undefined && current.metadata.generation === ifGenerationMatch;
  }

  async #startSession(request, response, bucket, url) {
    const name = url.searchParams.get('name');
    const body = await readBody(request);
    const metadata = body.length > 0 ? JSON.parse(body.toString()) : {};
    if (!name) return apiError(response, 400, 'Required parameter: name');
    const ifGenerationMatch = url.searchParams.get('ifGenerationMatch');
    if (!this.#preconditionHolds(bucket, name, ifGenerationMatch)) return apiError(response, 412, PRECONDITION_FAILED);
    const id = randomUUID();
    this.stats.sessions += 1;
    this.sessions.set(id, {
      id,
      bucket,
      name,
      ifGenerationMatch,
      contentType: request.headers['x-upload-content-type'] ?? metadata.contentType ?? 'application/octet-stream',
      parts: [],
      size: 0,
      // Computed as bytes arrive, so that a server keeping no data still reports them.
      crc32c: new CRC32C(),
      md5: createHash('md5'),
      chunks: 0,
      state: 'open', // open | done | cancelled
      object: undefined,
    });
    const location = new URL(url);
    location.searchParams.set('upload_id', id);
    response.writeHead(200, { location: location.toString(), 'content-length': '0' });
    response.end();
  }

  #finish(response, session) {
    if (!this.#preconditionHolds(session.bucket, session.name, session.ifGenerationMatch)) {
      session.state = 'cancelled';
      return apiError(response, 412, PRECONDITION_FAILED);
    }
    const object = this.#makeObject(session);
    this.objects.set(key(session.bucket, session.name), object);
    session.state = 'done';
    session.object = object;
    session.parts = [];
    json(response, 200, object.metadata);
  }

  /** Why a chunk is refused as GCS refuses it, if it is. */
  #chunkProblem(session, range, body) {
    if (body.length !== range.end - range.start + 1) return 'Content-Range does not match the body.';
    // Bytes before what is persisted were received already (a resent chunk); a gap would lose bytes.
    if (range.start > session.size) return 'Chunk starts past the persisted bytes.';
    if (range.total === undefined && body.length % CHUNK_MULTIPLE !== 0) {
      return 'A chunk other than the last must be a multiple of 256 KiB.';
    }
    return undefined;
  }

  #keep(session, range, body) {
    const fresh = body.subarray(session.size - range.start);
    if (this.#keepData) session.parts.push(fresh);
    session.crc32c.update(fresh);
    session.md5.update(fresh);
    session.size += fresh.length;
    this.stats.bytes += fresh.length;
  }

  async #putChunk(request, response, session) {
    const body = await readBody(request);
    this.largestChunk = Math.max(this.largestChunk, body.length);
    const range = parseContentRange(request.headers['content-range']);
    if (session.state === 'cancelled') return apiError(response, 410, 'The upload session was cancelled.');
    if (session.state === 'done') return json(response, 200, session.object.metadata);
    if (!range) return apiError(response, 400, 'Invalid Content-Range.');
    if (range.query) {
      this.stats.statusQueries += 1;
      if (range.total !== undefined && range.total === session.size) return this.#finish(response, session);
      return incomplete(response, session);
    }
    const problem = this.#chunkProblem(session, range, body);
    if (problem) return apiError(response, 400, problem);
    this.stats.chunks += 1;
    session.chunks += 1;
    const last = range.total !== undefined;
    const info = { session: session.id, start: range.start, end: range.end, last, index: session.chunks };
    const fault = this.faults.chunk?.(info);
    if (fault) this.stats.faults += 1;
    if (fault && !fault.keep) return apiError(response, fault.status, 'Injected fault: chunk dropped.');
    this.#keep(session, range, body);
    if (fault) return apiError(response, fault.status, 'Injected fault: chunk kept, reply lost.');
    if (last && range.total === session.size) return this.#finish(response, session);
    return incomplete(response, session);
  }

  #readObject(response, bucket, name, url) {
    const object = this.objects.get(key(bucket, name));
    if (!object) return apiError(response, 404, `No such object: ${bucket}/${name}`);
    if (url.searchParams.get('alt') !== 'media') return json(response, 200, object.metadata);
    response.writeHead(200, {
      'content-type': object.metadata.contentType,
      'content-length': String(object.data.length),
      'x-goog-hash': `crc32c=${object.metadata.crc32c},md5=${object.metadata.md5Hash}`,
      'x-goog-generation': object.metadata.generation,
      'x-goog-stored-content-encoding': 'identity',
    });
    response.end(object.data);
  }

  #session(request, response, bucket, url) {
    if (request.method === 'POST' && url.searchParams.get('uploadType') === 'resumable') {
      return this.#startSession(request, response, bucket, url);
    }
    const id = url.searchParams.get('upload_id');
    const session = id === null ? undefined : this.sessions.get(id);
    if (!session) return apiError(response, 404, 'No such upload session.');
    if (request.method === 'PUT') return this.#putChunk(request, response, session);
    if (request.method !== 'DELETE') return apiError(response, 405, 'Method not allowed on an upload session.');
    session.state = 'cancelled';
    session.parts = [];
    this.stats.cancelled += 1;
    response.writeHead(499, { 'content-length': '0' });
    response.end();
  }

  async #handle(request, response) {
    const url = new URL(request.url, `http://${request.headers.host}`);
    this.log.push(`${request.method} ${url.pathname}`);
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (upload) return this.#session(request, response, decodeURIComponent(upload[1]), url);
    // The JSON API, under /storage/v1 or, as Google's client asks an emulator host, at its root.
    const object = /^(?:\/storage\/v1)?\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    const [bucket, name] = object ? [decodeURIComponent(object[1]), decodeURIComponent(object[2])] : [];
    if (object && request.method === 'GET') return this.#readObject(response, bucket, name, url);
    if (object && request.method === 'DELETE') {
      if (!this.objects.delete(key(bucket, name))) return apiError(response, 404, 'No such object.');
      response.writeHead(204);
      return response.end();
    }
    return apiError(response, 404, `Not found: ${request.method} ${url.pathname}`);
  }
}

/** Starts the server on 127.0.0.1 (a free port unless `port`); `keepData: false` keeps sizes and checksums only. */
export async function startFakeGcs(options = {}) {
  const server = new FakeGcs(options);
  await server.listen(options.port ?? 0);
  return server;
}
