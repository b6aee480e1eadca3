/** The full rule set over every otrf-security-datasets recording (see EXPECTED.md). */
import { describeRecordings } from './detections';

describeRecordings('otrf-security-datasets');
