import { Type, type Static } from '@sinclair/typebox';
import { Id } from './common.ts';

const Count = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Arm = Type.Tuple([Count, Count], { description: '[converting households, households], cumulative since the study started' });

/** DESIGN.md §4 `earshot lift --sequential`: one look at a study, one NDJSON line. */
export const LiftLook = Type.Object(
  {
    study: Type.Optional({ ...Id, description: 'The study looked at: looks of several studies may share one stream' }),
    control: Arm,
    test: Arm,
  },
  { additionalProperties: false },
);
export type LiftLook = Static<typeof LiftLook>;
