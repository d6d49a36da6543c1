export * from './catalog';
export * from './logger';
export * from './metrics';
