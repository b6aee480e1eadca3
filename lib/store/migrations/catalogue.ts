/**
 * app.db migrations of the catalogue work (versions 11–14 are reserved for it).
 * Never edit one that has shipped: add the next one.
 */
import type { Migration } from '../migrations';

export const catalogueMigrations: Migration[] = [];
