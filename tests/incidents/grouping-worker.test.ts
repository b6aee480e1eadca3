/**
 * The server's first grouping (lib/server/bootstrap) runs in the detection worker: alerts in
 * app.db that are in no incident yet are placed by `groupOffThread()` on the worker's thread,
 * and the web side reads the incidents from the same app.db.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb, openAppDb } from '@/lib/store/db';
import { insertAlerts } from '@/lib/store/alerts';
import { groupOffThread } from '@/lib/server/workers/detection-driver';
import { groupUngroupedAlerts, incidentIdFor, ungroupedAtLeast } from '@/lib/incidents/grouping';
import { alertOf } from './helpers';
import { workerDataDir } from '@/tests/support/worker-data-dir';

workerDataDir('guidepost-groupworker-');

beforeAll(() => {
  insertAlerts(getDb(), [
    alertOf({ id: 'w1', min: 0, host: 'ws-1' }),
    alertOf({ id: 'w2', min: 30, host: 'WS-1' }),
    alertOf({ id: 'w3', min: 300, host: 'ws-1' }),
  ]);
});

describe('first grouping in the detection worker', () => {
  it('places the ungrouped alerts of app.db; the web side sees the incidents', async () => {
    expect(getDb().prepare('SELECT COUNT(*) FROM incident_alerts').pluck().get()).toBe(0);
    expect(await groupOffThread()).toBe(3);
    const rows = getDb().prepare('SELECT alert_id, incident_id FROM incident_alerts ORDER BY alert_id').all();
    expect(rows).toEqual([
      { alert_id: 'w1', incident_id: incidentIdFor('w1') },
      { alert_id: 'w2', incident_id: incidentIdFor('w1') },
      { alert_id: 'w3', incident_id: incidentIdFor('w3') },
    ]);
    // nothing left to place
    expect(await groupOffThread()).toBe(0);
  });
});

describe('how many alerts wait for the first grouping', () => {
  it('counts the ungrouped alerts up to the limit asked for', () => {
    const db = openAppDb(':memory:');
    insertAlerts(db, [alertOf({ id: 'u1', min: 0, host: 'a' }), alertOf({ id: 'u2', min: 1, host: 'b' })]);
    expect(ungroupedAtLeast(db, 2)).toBe(true);
    expect(ungroupedAtLeast(db, 3)).toBe(false);
    groupUngroupedAlerts(db);
    expect(ungroupedAtLeast(db, 1)).toBe(false);
  });
});
