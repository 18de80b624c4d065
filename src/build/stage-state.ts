/**
 * Where a stage stands between two instructions: its current image, the container config it is building, and
 * the variables instructions see (ENV wins over ARG, as in Docker).
 */
import type { ImageRecord } from '../image/image-store.js';
import type { OciContainerConfig } from '../image/oci-types.js';

export const DEFAULT_SHELL = ['/bin/sh', '-c'];

export class StageState {
  /** Declared ARGs in scope (undefined: declared without a value). */
  readonly args = new Map<string, string | undefined>();
  config: OciContainerConfig;
  /** The FROM and filesystem steps, for "[stage n/total]" names. */
  fsStep = 0;

  constructor(
    public image: ImageRecord,
    readonly name: string,
    readonly fsSteps: number,
  ) {
    this.config = structuredClone(image.config.config ?? {});
  }

  moveTo(image: ImageRecord): void {
    this.image = image;
    this.config = structuredClone(image.config.config ?? {});
  }

  env(): Map<string, string> {
    const map = new Map<string, string>();
    for (const entry of this.config.Env ?? []) {
      const eq = entry.indexOf('=');
      map.set(eq < 0 ? entry : entry.slice(0, eq), eq < 0 ? '' : entry.slice(eq + 1));
    }
    return map;
  }

  /** Expansion lookup: ENV first, then ARGs with a value. */
  readonly lookup = (name: string): string | undefined => {
    const fromEnv = this.env().get(name);
    return fromEnv !== undefined ? fromEnv : this.args.get(name);
  };

  setEnv(key: string, value: string): void {
    const env = (this.config.Env ?? []).filter((e) => e.split('=', 1)[0] !== key);
    this.config.Env = [...env, `${key}=${value}`];
  }

  /** A RUN's environment: the image's ENV plus the ARGs in scope that ENV does not set. */
  runEnv(): string[] {
    const env = this.env();
    const fromArgs = [...this.args].filter(([k, v]) => v !== undefined && !env.has(k)).map(([k, v]) => `${k}=${v}`);
    return [...(this.config.Env ?? []), ...fromArgs];
  }

  shell(): string[] {
    return this.config.Shell && this.config.Shell.length > 0 ? this.config.Shell : DEFAULT_SHELL;
  }

  workdir(): string {
    return this.config.WorkingDir || '/';
  }

  /** "[name 2/5]" as BuildKit labels a stage's steps. */
  label(): string {
    this.fsStep += 1;
    return `[${this.name}${this.name ? ' ' : ''}${this.fsStep}/${this.fsSteps}]`;
  }
}
