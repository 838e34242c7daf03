export class ConfigValueError extends Error { override name = 'ConfigValueError'; }
