import { arch, cpus, hostname, totalmem } from 'node:os';
import { VERSION } from '../../../version.js';
import type { EngineContext } from '../../context.js';
import { sendJson } from '../http.js';
import type { Router } from '../router.js';

/** The API version we speak (Docker Engine API numbering), reported by /version and accepted as a path prefix. */
export const API_VERSION = '1.45';

export function addSystemRoutes(router: Router, engine: EngineContext): void {
  const ping = (res: import('node:http').ServerResponse, withBody: boolean): void => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Api-Version': API_VERSION, 'Cache-Control': 'no-cache' });
    res.end(withBody ? 'OK' : undefined);
  };
  router.add('GET', '/_ping', ({ res }) => ping(res, true));
  router.add('HEAD', '/_ping', ({ res }) => ping(res, false));
  router.add('GET', '/version', ({ res }) =>
    sendJson(res, 200, {
      Version: VERSION,
      ApiVersion: API_VERSION,
      MinAPIVersion: '1.24',
      Os: 'linux',
      Arch: arch() === 'x64' ? 'amd64' : arch(),
      KernelVersion: engine.kernelVersion,
      Components: [{ Name: 'tscompose engine', Version: VERSION }],
    }),
  );
  router.add('GET', '/info', ({ res }) => {
    const all = engine.containers.all();
    const count = (s: string): number => all.filter((c) => c.state.status === s).length;
    sendJson(res, 200, {
      ID: engine.engineId,
      Name: hostname(),
      Containers: all.length,
      ContainersRunning: count('running'),
      ContainersPaused: count('paused'),
      ContainersStopped: count('exited') + count('created'),
      Images: engine.images.list().length,
      Driver: 'overlay2',
      DockerRootDir: engine.config.root,
      CgroupDriver: 'cgroupfs',
      CgroupVersion: engine.cgroups.version === 'v2' ? '2' : '1',
      LoggingDriver: 'json-file',
      OperatingSystem: 'tscompose engine',
      OSType: 'linux',
      Architecture: arch(),
      NCPU: cpus().length,
      MemTotal: totalmem(),
      KernelVersion: engine.kernelVersion,
      ServerVersion: VERSION,
    });
  });
}
