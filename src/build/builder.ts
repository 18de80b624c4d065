/**
 * One `docker build`: parses the Dockerfile, runs the stages the target needs (independent ones in parallel),
 * each instruction on top of the previous step's image, reusing a cached step when its key matches, and tags the
 * result. Every step's result is an image (hidden build cache unless tagged); RUN/COPY/ADD/WORKDIR add a layer.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { Header } from 'tar';
import { UserError } from '../errors.js';
import type { EngineContext } from '../engine/context.js';
import type { ImageRecord } from '../image/image-store.js';
import { hostArchitecture, type OciImageConfig } from '../image/oci-types.js';
import { pullImage } from '../image/registry/index.js';
import { parseReference } from '../image/reference.js';
import { droppablePlaceholders } from '../engine/containers/ops/commit.js';
import { ImageTree } from '../volume/image-tree.js';
import { parseDockerfile, type RawInstruction } from './dockerfile/parse.js';
import { expandWord } from './dockerfile/expand.js';
import { parseKeyValues } from './dockerfile/key-values.js';
import { IgnoreMatcher, readIgnorePatterns } from './context/dockerignore.js';
import { contextSourceTree } from './context/source-tree.js';
import { BuildCache } from './cache.js';
import { BuildProgress, type BuildSink, type StepReporter } from './progress.js';
import { PREDEFINED_ARGS, type BuildRequest } from './request.js';
import { findStage, neededStages, planStages, type Stage, type StagePlan } from './stages.js';
import { StageState } from './stage-state.js';
import { StepContainer } from './step-container.js';
import { applyMetadata, METADATA_KEYWORDS } from './steps/metadata.js';
import { prepareCopy } from './steps/copy.js';
import { prepareRun } from './steps/run.js';
import type { StepContext } from './steps/step-context.js';

const FS_KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

export interface BuildResult {
  imageId: string;
  /** Steps taken from the cache / steps run. */
  cached: number;
  built: number;
}

/** Builds one image; `sink` gets the progress messages. */
export async function build(engine: EngineContext, cache: BuildCache, request: BuildRequest, sink: BuildSink): Promise<BuildResult> {
  if (request.onlyIfChanged) return buildIfChanged(engine, cache, request, sink);
  const result = await runSession(engine, cache, request, sink, false);
  cache.setRecord(result.imageId, { buildArgs: request.buildArgs });
  return result;
}

/**
 * `up` without --build: the image the first tag names is kept when a build with the args it was built with
 * would take every step from the cache and give that same image; otherwise it is rebuilt (and says why).
 * An image tscompose did not build is always kept.
 */
async function buildIfChanged(engine: EngineContext, cache: BuildCache, request: BuildRequest, sink: BuildSink): Promise<BuildResult> {
  const current = request.tags[0] !== undefined ? engine.images.resolve(request.tags[0]) : undefined;
  const record = current ? cache.record(current.id) : undefined;
  if (!current || !record) {
    if (!current) return build(engine, cache, { ...request, onlyIfChanged: false }, sink);
    sink({ aux: { ID: current.id, upToDate: true } });
    return { imageId: current.id, cached: 0, built: 0 };
  }
  const replay: BuildRequest = { ...request, buildArgs: record.buildArgs, noCache: false, pull: false, onlyIfChanged: false };
  const fresh = await runSession(engine, cache, replay, () => undefined, true).then(
    (dry) => dry.imageId === current.id,
    (e: unknown) => {
      if (e instanceof StaleBuild) return false;
      throw e;
    },
  );
  if (fresh) {
    sink({ aux: { ID: current.id, upToDate: true } });
    return { imageId: current.id, cached: 0, built: 0 };
  }
  sink({ aux: { rebuilding: 'its build inputs changed since the image was built' } });
  return build(engine, cache, replay, sink);
}

/** A dry run met a step the cache does not have: the inputs changed. */
class StaleBuild extends Error {}

async function runSession(engine: EngineContext, cache: BuildCache, request: BuildRequest, sink: BuildSink, dry: boolean): Promise<BuildResult> {
  const session = new BuildSession(engine, cache, request, new BuildProgress(sink), dry);
  try {
    return await session.run();
  } finally {
    session.cleanup();
  }
}

