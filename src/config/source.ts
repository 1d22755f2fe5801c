/**
 * Reads one config file without ever blocking on it: opened non-blocking, checked to be a regular
 * file on the open descriptor (so a FIFO or device swapped in after the directory listing is still
 * refused), and read up to the byte cap.
 */
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { MAX_CONFIG_BYTES } from './limits.js';

export type SourceText = { ok: true; text: string } | { ok: false; message: string };

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}

const tooLarge: SourceText = { ok: false, message: `file is larger than ${MAX_CONFIG_BYTES} bytes` };

async function readCapped(handle: FileHandle): Promise<SourceText> {
  const info = await handle.stat();
  if (!info.isFile()) return { ok: false, message: `not a regular file or directory (${kindOf(info)})` };
  if (info.size > MAX_CONFIG_BYTES) return tooLarge;
  // One byte more than the cap: a file that grew while being read is still caught.
  const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
  let length = 0;
  while (length < buffer.length) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  if (length > MAX_CONFIG_BYTES) return tooLarge;
  return { ok: true, text: buffer.toString('utf8', 0, length) };
}

function readError(err: unknown): SourceText {
  const reason = err instanceof Error && 'code' in err ? String(err.code) : 'read error';
  return { ok: false, message: `cannot read file (${reason})` };
}

export async function readConfigSource(file: string): Promise<SourceText> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return readError(err);
  }
  try {
    return await readCapped(handle);
  } catch (err) {
    return readError(err);
  } finally {
    await handle.close();
  }
}
