export * from './catalog';
export * from './logger';
