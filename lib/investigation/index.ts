export * from './process-tree';
export * from './related-alerts';
export * from './activity';
export * from './logons';
export * from './file-evidence';
export * from './osquery';
export * from './investigate';
export * from './triage';
export { eqlString, eqlField } from './eql-text';
