'use client';
// Which of the target's /api routes the request faults (latency, jitter, errors) apply to: one
// checkbox per route the target reports; none ticked means every /api route, as the target reads it.

/** How a scope reads on the page: the routes, or every /api route when none is named. */
export function describeScope(routes: readonly string[]): string {
  return routes.length === 0 ? 'every /api route' : routes.join(', ');
}

export function RouteScopeField(props: {
  knownRoutes: readonly string[];
  selected: readonly string[];
  onChange: (routes: string[]) => void;
}) {
  const { knownRoutes, selected, onChange } = props;
  // A scoped route the target no longer lists stays visible, so applying shows the target's refusal.
  const choices = [...knownRoutes, ...selected.filter((r) => !knownRoutes.includes(r))];
  const toggle = (route: string, on: boolean) =>
    onChange(on ? [...selected, route] : selected.filter((r) => r !== route));
  return (
    <fieldset className="field chaos-routes" data-testid="chaos-routes">
      <legend className="field-label">Routes (latency, jitter and errors)</legend>
      <span className="field-hint" data-testid="chaos-routes-hint">
        {selected.length === 0 ? 'none ticked: every /api route' : `${selected.length} ticked`}
      </span>
      <div className="chaos-route-list">
        {choices.map((route) => (
          <label key={route} className="chaos-route">
            <input
              type="checkbox"
              checked={selected.includes(route)}
              onChange={(e) => toggle(route, e.target.checked)}
            />
            <code>{route}</code>
            {knownRoutes.includes(route) ? null : <span className="field-error"> not on the target</span>}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
