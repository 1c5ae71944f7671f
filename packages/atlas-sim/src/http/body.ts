import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors.js';

const MAX_BODY_BYTES = 1024 * 1024;

export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES)
      throw new ApiError(413, 'REQUEST_TOO_LARGE', 'The request body exceeds 1 MiB.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON bodies: empty means none; a non-JSON media type is a 415, malformed JSON a 400. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const contentType = req.headers['content-type'];
  const text = await readText(req);
  if (text.trim() === '') return undefined;
  if (contentType && !/json/i.test(contentType)) {
    throw new ApiError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type ${contentType} is not supported; send JSON.`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'INVALID_JSON', 'The request body is not valid JSON.');
  }
}
