// Items refused while mapping a request to rows (→ OTLP partial_success): how many, the first few
// reasons (the response's message) and how many per sending service (the resource's service.name),
// so every refused item can be attributed to its sender.

export interface Rejections {
  rejected: number;
  rejectReasons: string[];
  /** Refused items per resource service.name ('' when the resource has none). */
  rejectedByService: Record<string, number>;
}

const MAX_REASONS = 5;

export function noRejections(): Rejections {
  return { rejected: 0, rejectReasons: [], rejectedByService: {} };
}

export function addRejection(into: Rejections, service: string, reason: string, n = 1): void {
  into.rejected += n;
  into.rejectedByService[service] = (into.rejectedByService[service] ?? 0) + n;
  if (into.rejectReasons.length < MAX_REASONS) into.rejectReasons.push(reason);
}