class BuildSession {
  private readonly file: string;
  private readonly tempDir: string;
  private readonly ctx: StepContext;
  private plan!: StagePlan;
  private escape: '\\' | '`' = '\\';
  private readonly stageResults = new Map<number, Promise<ImageRecord>>();
  private readonly globalArgs = new Map<string, string | undefined>();
  private failed = false;
  private cached = 0;
  private built = 0;

  constructor(
    private readonly engine: EngineContext,
    private readonly cache: BuildCache,
    private readonly request: BuildRequest,
    private readonly progress: BuildProgress,
    /** Only check that every step is in the cache (StaleBuild at the first that is not); nothing is made or tagged. */
    private readonly dry = false,
  ) {
    if (!isAbsolute(request.context)) throw new UserError(`build context must be an absolute path: ${request.context}`);
    if (!existsSync(request.context)) throw new UserError(`unable to prepare context: path "${request.context}" not found`);
    const buildRoot = join(engine.config.root, 'build');
    this.tempDir = join(buildRoot, `tmp-${randomBytes(6).toString('hex')}`);
    mkdirSync(this.tempDir, { recursive: true, mode: 0o700 });
    this.file = request.dockerfileInline !== undefined ? 'Dockerfile' : relative(request.context, this.dockerfilePath()) || 'Dockerfile';
    const secretFiles = new Map<string, string>();
    for (const [id, content] of Object.entries(request.secrets)) {
      const path = join(this.tempDir, `secret-${secretFiles.size}`);
      writeFileSync(path, Buffer.from(content, 'base64'), { mode: 0o400 });
      secretFiles.set(id, path);
    }
    const ignore = new IgnoreMatcher(readIgnorePatterns(request.context, request.dockerfileInline !== undefined ? undefined : this.dockerfilePath()));
    this.ctx = {
      engine,
      request,
      file: this.file,
      escape: '\\',
      tempDir: this.tempDir,
      cacheMountDir: join(buildRoot, 'cache-mounts'),
      secretFiles,
      context: contextSourceTree(request.context, ignore),
      sourceImage: (ref, line) => this.sourceImage(ref, line),
    };
  }

  private dockerfilePath(): string {
    return isAbsolute(this.request.dockerfile) ? this.request.dockerfile : join(this.request.context, this.request.dockerfile);
  }

  async run(): Promise<BuildResult> {
    const text = this.request.dockerfileInline ?? this.readDockerfile();
    const dockerfile = parseDockerfile(text, this.file);
    this.escape = dockerfile.escape;
    this.ctx.escape = dockerfile.escape;
    this.plan = planStages(dockerfile, this.request.target, this.file);
    for (const instr of this.plan.globalArgs) {
      for (const { key, value } of parseKeyValues(instr.args, 'ARG', (n) => this.globalArgs.get(n), this.escape, this.position(instr))) {
        this.globalArgs.set(key, this.buildArg(key) ?? value);
      }
    }
    const stages = neededStages(this.plan);
    for (const stage of stages) this.stageResult(stage);
    let image = await this.stageResult(this.plan.target);
    await Promise.allSettled(stages.map((s) => this.stageResult(s)));
    image = await this.finalLabels(image);
    if (this.dry) return { imageId: image.id, cached: this.cached, built: 0 };
    for (const tag of this.request.tags) this.engine.images.tag(image.id, tag);
    this.progress.result(image.id);
    return { imageId: image.id, cached: this.cached, built: this.built };
  }

  cleanup(): void {
    rmSync(this.tempDir, { recursive: true, force: true });
  }

  private readDockerfile(): string {
    const path = this.dockerfilePath();
    try {
      return readFileSync(path, 'utf8');
    } catch {
      throw new UserError(`failed to read dockerfile: open ${path}: no such file or directory`);
    }
  }

  private buildArg(name: string): string | undefined {
    const value = this.request.buildArgs[name];
    return value === null ? undefined : value;
  }

