// alert-rules' bundle-safe surface (`alert-rules/model`): what the dashboard's Next bundle may import
// from this package — the engine's refusal of a bad silence or acknowledgement and its guard, the
// kinds of receiver. Nothing
// here (transitively) imports Node-only modules (dashboard/test/bundle-safe-surfaces.test.ts walks
// the import graph); the engine itself reaches the dashboard as an instance, through its services.

export type { ReceiverKind } from './notify/receiver-kind.ts';
export { RECEIVER_KINDS } from './notify/receiver-kind.ts';
export { AlertActionError, isAlertActionError } from './silence/alert-action-error.ts';
export type { AlertStateName } from './state-machine.ts';
