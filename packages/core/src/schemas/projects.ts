import { z } from 'zod';

export const project = z.object({
  id: z.string(),
  name: z.string(),
  orgId: z.string(),
  created: z.string(),
  clusterCount: z.number().int(),
  tags: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
});
export type Project = z.infer<typeof project>;
