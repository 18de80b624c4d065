import { startPortProxy } from '../../net/proxy/port-proxy.js';
import type { PortPublisher } from './services.js';

/** Published ports through the userland proxy of src/net/proxy. */
export const USERLAND_PROXY: PortPublisher = {
  publish: async (request) => {
    const proxy = await startPortProxy(request);
    return { hostIp: proxy.hostIp, hostPort: proxy.hostPort, close: () => proxy.close() };
  },
};
