import { pendingExceptions } from '@/lib/server/rules';
import { json, withRoute } from '../../../_lib/route';

// GET /api/rules/exceptions/pending — proposed exceptions waiting for a lead, across rules, oldest first
export const GET = withRoute(() => json(pendingExceptions()));
