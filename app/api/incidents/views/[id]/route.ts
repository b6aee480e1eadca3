import { z } from 'zod';
import { deleteView } from '@/lib/incidents/views';
import { json, withRoute } from '../../../_lib/route';
import { AppError } from '@/lib/errors';

const idSchema = z.coerce.number().int().min(1);

// DELETE /api/incidents/views/:id — delete one of the user's own views
export const DELETE = withRoute<{ id: string }>(({ params, actor }) => {
  const id = idSchema.safeParse(params.id);
  if (!id.success) throw new AppError('invalid_request', `id: '${params.id.slice(0, 40)}' is not a view id`, { details: { field: 'id' } });
  return json(deleteView(actor, id.data));
});
