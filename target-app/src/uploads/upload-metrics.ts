// Upload instrumentation: sizes of stored images by type and refused uploads by reason, as OTel
// instruments and on the app's prom-client registry.
import type { Meter } from '@opentelemetry/api';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ImageType } from './image-type.ts';

export type UploadRejection = 'too_large' | 'empty' | 'not_an_image' | 'type_mismatch';

export type UploadMetrics = {
  stored(contentType: ImageType, bytes: number): void;
  rejected(reason: UploadRejection): void;
};

/** 1 KiB … 2 MiB (the limit), doubling: avatars are tens to hundreds of KiB. */
export const UPLOAD_SIZE_BUCKETS = Array.from({ length: 12 }, (_, i) => 1024 * 2 ** i);

export function createUploadMetrics(meter: Meter, registry: Registry): UploadMetrics {
  const size = meter.createHistogram('uploads.size', {
    unit: 'By',
    description: 'Size of stored uploads.',
    advice: { explicitBucketBoundaries: UPLOAD_SIZE_BUCKETS },
  });
  const rejected = meter.createCounter('uploads.rejected', {
    unit: '{upload}',
    description: 'Uploads refused, by reason.',
  });
  const promSize = new Histogram({
    name: 'upload_size_bytes',
    help: 'Size of stored uploads.',
    labelNames: ['content_type'],
    buckets: UPLOAD_SIZE_BUCKETS,
    registers: [registry],
  });
  const promRejected = new Counter({
    name: 'upload_rejected_total',
    help: 'Uploads refused, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  return {
    stored(contentType, bytes) {
      size.record(bytes, { 'uploads.content_type': contentType });
      promSize.observe({ content_type: contentType }, bytes);
    },
    rejected(reason) {
      rejected.add(1, { 'uploads.reason': reason });
      promRejected.inc({ reason });
    },
  };
}
