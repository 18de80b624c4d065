import { isDict, type Dict } from '../types.js';
import { eachService } from './tree.js';

/**
 * Services without networks (and without network_mode) join the implicit `default` network, which is
 * declared at the top level only when some service actually uses it (compose-go normalizeNetworks).
 * Provider services have no container and no network.
 */
export function attachDefaultNetwork(model: Dict): void {
  let usesDefault = false;
  for (const [, service] of eachService(model)) {
    if ('provider' in service || 'network_mode' in service) continue;
    const networks = service.networks;
    if (!isDict(networks) || Object.keys(networks).length === 0) {
      service.networks = { default: null };
      usesDefault = true;
    } else if ('default' in networks) {
      usesDefault = true;
    }
  }
  if (!usesDefault) return;
  const declared = isDict(model.networks) ? model.networks : {};
  if (!('default' in declared)) declared.default = null;
  model.networks = declared;
}
