// The kinds of receiver, one list for the engine, the routing file and the dashboard's forms (a
// bundle-safe module: no Node imports). What each kind does is its entry in receivers.ts.
export const RECEIVER_KINDS = ['webhook', 'slack', 'pagerduty'] as const;
export type ReceiverKind = (typeof RECEIVER_KINDS)[number];
