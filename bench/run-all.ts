// Runs every benchmark in turn (the engine one needs root).
await import('./config.js');
if (process.getuid?.() === 0) await import('./engine.js');
else console.log('engine benchmark: needs root, skipped');
