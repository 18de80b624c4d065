// Runs every benchmark in turn (the engine one needs root).
await import('./config.js');
if (process.getuid?.() === 0) {
  await import('./engine.js');
  await import('./compose.js');
  await import('./build.js');
} else console.log('engine and compose benchmarks: need root, skipped');
