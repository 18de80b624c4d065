/** A small rtnetlink client: synchronous requests on a socket bound to one network namespace. */
export { NetlinkSocket } from './socket.js';
export { NetlinkError } from './errors.js';
export { createBridge, createVethPair, setLink, deleteLink, deleteLinkByName, listLinks, findLink, type LinkInfo, type LinkOptions, type LinkChanges } from './links.js';
export { addAddress, listAddresses, type AddressInfo } from './addresses.js';
export { addDefaultRoute, deleteDefaultRoute, listRoutes, type RouteInfo } from './routes.js';
