import { InternalError, UserError, type SourcePosition } from '../../errors.js';
import type { Dict, Locator, ModelPath } from '../types.js';
import { withoutMarkers } from './markers.js';
import { problemsFrom, type Problem } from './messages.js';
import { composeFile } from './schema.js';

/**
 * Checks one compose file's data (after interpolation, before canonicalization) against the Compose
 * specification. Throws a UserError for the problem that comes first in the file, pointing at it.
 */
export function validateComposeDict(data: Dict, file: string, locate: Locator): void {
  const { value, originalPath } = withoutMarkers(data);
  const result = composeFile.safeParse(value);
  if (result.success) return;
  const located = problemsFrom(result.error.issues, value).map((problem) => ({
    problem,
    position: locate(originalPath(problem.at)),
  }));
  const first = located.sort((a, b) => comparePositions(a.position, b.position))[0];
  if (!first) throw new InternalError('compose schema rejected the file without saying why');
  throw new UserError(formatProblem(first.problem, originalPath), first.position ?? { file });
}

function formatProblem(problem: Problem, originalPath: (path: ModelPath) => ModelPath): string {
  const path = originalPath(problem.path);
  return path.length > 0 ? `${path.join('.')}: ${problem.message}` : problem.message;
}

/** Earlier in the file first; problems that cannot be located keep their order, after the others. */
function comparePositions(a: SourcePosition | undefined, b: SourcePosition | undefined): number {
  if (!a?.line || !b?.line) return (a?.line ? -1 : 0) - (b?.line ? -1 : 0);
  return a.line - b.line || (a.column ?? 0) - (b.column ?? 0);
}
