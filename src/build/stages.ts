/**
 * A Dockerfile's stages: the ARGs before the first FROM, then one stage per FROM. The target (a named stage, or
 * the last) decides which stages run: those it depends on through FROM <stage>, COPY --from and RUN --mount from=.
 */
import { UserError } from '../errors.js';
import type { Dockerfile, RawInstruction } from './dockerfile/parse.js';

export interface Stage {
  index: number;
  name: string | undefined; // lower-cased, as Docker compares them
  from: RawInstruction;
  baseText: string; // the FROM argument as written (before expansion)
  platform: string | undefined;
  instructions: RawInstruction[];
}

export interface StagePlan {
  globalArgs: RawInstruction[];
  stages: Stage[];
  target: Stage;
}

export function planStages(dockerfile: Dockerfile, target: string | undefined, file: string): StagePlan {
  const globalArgs: RawInstruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of dockerfile.instructions) {
    if (instruction.keyword === 'FROM') {
      stages.push(stageOf(instruction, stages.length, file));
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new UserError(`no build stage in current context`, { file, line: instruction.line });
      globalArgs.push(instruction);
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  if (stages.length === 0) throw new UserError('no build stage in current context', { file });
  const chosen = target === undefined || target === '' ? stages.at(-1)! : stages.find((s) => s.name === target.toLowerCase());
  if (!chosen) throw new UserError(`target stage "${target}" could not be found`, { file });
  return { globalArgs, stages, target: chosen };
}

function stageOf(from: RawInstruction, index: number, file: string): Stage {
  const words = from.args.split(/\s+/).filter(Boolean);
  let name: string | undefined;
  if (words.length === 3 && words[1]!.toLowerCase() === 'as') name = words[2]!.toLowerCase();
  else if (words.length !== 1) throw new UserError('FROM requires either one or three arguments', { file, line: from.line });
  if (name !== undefined && !/^[a-z][a-z0-9-_.]*$/.test(name)) throw new UserError(`invalid name for build stage: "${name}", name can't start with a number or contain symbols`, { file, line: from.line });
  const platform = from.flags.find((f) => f.name === 'platform')?.value;
  return { index, name, from, baseText: words[0]!, platform, instructions: [] };
}

/** A stage named by `--from=` or FROM: by name, or by index when numeric and earlier. */
export function findStage(plan: StagePlan, ref: string, before: number): Stage | undefined {
  const lower = ref.toLowerCase();
  const byName = plan.stages.find((s) => s.name === lower && s.index < before);
  if (byName) return byName;
  if (/^\d+$/.test(ref)) {
    const index = Number(ref);
    return index < before ? plan.stages[index] : undefined;
  }
  return undefined;
}

/** The stage names one instruction refers to (unexpanded text; a stage reference never holds variables in practice). */
export function stageReferences(instruction: RawInstruction): string[] {
  const refs: string[] = [];
  for (const flag of instruction.flags) {
    if (flag.name === 'from' && flag.value && (instruction.keyword === 'COPY' || instruction.keyword === 'ADD')) refs.push(flag.value);
    if (flag.name === 'mount' && flag.value) {
      const from = /(?:^|,)from=([^,]+)/.exec(flag.value);
      if (from) refs.push(from[1]!);
    }
  }
  return refs;
}

/** The stages the target needs, in Dockerfile order (each after the ones it depends on). */
export function neededStages(plan: StagePlan): Stage[] {
  const needed = new Set<number>();
  const visit = (stage: Stage) => {
    if (needed.has(stage.index)) return;
    needed.add(stage.index);
    for (const dep of stageDependencies(plan, stage)) visit(dep);
  };
  visit(plan.target);
  return plan.stages.filter((s) => needed.has(s.index));
}

export function stageDependencies(plan: StagePlan, stage: Stage): Stage[] {
  const deps: Stage[] = [];
  const base = findStage(plan, stage.baseText, stage.index);
  if (base && !/^\d+$/.test(stage.baseText)) deps.push(base);
  for (const instruction of stage.instructions) {
    for (const ref of stageReferences(instruction)) {
      const dep = findStage(plan, ref, stage.index);
      if (dep) deps.push(dep);
    }
  }
  return deps;
}
