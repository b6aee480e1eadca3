/** The full rule set over every endgameinc-eql recording (see EXPECTED.md). */
import { describeRecordings } from './detections';

describeRecordings('endgameinc-eql');
