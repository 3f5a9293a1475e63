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

export async function startFakeGcs(options = {}) {
  const objects = new Map(); // `${bucket}/${name}` -> { metadata, data }
  const sessions = new Map(); // upload id -> session
  const stats = { sessions: 0, chunks: 0, statusQueries: 0, faults: 0, cancelled: 0, bytes: 0 };
  let generationCounter = 0;
  const server = {
    objects,
    sessions,
    stats,
    /** `{ chunk(info) -> undefined | { status, keep? } }`: info is { session, start, end, last, index }. */
    faults: {},
    /** Every request's method and path, for tests that check what the client asked. */
    log: [],
    /** Sessions storing nothing beyond their bytes: the largest chunk body held at once. */
    largestChunk: 0,
  };

  const key = (bucket, name) => `${bucket}/${name}`;

  function makeObject(session) {
    const data = Buffer.concat(session.parts);
    const crc = new CRC32C();
    crc.update(data);
    generationCounter += 1;
    const generation = String(Date.now() * 1000 + generationCounter);
    const metadata = {
      kind: 'storage#object',
      id: `${session.bucket}/${session.name}/${generation}`,
      name: session.name,
      bucket: session.bucket,
      generation,
      metageneration: '1',
      contentType: session.contentType,
      size: String(data.length),
      md5Hash: createHash('md5').update(data).digest('base64'),
      crc32c: crc.toString(),
      timeCreated: new Date().toISOString(),
      updated: new Date().toISOString(),
    };
    return { metadata, data };
  }

  /** `ifGenerationMatch` as GCS checks it: 0 means "no live object"; otherwise the live object's generation. */
  function preconditionHolds(bucket, name, ifGenerationMatch) {
    if (ifGenerationMatch === undefined || ifGenerationMatch === null) return true;
    const current = objects.get(key(bucket, name));
    if (ifGenerationMatch === '0') return current === undefined;
    return current !== undefined && current.metadata.generation === ifGenerationMatch;
  }

  async function startSession(request, response, bucket, url) {
    const name = url.searchParams.get('name');
    const body = await readBody(request);
    const metadata = body.length > 0 ? JSON.parse(body.toString()) : {};
    if (!name) return apiError(response, 400, 'Required parameter: name');
    const ifGenerationMatch = url.searchParams.get('ifGenerationMatch');
    if (!preconditionHolds(bucket, name, ifGenerationMatch)) {
      return apiError(response, 412, 'At least one of the pre-conditions you specified did not hold.');
    }
    const id = randomUUID();
    stats.sessions += 1;
    sessions.set(id, {
      id,
      bucket,
      name,
      ifGenerationMatch,
      contentType: request.headers['x-upload-content-type'] ?? metadata.contentType ?? 'application/octet-stream',
      parts: [],
      size: 0,
      chunks: 0,
      state: 'open', // open | done | cancelled
      object: undefined,
    });
    const location = new URL(url);
    location.searchParams.set('upload_id', id);
    response.writeHead(200, { location: location.toString(), 'content-length': '0' });
    response.end();
  }

  // `bytes a-b/total`, `bytes a-b/*`, `bytes */total`, `bytes */*`.
  function parseContentRange(header) {
    const match = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(header ?? '');
    if (!match) return undefined;
    const total = match[3] === '*' ? undefined : Number(match[3]);
    if (match[1] === undefined) return { query: true, total };
    return { query: false, start: Number(match[1]), end: Number(match[2]), total };
  }

  function finish(response, session) {
    if (!preconditionHolds(session.bucket, session.name, session.ifGenerationMatch)) {
      session.state = 'cancelled';
      return apiError(response, 412, 'At least one of the pre-conditions you specified did not hold.');
    }
    const object = makeObject(session);
    objects.set(key(session.bucket, session.name), object);
    session.state = 'done';
    session.object = object;
    session.parts = [];
    json(response, 200, object.metadata);
  }

  async function putChunk(request, response, session) {
    const body = await readBody(request);
    server.largestChunk = Math.max(server.largestChunk, body.length);
    const range = parseContentRange(request.headers['content-range']);
    if (session.state === 'cancelled') return apiError(response, 410, 'The upload session was cancelled.');
    if (session.state === 'done') return json(response, 200, session.object.metadata);
    if (!range) return apiError(response, 400, 'Invalid Content-Range.');
    if (range.query) {
      stats.statusQueries += 1;
      if (range.total !== undefined && range.total === session.size) return finish(response, session);
      response.writeHead(308, { ...persisted(session), 'content-length': '0' });
      return response.end();
    }
    if (body.length !== range.end - range.start + 1)
      return apiError(response, 400, 'Content-Range does not match the body.');
    // Bytes before what is persisted were received already (a resent chunk); a gap would lose bytes.
    if (range.start > session.size) return apiError(response, 400, 'Chunk starts past the persisted bytes.');
    const last = range.total !== undefined;
    if (!last && body.length % CHUNK_MULTIPLE !== 0) {
      return apiError(response, 400, 'A chunk other than the last must be a multiple of 256 KiB.');
    }
    stats.chunks += 1;
    session.chunks += 1;
    const fault = server.faults.chunk?.({
      session: session.id,
      start: range.start,
      end: range.end,
      last,
      index: session.chunks,
    });
    if (fault && !fault.keep) {
      stats.faults += 1;
      return apiError(response, fault.status, 'Injected fault: chunk dropped.');
    }
    const fresh = body.subarray(session.size - range.start);
    session.parts.push(fresh);
    session.size += fresh.length;
    stats.bytes += fresh.length;
    if (fault) {
      stats.faults += 1;
      return apiError(response, fault.status, 'Injected fault: chunk kept, reply lost.');
    }
    if (last && range.total === session.size) return finish(response, session);
    response.writeHead(308, { ...persisted(session), 'content-length': '0' });
    response.end();
  }

  function readObject(response, bucket, name, url) {
    const object = objects.get(key(bucket, name));
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

  async function handle(request, response) {
    const url = new URL(request.url, `http://${request.headers.host}`);
    server.log.push(`${request.method} ${url.pathname}`);
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (upload) {
      const bucket = decodeURIComponent(upload[1]);
      const id = url.searchParams.get('upload_id');
      if (request.method === 'POST' && url.searchParams.get('uploadType') === 'resumable') {
        return startSession(request, response, bucket, url);
      }
      const session = id === null ? undefined : sessions.get(id);
      if (!session) return apiError(response, 404, 'No such upload session.');
      if (request.method === 'PUT') return putChunk(request, response, session);
      if (request.method === 'DELETE') {
        session.state = 'cancelled';
        session.parts = [];
        stats.cancelled += 1;
        response.writeHead(499, { 'content-length': '0' });
        return response.end();
      }
      return apiError(response, 405, 'Method not allowed on an upload session.');
    }
    // The JSON API, under /storage/v1 or, as Google's client asks an emulator host, at its root.
    const object = /^(?:\/storage\/v1)?\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    if (object && request.method === 'GET') {
      return readObject(response, decodeURIComponent(object[1]), decodeURIComponent(object[2]), url);
    }
    if (object && request.method === 'DELETE') {
      const deleted = objects.delete(key(decodeURIComponent(object[1]), decodeURIComponent(object[2])));
      if (!deleted) return apiError(response, 404, 'No such object.');
      response.writeHead(204);
      return response.end();
    }
    return apiError(response, 404, `Not found: ${request.method} ${url.pathname}`);
  }

  const http = createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (!response.headersSent) apiError(response, 500, String(error));
      else response.destroy();
    });
  });
  http.listen(options.port ?? 0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address();
  server.url = `http://127.0.0.1:${port}`;
  server.stop = async () => {
    http.closeAllConnections();
    http.close();
    await once(http, 'close');
  };
  return server;
}
