export * from './model';
export * from './load';
export * from './transform';
export * from './guide';
export * from './evidence-match';
export * from './guide-cache';
