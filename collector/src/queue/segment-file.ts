// The queue's file format: segment files of framed records — magic, payload length, crc32 of the
// payload (little-endian u32 each), then the record as JSON. A frame that is short or fails its
// checksum ends the readable part of a segment (a crash mid-append leaves exactly that). Also
// reading them back: one frame, or every segment of a queue directory on open.
import { closeSync, openSync, readdirSync, readFileSync, readSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export const FRAME_HEADER = 12;
const MAGIC = 0x4f51_4c31; // "OQL1"

export const segmentName = (n: number) => `${String(n).padStart(10, '0')}.seg`;
export const isSegmentName = (file: string) => /^\d{10}\.seg$/.test(file);

/**
 * fsyncs a directory, so a file just created or renamed in it is still there after a power loss:
 * a file's own fsync makes its bytes durable, not its name (POSIX; ext4 happens to do both).
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function encodeFrame(record: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(record));
  const frame = Buffer.allocUnsafe(FRAME_HEADER + payload.length);
  frame.writeUInt32LE(MAGIC, 0);
  frame.writeUInt32LE(payload.length, 4);
  frame.writeUInt32LE(crc32(payload), 8);
  payload.copy(frame, FRAME_HEADER);
  return frame;
}

export interface ScannedFrame<T> {
  offset: number;
  length: number;
  record: T;
}

/** The whole frames of a segment from `offset` on, and whether anything unreadable followed. */
export function scanFrames<T>(data: Buffer, offset: number): { frames: ScannedFrame<T>[]; corrupt: boolean } {
  const frames: ScannedFrame<T>[] = [];
  while (offset + FRAME_HEADER <= data.length) {
    const length = data.readUInt32LE(offset + 4);
    const end = offset + FRAME_HEADER + length;
    if (data.readUInt32LE(offset) !== MAGIC || end > data.length) break;
    const payload = data.subarray(offset + FRAME_HEADER, end);
    if (crc32(payload) !== data.readUInt32LE(offset + 8)) break;
    frames.push({ offset, length: FRAME_HEADER + length, record: JSON.parse(payload.toString('utf8')) as T });
    offset = end;
  }
  return { frames, corrupt: offset < data.length };
}

/** The payload of one frame read back from its segment file. */
export function readFrame<T>(path: string, offset: number, length: number): T {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(length - FRAME_HEADER);
    readSync(fd, buffer, 0, buffer.length, offset + FRAME_HEADER);
    return JSON.parse(buffer.toString('utf8')) as T;
  } finally {
    closeSync(fd);
  }
}

export interface QueuedFrame<T> extends ScannedFrame<T> {
  segment: number;
}

/**
 * Every whole frame of the directory's segments from (segment, offset) on, oldest first; segments
 * before it are deleted (fully replayed). `corrupt` counts segments whose tail was unreadable.
 */
export function scanSegments<T>(
  dir: string,
  from: { segment: number; offset: number },
): { frames: QueuedFrame<T>[]; corrupt: number; lastSegment: number | undefined } {
  const segments = readdirSync(dir)
    .filter(isSegmentName)
    .map((f) => Number(f.slice(0, 10)))
    .sort((a, b) => a - b);
  const frames: QueuedFrame<T>[] = [];
  let corrupt = 0;
  for (const segment of segments) {
    const path = join(dir, segmentName(segment));
    if (segment < from.segment) {
      rmSync(path, { force: true });
      continue;
    }
    const scanned = scanFrames<T>(readFileSync(path), segment === from.segment ? from.offset : 0);
    for (const frame of scanned.frames) frames.push({ ...frame, segment });
    if (scanned.corrupt) corrupt++;
  }
  return { frames, corrupt, lastSegment: segments.at(-1) };
}
