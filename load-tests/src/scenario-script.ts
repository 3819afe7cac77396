// Where a scenario's k6 script is on disk: beside this package's sources, under k6/scenarios.
// Node-only (a file path from this module's URL), so it stays out of the catalogue, which the
// dashboard's bundle imports.
import { fileURLToPath } from 'node:url';
import type { ScenarioDefinition } from './scenario-catalogue.ts';

/** Absolute path of the scenario's k6 script. */
export const scenarioScript = (scenario: Pick<ScenarioDefinition, 'file'>): string =>
  fileURLToPath(new URL(`../k6/scenarios/${scenario.file}`, import.meta.url));