  private position(instr: RawInstruction) {
    return { file: this.file, line: instr.line };
  }

  /** The (memoized) build of one stage; stages run concurrently and wait only for what they use. */
  private stageResult(stage: Stage): Promise<ImageRecord> {
    let result = this.stageResults.get(stage.index);
    if (!result) {
      result = this.buildStage(stage).catch((e: unknown) => {
        this.failed = true;
        throw e;
      });
      result.catch(() => undefined); // awaited by whoever needs it; never an unhandled rejection
      this.stageResults.set(stage.index, result);
    }
    return result;
  }

  private async buildStage(stage: Stage): Promise<ImageRecord> {
    const fsSteps = 1 + stage.instructions.filter((i) => FS_KEYWORDS.has(i.keyword)).length;
    const baseName = expandWord(stage.baseText, (n) => this.globalArgs.get(n), this.escape);
    const label = stage.name ?? (this.plan.stages.length > 1 ? `stage-${stage.index}` : '');
    const reporter = this.progress.step(`[${label}${label ? ' ' : ''}1/${fsSteps}] FROM ${baseName}${stage.name ? ` AS ${stage.name}` : ''}`);
    const base = await this.resolveBase(baseName, stage, reporter);
    const state = new StageState(base, label, fsSteps);
    state.fsStep = 1;
    const instructions = [...this.onBuildTriggers(base, stage), ...stage.instructions];
    if (base.config.config?.OnBuild?.length) {
      state.config.OnBuild = null;
    }
    let cmdFromBase = state.config.Cmd !== undefined && state.config.Cmd !== null;
    for (const instr of instructions) {
      if (this.failed) throw new UserError('build canceled: another stage failed');
      if (instr.keyword === 'CMD') cmdFromBase = false;
      await this.step(state, instr, cmdFromBase);
    }
    return state.image;
  }

  private onBuildTriggers(base: ImageRecord, stage: Stage): RawInstruction[] {
    const triggers = base.config.config?.OnBuild ?? [];
    if (triggers.length === 0) return [];
    return parseDockerfile(`FROM scratch\n${triggers.join('\n')}\n`, `${this.file} (ONBUILD of ${stage.baseText})`).instructions.slice(1);
  }

  private async step(state: StageState, instr: RawInstruction, cmdFromBase: boolean): Promise<void> {
    if (instr.keyword === 'ARG') {
      for (const { key, value } of parseKeyValues(instr.args, 'ARG', state.lookup, this.escape, this.position(instr))) {
        const fromGlobal = value === undefined && this.globalArgs.has(key) ? this.globalArgs.get(key) : value;
        state.args.set(key, this.buildArg(key) ?? fromGlobal);
      }
      return;
    }
    for (const name of PREDEFINED_ARGS) if (this.buildArg(name) !== undefined && !state.args.has(name)) state.args.set(name, this.buildArg(name));
    if (METADATA_KEYWORDS.has(instr.keyword)) {
      const before = state.image;
      const createdBy = applyMetadata(state, instr, { file: this.file, escape: this.escape, cmdFromBase });
      const config = state.config;
      await this.cachedStep(state, { k: instr.keyword, config }, undefined, () => this.engine.images.commitConfig(before, this.imageConfig(before, config), { created_by: createdBy }));
      return;
    }
    if (!FS_KEYWORDS.has(instr.keyword)) throw new UserError(`unknown instruction: ${instr.keyword}`, this.position(instr));
    const reporter = this.progress.step(`${state.label()} ${instr.original.split('\n', 1)[0]}`);
    try {
      await this.fsStep(state, instr, reporter);
    } catch (e) {
      reporter.failed(e instanceof Error ? e.message : String(e));
      throw e;
    }
  }

