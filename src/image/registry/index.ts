/** The registry client's public surface (pull, push, login, credentials, platforms, progress messages). */
export { pullImage, type PullOptions, type PullResult } from './pull.js';
export { pushImage, type PushOptions, type PushResult } from './push.js';
export { checkLogin, domainOfServer } from './login.js';
export { RepositoryClient, type UploadOutcome } from './repository-client.js';
export { decodeRegistryAuth, encodeRegistryAuth, readCredentials, removeCredentials, storeCredentials, dockerConfigPath, type AuthConfig } from './credentials.js';
export { defaultPlatform, formatPlatform, parsePlatform, selectManifest, type Platform } from './platform.js';
export type { JsonMessage, ProgressSink } from './progress.js';
export { RegistryError, UnauthorizedError } from './errors.js';
