/**
 * app.db migrations of the reliability work (versions 27–30 are reserved for it).
 * Never edit one that has shipped: add the next one.
 */
import type { Migration } from '../migrations';

export const reliabilityMigrations: Migration[] = [];
