export * from './services';
export * from './topics';
export * from './events';
export * from './envelope';
export * from './business-error';
export * from './acls';
export * from './headers';
