/**
 * app.db migrations of the incidents work (versions 19–22 are reserved for it).
 * Never edit one that has shipped: add the next one.
 */
import type { Migration } from '../migrations';

export const incidentsMigrations: Migration[] = [];
