// statevisord: the composition root. For now it only reads a configuration.
console.error('statevisord: not built yet');
process.exitCode = 2;
