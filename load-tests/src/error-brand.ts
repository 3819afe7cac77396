// Errors recognised by a registered symbol rather than by their class: the dashboard's Next bundle
// holds its own copy of this package's bundle-safe modules, so an error thrown by the copy Node
// loaded (the launcher's, the results library's) is no `instanceof` the bundled class. Symbol.for
// gives every copy the same brand (`Symbol.for('load-tests.<ClassName>')`, declared in the class's
// module as a `unique symbol` so the class can carry it as a field); each error class exports an
// `is…` guard built on it.

/** Whether `value` is an Error carrying `brand` (set as a `readonly [brand] = true` field). */
export const hasErrorBrand = (value: unknown, brand: symbol): boolean =>
  value instanceof Error && Reflect.get(value, brand) === true;
