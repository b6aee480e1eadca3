export * from './roles';
export * from './users';
export * from './sessions';
export * from './rate-limit';
export * from './request';
export * from './view';