  private async fsStep(state: StageState, instr: RawInstruction, reporter: StepReporter): Promise<void> {
    if (instr.keyword === 'WORKDIR') {
      const text = expandWord(instr.args, state.lookup, this.escape);
      const path = text.startsWith('/') ? text : join(state.workdir(), text);
      state.config.WorkingDir = path;
      const config = state.config;
      const parent = state.image;
      const tree = await ImageTree.open(this.engine.images.lowerDirs(parent));
      const exists = await tree.lookup(path);
      if (exists) {
        await this.cachedStep(state, { k: 'WORKDIR', config }, reporter, () => this.engine.images.commitConfig(parent, this.imageConfig(parent, config), { created_by: `WORKDIR ${path}` }));
        return;
      }
      await this.cachedStep(state, { k: 'WORKDIR', config, mkdir: true }, reporter, () =>
        this.inContainer(parent, config, `WORKDIR ${path}`, async (container) => {
          const { root, tar } = await missingDirectories(path, tree);
          await container.extract(tar, root);
        }),
      );
      return;
    }
    if (instr.keyword === 'RUN') {
      const prepared = prepareRun(this.ctx, state, instr);
      const parent = state.image;
      const config = state.config;
      await this.cachedStep(state, prepared.keyMaterial, reporter, () =>
        this.inContainer(parent, config, prepared.createdBy, async (container) => {
          const tail: string[] = [];
          const code = await container.run((text) => {
            reporter.output(text);
            tail.push(text);
            if (tail.length > 50) tail.shift();
          });
          if (code !== 0) {
            const shown = prepared.spec.argv.join(' ');
            const output = tail.join('').trimEnd().split('\n').slice(-10).join('\n');
            throw new UserError(`${instr.keyword} failed: process "${shown}" did not complete successfully: exit code: ${code}${output ? `\n${output}` : ''}`, this.position(instr));
          }
        }, prepared.spec),
      );
      return;
    }
    const prepared = await prepareCopy(this.ctx, state, instr);
    const parent = state.image;
    const config = state.config;
    await this.cachedStep(state, prepared.keyMaterial, reporter, () => this.inContainer(parent, config, prepared.createdBy, async (container) => {
      const { root, tar } = await prepared.extraction(parent);
      await container.extract(tar, root);
    }));
  }

  /** Looks the step up in the cache, else produces it; the stage moves on to the resulting image. */
  private async cachedStep(state: StageState, material: unknown, reporter: StepReporter | undefined, produce: () => Promise<ImageRecord>): Promise<void> {
    const key = BuildCache.key(state.image.id, material);
    const hit = this.request.noCache ? undefined : this.cache.get(key);
    const image = hit !== undefined ? this.engine.images.resolve(hit) : undefined;
    if (image) {
      this.cached += 1;
      reporter?.cached();
      state.moveTo(image);
      return;
    }
    if (this.dry) throw new StaleBuild();
    const made = await produce();
    this.cache.set(key, made.id);
    this.built += 1;
    reporter?.done();
    state.moveTo(made);
  }

  /** Runs `work` in a container of `parent`, then commits its upper dir as a layer with `config`. */
  private async inContainer(parent: ImageRecord, config: StageState['config'], createdBy: string, work: (c: StepContainer) => Promise<void>, spec?: Parameters<typeof StepContainer.create>[2]): Promise<ImageRecord> {
    const container = StepContainer.create(this.engine, parent.id, spec);
    try {
      await work(container);
      const placeholders = await droppablePlaceholders(this.engine, container.record, parent, container.upperDir);
      return await this.engine.images.commitDir(parent, container.upperDir, this.imageConfig(parent, config), {
        move: true,
        exclude: (relPath) => placeholders.has(relPath),
        history: { created_by: createdBy },
      });
    } finally {
      await container.remove();
    }
  }

  private imageConfig(parent: ImageRecord, config: StageState['config']): OciImageConfig {
    return { ...parent.config, created: new Date().toISOString(), architecture: parent.config.architecture || hostArchitecture(), os: parent.config.os || 'linux', config: structuredClone(config) };
  }

  /** compose build.labels: applied to the final image like a last LABEL. */
  private async finalLabels(image: ImageRecord): Promise<ImageRecord> {
    const labels = this.request.labels;
    if (Object.keys(labels).length === 0) return image;
    const state = new StageState(image, '', 0);
    state.config.Labels = { ...(state.config.Labels ?? {}), ...labels };
    const config = state.config;
    await this.cachedStep(state, { k: 'LABEL', config }, undefined, () => this.engine.images.commitConfig(image, this.imageConfig(image, config), { created_by: `LABEL ${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(' ')}` }));
    return state.image;
  }

