/**
 * app.db migrations of the analyst work (versions 23–26 are reserved for it).
 * Never edit one that has shipped: add the next one.
 */
import type { Migration } from '../migrations';

export const analystMigrations: Migration[] = [];
