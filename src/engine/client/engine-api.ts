import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import type { ContainerConfig, CreateContainerBody } from '../api/docker-types.js';
import { readAll, type HttpClient } from './http-client.js';

/** The container inspect fields the CLI reads. */
export interface ContainerInspect {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; ExitCode: number; Error: string; OOMKilled: boolean; Pid: number };
  Config: { Tty?: boolean; OpenStdin?: boolean };
  [other: string]: unknown;
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  Command: string;
  Created: number;
  State: string;
  Status: string;
  Ports: Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }>;
  Labels: Record<string, string>;
  Mounts?: Array<{ Type: string; Name?: string; Source: string }>;
  NetworkSettings?: { Networks: Record<string, unknown> };
}

const enc = encodeURIComponent;

export interface PendingWait {
  result(): Promise<{ StatusCode: number; Error?: { Message: string } }>;
  cancel(): void;
}

/** Typed calls of the engine's Docker-shaped API, as the CLI uses them. */
export class EngineApi {
  constructor(readonly http: HttpClient) {}

  createContainer(body: CreateContainerBody, name?: string): Promise<{ Id: string }> {
    return this.http.json('POST', '/containers/create', { body, query: { name } });
  }
  startContainer(id: string): Promise<void> {
    return this.http.json('POST', `/containers/${enc(id)}/start`);
  }
  stopContainer(id: string, timeout?: number): Promise<void> {
    return this.http.json('POST', `/containers/${enc(id)}/stop`, { query: { t: timeout } });
  }
  restartContainer(id: string, timeout?: number): Promise<void> {
    return this.http.json('POST', `/containers/${enc(id)}/restart`, { query: { t: timeout } });
  }
  killContainer(id: string, signal?: string): Promise<void> {
    return this.http.json('POST', `/containers/${enc(id)}/kill`, { query: { signal } });
  }
  removeContainer(id: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    return this.http.json('DELETE', `/containers/${enc(id)}`, { query: { force: opts.force, v: opts.volumes } });
  }
  pauseContainer(id: string, paused: boolean): Promise<void> {
    return this.http.json('POST', `/containers/${enc(id)}/${paused ? 'pause' : 'unpause'}`);
  }
  inspectContainer(id: string): Promise<ContainerInspect> {
    return this.http.json('GET', `/containers/${enc(id)}/json`);
  }
  listContainers(opts: { all?: boolean; filters?: Record<string, string[]> } = {}): Promise<ContainerSummary[]> {
    return this.http.json('GET', '/containers/json', { query: { all: opts.all, filters: opts.filters ? JSON.stringify(opts.filters) : undefined } });
  }
  /** Registers the wait (headers arrive at once); `result` gives the exit code later, `cancel` gives up on it. */
  async waitContainer(id: string, condition: 'not-running' | 'next-exit' | 'removed' = 'not-running'): Promise<PendingWait> {
    const res = await this.http.stream('POST', `/containers/${enc(id)}/wait`, { query: { condition } });
    return {
      result: async () => JSON.parse(await readAll(res)) as { StatusCode: number; Error?: { Message: string } },
      cancel: () => res.destroy(),
    };
  }
  top(id: string): Promise<{ Titles: string[]; Processes: string[][] }> {
    return this.http.json('GET', `/containers/${enc(id)}/top`);
  }
  stats(id: string, stream: boolean): Promise<IncomingMessage> {
    return this.http.stream('GET', `/containers/${enc(id)}/stats`, { query: { stream } });
  }
  logs(id: string, query: { follow?: boolean; timestamps?: boolean; tail?: string; since?: string; until?: string }): Promise<IncomingMessage> {
    return this.http.stream('GET', `/containers/${enc(id)}/logs`, { query: { stdout: true, stderr: true, ...query } });
  }
  attach(id: string, opts: { stdin: boolean }): Promise<Duplex> {
    return this.http.hijack('POST', `/containers/${enc(id)}/attach`, { query: { stream: true, stdin: opts.stdin, stdout: true, stderr: true } });
  }
  resizeContainer(id: string, rows: number, cols: number): Promise<void> {
    return this.http.json('POST', `/containers/${enc(id)}/resize`, { query: { h: rows, w: cols } });
  }
  createExec(id: string, config: Record<string, unknown>): Promise<{ Id: string }> {
    return this.http.json('POST', `/containers/${enc(id)}/exec`, { body: config });
  }
  startExecAttached(execId: string): Promise<Duplex> {
    return this.http.hijack('POST', `/exec/${enc(execId)}/start`);
  }
  startExecDetached(execId: string): Promise<void> {
    return this.http.json('POST', `/exec/${enc(execId)}/start`, { body: { Detach: true } });
  }
  inspectExec(execId: string): Promise<{ ExitCode: number | null; Running: boolean }> {
    return this.http.json('GET', `/exec/${enc(execId)}/json`);
  }
  resizeExec(execId: string, rows: number, cols: number): Promise<void> {
    return this.http.json('POST', `/exec/${enc(execId)}/resize`, { query: { h: rows, w: cols } });
  }
  /** `docker commit`: POST /commit; the new image's ID. */
  commit(container: string, opts: { repo?: string; tag?: string; comment?: string; author?: string; changes?: string[]; pause?: boolean; config?: ContainerConfig } = {}): Promise<{ Id: string }> {
    const query = { container, repo: opts.repo, tag: opts.tag, comment: opts.comment, author: opts.author, changes: opts.changes, pause: opts.pause };
    return this.http.json('POST', '/commit', { query, ...(opts.config ? { body: opts.config } : {}) });
  }
  importImage(tar: Readable, opts: { repo?: string; tag?: string; changes: string[]; message?: string }): Promise<{ status: string }> {
    return this.http.json('POST', '/images/create', { rawBody: tar, query: { fromSrc: '-', repo: opts.repo, tag: opts.tag, changes: opts.changes, message: opts.message } });
  }
  listImages(opts: { all?: boolean } = {}): Promise<Array<Record<string, unknown>>> {
    return this.http.json('GET', '/images/json', { query: { all: opts.all } });
  }
  inspectImage(ref: string): Promise<Record<string, unknown>> {
    return this.http.json('GET', `/images/${ref}/json`);
  }
  removeImage(ref: string, force: boolean): Promise<Array<{ Untagged?: string; Deleted?: string }>> {
    return this.http.json('DELETE', `/images/${ref}`, { query: { force } });
  }
  tagImage(source: string, repo: string, tag?: string): Promise<void> {
    return this.http.json('POST', `/images/${source}/tag`, { query: { repo, tag } });
  }
  version(): Promise<Record<string, unknown>> {
    return this.http.json('GET', '/version');
  }
  info(): Promise<Record<string, unknown>> {
    return this.http.json('GET', '/info');
  }
}