  /** FROM: an earlier stage, a named context, scratch, or an image (pulled when missing or with --pull). */
  private async resolveBase(name: string, stage: Stage, reporter: StepReporter): Promise<ImageRecord> {
    const earlier = findStage(this.plan, name, stage.index);
    if (earlier && !/^\d+$/.test(name)) {
      const image = await this.stageResult(earlier);
      reporter.done();
      return image;
    }
    const named = this.request.additionalContexts[name];
    if (named !== undefined) {
      const image = await this.contextImage(named, name, stage.from.line);
      if ('dir' in image) throw new UserError(`FROM ${name}: the named context is a directory, not an image`, this.position(stage.from));
      reporter.done();
      return image;
    }
    if (name === 'scratch') {
      reporter.done();
      return this.scratchImage();
    }
    const image = await this.image(name, stage.from.line);
    reporter.done();
    return image;
  }

  private async image(ref: string, line: number): Promise<ImageRecord> {
    const local = this.engine.images.resolve(ref);
    if (local && !this.request.pull) return local;
    if (this.dry) throw new StaleBuild();
    try {
      const auth = this.request.registryAuth[parseReference(ref).domain];
      const result = await pullImage(this.engine.images, ref, auth ? { auth } : {});
      return this.engine.images.get(result.reference ?? ref);
    } catch (e) {
      if (local) return local; // --pull with the registry unreachable: the local copy, as BuildKit falls back
      const message = e instanceof Error ? e.message : String(e);
      throw new UserError(`failed to resolve source metadata for ${ref}: ${message}`, { file: this.file, line });
    }
  }

  private async contextImage(value: string, name: string, line: number): Promise<ImageRecord | { dir: string }> {
    if (value.startsWith('docker-image://')) return this.image(value.slice('docker-image://'.length), line);
    if (value.startsWith('image:')) return this.engine.images.get(value.slice('image:'.length));
    if (/^[a-z]+:\/\//.test(value)) throw new UserError(`named context ${name}: ${value} is not supported (local directories and images only)`, { file: this.file, line });
    return { dir: isAbsolute(value) ? value : join(this.request.context, value) };
  }

  private async sourceImage(ref: string, line: number): Promise<ImageRecord | { dir: string }> {
    const stage = findStage(this.plan, ref, this.plan.stages.length);
    if (stage) return this.stageResult(stage);
    const named = this.request.additionalContexts[ref];
    if (named !== undefined) return this.contextImage(named, ref, line);
    return this.image(ref, line);
  }

  /** An image with no layers and an empty config: what FROM scratch starts from (the same ID every time). */
  private async scratchImage(): Promise<ImageRecord> {
    const config: OciImageConfig = { architecture: hostArchitecture(), os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [] }, history: [] };
    return this.engine.images.addImage({ config: Buffer.from(JSON.stringify(config)), layers: [] });
  }
}

/**
 * The directories WORKDIR must create, as a tar to extract at the deepest one that exists (so the folders above
 * keep the image's metadata).
 */
async function missingDirectories(path: string, tree: ImageTree): Promise<{ root: string; tar: Buffer }> {
  const parts = path.split('/').filter(Boolean);
  let existing = 0;
  while (existing < parts.length && (await tree.lookup(`/${parts.slice(0, existing + 1).join('/')}`))) existing += 1;
  const blocks: Buffer[] = [];
  for (let i = existing + 1; i <= parts.length; i++) {
    const block = Buffer.alloc(512);
    new Header({ path: `${parts.slice(existing, i).join('/')}/`, type: 'Directory', mode: 0o755, uid: 0, gid: 0, mtime: new Date(), size: 0 }).encode(block, 0);
    blocks.push(block);
  }
  return { root: `/${parts.slice(0, existing).join('/')}`, tar: Buffer.concat([...blocks, Buffer.alloc(1024)]) };
}
