import { describe, expect, it } from 'vitest';
import { mediaTypeOf, sniffImageType } from '../../src/uploads/image-type.ts';
import { IMAGES } from './images.ts';

describe('sniffImageType', () => {
  it('recognises JPEG, PNG and WebP by their first bytes', () => {
    expect(sniffImageType(IMAGES.jpeg)).toBe('image/jpeg');
    expect(sniffImageType(IMAGES.png)).toBe('image/png');
    expect(sniffImageType(IMAGES.webp)).toBe('image/webp');
  });

  it('refuses other content, including look-alikes and truncated signatures', () => {
    expect(sniffImageType(Buffer.from('GIF89a\x01\x00\x01\x00'))).toBeUndefined();
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    // A RIFF container that is not WebP (a WAV file).
    expect(sniffImageType(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt '))).toBeUndefined();
    expect(sniffImageType(IMAGES.png.subarray(0, 7))).toBeUndefined();
    expect(sniffImageType(Buffer.from([0xff, 0xd8]))).toBeUndefined();
    expect(sniffImageType(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('mediaTypeOf', () => {
  it('drops parameters and case', () => {
    expect(mediaTypeOf('Image/PNG; charset=binary')).toBe('image/png');
    expect(mediaTypeOf(undefined)).toBe('');
  });
});
