// The queue's file format: segment files of framed records — magic, payload length, crc32 of the
// payload (little-endian u32 each), then the record as JSON. A frame that is short or fails its
// checksum ends the readable part of a segment (a crash mid-append leaves exactly that).
import { crc32 } from 'node:zlib';

export const FRAME_HEADER = 12;
const MAGIC = 0x4f51_4c31; // "OQL1"

export const segmentName = (n: number) => `${String(n).padStart(10, '0')}.seg`;
export const isSegmentName = (file: string) => /^\d{10}\.seg$/.test(file);

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
