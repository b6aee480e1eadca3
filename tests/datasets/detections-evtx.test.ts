/** The full rule set over every evtx-attack-samples recording (see EXPECTED.md). */
import { describeRecordings } from './detections';

describeRecordings('evtx-attack-samples');
