/**
 * The containers a build runs its steps in: created from the step's parent image with the engine's own
 * container operations, so RUN gets the same runtime, network, mounts and limits as any container. Their upper
 * dir becomes the step's layer; they are removed whatever happens.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { CreateContainerBody } from '../engine/api/docker-types.js';
import type { EngineContext } from '../engine/context.js';
import { createContainer } from '../engine/containers/ops/create.js';
import { removeContainer } from '../engine/containers/ops/remove.js';
import { startContainer } from '../engine/containers/ops/start.js';
import { waitContainer } from '../engine/containers/ops/wait.js';
import { extractToContainer } from '../engine/containers/ops/archive.js';
import { containerPaths } from '../engine/containers/paths.js';
import type { ContainerRecord } from '../engine/containers/record.js';

export interface RunSpec {
  argv: string[];
  env: string[];
  workingDir: string;
  user: string;
  network: string;
  binds: string[];
  tmpfs: Record<string, string>;
  shmSize?: number;
  extraHosts: string[];
}

export class StepContainer {
  private constructor(
    private readonly engine: EngineContext,
    readonly record: ContainerRecord,
  ) {}

  /** A container of `imageId` that runs `spec` when started (or nothing: COPY only writes into it). */
  static create(engine: EngineContext, imageId: string, spec?: RunSpec): StepContainer {
    const body: CreateContainerBody = {
      Image: imageId,
      Entrypoint: [], // RUN ignores the image's ENTRYPOINT
      Cmd: spec?.argv ?? ['true'],
      Env: spec?.env ?? [],
      WorkingDir: spec?.workingDir ?? '/',
      User: spec?.user ?? '',
      Labels: { 'com.tscompose.build': 'true' },
      HostConfig: {
        NetworkMode: spec?.network || 'none',
        Binds: spec?.binds ?? [],
        Tmpfs: spec?.tmpfs ?? {},
        ...(spec?.shmSize ? { ShmSize: spec.shmSize } : {}),
        ExtraHosts: spec?.extraHosts ?? [],
      },
    };
    const record = createContainer(engine, body, `tscompose-build-${randomBytes(6).toString('hex')}`);
    return new StepContainer(engine, record);
  }

  get upperDir(): string {
    return containerPaths(this.record).upperDir;
  }

  /** Starts it, passes its output on, resolves with its exit code. */
  async run(onOutput: (text: string) => void): Promise<number> {
    const bus = this.engine.outputs.get(this.record.id);
    const listener = (_stream: string, chunk: Buffer) => onOutput(chunk.toString('utf8'));
    bus?.on('data', listener);
    try {
      await startContainer(this.engine, this.record);
      return await waitContainer(this.engine, this.record, 'not-running');
    } finally {
      bus?.off('data', listener);
    }
  }

  /** Extracts a tar into directory `at` of the container (COPY, ADD, WORKDIR). */
  async extract(tar: AsyncIterable<Buffer> | Buffer, at = '/'): Promise<void> {
    await extractToContainer(this.engine, this.record, at, Readable.from(Buffer.isBuffer(tar) ? [tar] : tar), { noOverwriteDirNonDir: false });
  }

  async remove(): Promise<void> {
    await removeContainer(this.engine, this.record, { force: true, volumes: true });
  }
}
