/** The full rule set over every endgameinc-eqllib recording (see EXPECTED.md). */
import { describeRecordings } from './detections';

describeRecordings('endgameinc-eqllib');
