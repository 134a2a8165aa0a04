import { describe, expect, it } from 'vitest';
import { groupByDocuments } from '../../../../shared/application/counting/group-by-documents.ts';

const user = (position: number, ts: number, ...documents: string[]) => ({ position, ts, documents });
const positions = (groups: Array<Array<{ position: number }>>) => groups.map((g) => g.map((u) => u.position));

describe('groupByDocuments', () => {
  const cases: Array<[string, Array<ReturnType<typeof user>>, number, number[][]]> = [
    ['none', [], 10, []],
    ['all in one group when they fit', [user(0, 5, 'a'), user(1, 1, 'b'), user(2, 3, 'c')], 10, [[1, 2, 0]]],
    ['split where the documents would pass the limit', [user(0, 1, 'a'), user(1, 2, 'b'), user(2, 3, 'c')], 2, [[0, 1], [2]]],
    ['requests sharing a document together, in time order', [user(0, 3, 'a'), user(1, 1, 'b'), user(2, 2, 'a')], 1, [[2, 0], [1]]],
    ['joined through a second document (last month\'s key)', [user(0, 1, 'a'), user(1, 2, 'b', 'a'), user(2, 3, 'c')], 2, [[0, 1], [2]]],
    ['a component larger than the limit is a group of its own', [user(0, 1, 'x'), user(1, 2, 'a', 'b'), user(2, 3, 'b', 'c')], 2, [[0], [1, 2]]],
    ['ties in time kept in position order', [user(1, 1, 'a'), user(0, 1, 'a')], 5, [[0, 1]]],
  ];
  for (const [name, users, max, expected] of cases) it(name, () => expect(positions(groupByDocuments(users, max))).toEqual(expected));
});
