// The engine's refusal of a bad silence or acknowledgement request. Recognised by a registered
// symbol, not by class: the dashboard's Next bundle holds its own copy of this module (through the
// bundle-safe `alert-rules/model`), and the engine Node loaded throws the other copy's class.

const ALERT_ACTION_ERROR: unique symbol = Symbol.for('alert-rules.AlertActionError');

/** A bad request about silences or acknowledgements (unknown id, alert not firing, …); nothing changed. */
export class AlertActionError extends Error {
  readonly [ALERT_ACTION_ERROR] = true;
  override name = 'AlertActionError';
}

/** An AlertActionError from any copy of this module. */
export const isAlertActionError = (error: unknown): error is AlertActionError =>
  error instanceof Error && Reflect.get(error, ALERT_ACTION_ERROR) === true;
