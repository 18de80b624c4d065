/** COPY and ADD: sources from the context, a stage, an image or a heredoc, laid out at the destination by a tar. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from '../../errors.js';
import type { ImageRecord } from '../../image/image-store.js';
import { resolveUser } from '../../runtime/user.js';
import { ImageTree } from '../../volume/image-tree.js';
import type { RawInstruction } from '../dockerfile/parse.js';
import { expandWord } from '../dockerfile/expand.js';
import { splitRawWords } from '../dockerfile/words.js';
import { IgnoreMatcher } from '../context/dockerignore.js';
import { contextSourceTree, imageSourceTree, type SourceTree } from '../context/source-tree.js';
import { copyTar, extractionRoot, imageDestProbe, resolveSources, sourcesDigest, type CopyOptions, type ResolvedSource } from '../context/copy.js';
import type { StageState } from '../stage-state.js';
import type { StepContext } from './step-context.js';

export interface PreparedCopy {
  keyMaterial: unknown;
  createdBy: string;
  /** The tar to extract in the step container, and the directory to extract it at. */
  extraction(parent: ImageRecord): Promise<{ root: string; tar: AsyncIterable<Buffer> }>;
}

const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/;

export async function prepareCopy(ctx: StepContext, state: StageState, instr: RawInstruction): Promise<PreparedCopy> {
  const position = { file: ctx.file, line: instr.line };
  const isAdd = instr.keyword === 'ADD';
  const flags = new Map(instr.flags.map((f) => [f.name, f.value]));
  for (const name of flags.keys()) {
    if (!['from', 'chown', 'chmod', 'link', 'checksum', 'keep-git-dir'].includes(name) || (!isAdd && ['checksum', 'keep-git-dir'].includes(name))) {
      throw new UserError(`unknown flag: --${name}`, position);
    }
  }
  // Docker does not split a variable's value into several sources: split the raw words, then expand each
  const words = instr.json ?? splitRawWords(instr.args, ctx.escape);
  const expanded = words.map((w) => expandWord(w, state.lookup, ctx.escape, position));
  if (expanded.length < 2) throw new UserError(`${instr.keyword} requires at least two arguments, but only one was provided. Destination could not be determined`, position);
  let sources = expanded.slice(0, -1);
  const destText = expanded.at(-1)!;
  // a trailing "/" or "/." (or just ".") says "a directory", which posix.join would lose
  const dest = destText.startsWith('/') ? destText : posix.join(state.workdir(), destText) + (/(^|\/)\.?$/.test(destText) && !posix.join(state.workdir(), destText).endsWith('/') ? '/' : '');
  const remote = sources.find((s) => REMOTE.test(s));
  if (remote) {
    if (!isAdd) throw new UserError(`COPY cannot take a URL (${remote}): use ADD`, position);
    throw new UserError(`ADD ${remote}: downloading sources from the network is not supported (tscompose builds offline); fetch the file into the build context and COPY it`, position);
  }

  let tree: SourceTree = ctx.context;
  let fromKey: string | undefined;
  const from = flags.get('from');
  if (instr.heredocs.length > 0) {
    const dir = join(ctx.tempDir, `heredoc-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    for (const doc of instr.heredocs) {
      writeFileSync(join(dir, doc.name), doc.expand ? expandHeredoc(doc.content, state) : doc.content, { mode: 0o644 });
    }
    const names = new Set(instr.heredocs.map((d) => d.name));
    sources = sources.map((s) => s.replace(/^<<-?["']?([^"']+)["']?$/, '$1')).filter((s) => names.has(s));
    tree = contextSourceTree(dir, new IgnoreMatcher([]));
  } else if (from) {
    const source = await ctx.sourceImage(expandWord(from, state.lookup, ctx.escape), instr.line);
    if ('dir' in source) {
      tree = contextSourceTree(source.dir, new IgnoreMatcher([]));
      fromKey = `dir:${source.dir}`;
    } else {
      tree = await imageSourceTree(ctx.engine.images.lowerDirs(source));
      fromKey = source.id;
    }
  }

  const options: CopyOptions = { keepOwnership: from !== undefined, extractArchives: isAdd && !from };
  const chmod = flags.get('chmod');
  if (chmod !== undefined) {
    if (!/^[0-7]{3,4}$/.test(chmod)) throw new UserError(`invalid chmod parameter: ${chmod} (octal permissions expected)`, position);
    options.chmod = parseInt(chmod, 8);
  }
  const chown = flags.get('chown');
  if (chown !== undefined) options.chown = resolveOwner(ctx, state, expandWord(chown, state.lookup, ctx.escape), position);

  let resolved: ResolvedSource[];
  try {
    resolved = await resolveSources(tree, sources);
  } catch (e) {
    if (e instanceof UserError && !e.position) throw new UserError(`failed to compute cache key: ${e.message}`, position);
    throw e;
  }
  const digest = await sourcesDigest(tree, resolved, options);
  const createdBy = `${instr.keyword} ${instr.flags.map((f) => `--${f.name}${f.value !== undefined ? `=${f.value}` : ''} `).join('')}${instr.args} # buildkit`;
  return {
    keyMaterial: { k: instr.keyword, digest, dest, from: fromKey, chown: options.chown, chmod: options.chmod },
    createdBy,
    async extraction(parent) {
      // Extracting at the deepest existing directory keeps every folder above it as the image has it.
      const probe = imageDestProbe(await ImageTree.open(ctx.engine.images.lowerDirs(parent)));
      const root = await extractionRoot(resolved, dest, { ...options, ...probe });
      return { root, tar: copyTar(tree, resolved, dest, { ...options, ...probe, root }) };
    },
  };
}

function expandHeredoc(content: string, state: StageState): string {
  return content.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced: string | undefined, bare: string | undefined) => state.lookup((braced ?? bare)!) ?? '');
}

/** --chown=user[:group], by name through the image's /etc/passwd and /etc/group, or numeric. */
function resolveOwner(ctx: StepContext, state: StageState, text: string, position: { file: string; line: number }): { uid: number; gid: number } {
  try {
    const [user, group] = text.split(':', 2);
    const lowerDirs = ctx.engine.images.lowerDirs(state.image);
    const resolved = resolveUser(group !== undefined ? `${user}:${group}` : user, { lowerDirs, upperDir: join(ctx.tempDir, 'no-upper') });
    // Docker: a user without a group gets the same number as GID
    return { uid: resolved.uid, gid: group === undefined ? resolved.uid : resolved.gid };
  } catch (e) {
    throw new UserError(`--chown=${text}: ${(e as Error).message}`, position);
  }
}
