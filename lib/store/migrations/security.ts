/**
 * app.db migrations of the security work (versions 15–18 are reserved for it).
 * Never edit one that has shipped: add the next one.
 */
import type { Migration } from '../migrations';

export const securityMigrations: Migration[] = [];
