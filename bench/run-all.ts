// Runs every benchmark in turn.
await import('./config.js');
