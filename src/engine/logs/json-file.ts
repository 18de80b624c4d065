// Docker's json-file log driver: the writer the engine attaches to a container's output, the reader behind `docker logs`.
export { JsonFileLogWriter, type WriterHooks } from './json-file-writer.js';
export { parseLogOptions, parseMaxSize, type LogOptions } from './log-options.js';
export { readLogs } from './reader.js';
export type { LogQuery } from './query-filter.js';
export type { LogEntry, LogStream } from './record.js';
export { MAX_RECORD_BYTES } from './line-splitter.js';
