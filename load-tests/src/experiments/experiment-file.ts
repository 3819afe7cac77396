// Reads an experiment definition file (YAML) and validates it; errors name the file and the field.
import { readFile } from 'node:fs/promises';
import { type ExperimentDefinition, ExperimentDefinitionError, parseExperimentYaml } from './definition.ts';

export async function loadExperimentFile(path: string): Promise<ExperimentDefinition> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ExperimentDefinitionError(path, [{ field: 'file', message: `cannot be read (${code})` }]);
  }
  return parseExperimentYaml(text, path);
}
