/**
 * The investigation guide as the API sends it: the guide model of lib/domain (defined once there).
 * Every piece of text is data for text nodes; the UI never renders it as HTML.
 */
export * from '@/lib/domain/guide';
export { flattenStepList as flattenSteps } from '@/lib/domain/guide';
