/** A request of a batch as grouping sees it: the documents it reads and writes, and its place in time. */
export interface DocumentUser {
  documents: readonly string[];
  ts: number;
  position: number;
}

/**
 * Splits a batch's requests into transaction groups: requests that share a document (directly or
 * through others) go together; such components are packed into groups of at most `maxDocuments`
 * documents (a component larger than that is a group of its own). Within a group requests keep
 * the batch's time order, then position.
 */
export function groupByDocuments<T extends DocumentUser>(users: readonly T[], maxDocuments: number): T[][] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(id, root);
    return root;
  };
  for (const user of users) {
    for (const id of user.documents) if (!parent.has(id)) parent.set(id, id);
    const first = user.documents[0];
    if (first === undefined) continue;
    for (const id of user.documents.slice(1)) parent.set(find(id), find(first));
  }
  const components = new Map<string, { users: T[]; documents: Set<string> }>();
  for (const user of users) {
    const first = user.documents[0];
    const root = first === undefined ? '' : find(first);
    let component = components.get(root);
    if (!component) components.set(root, (component = { users: [], documents: new Set() }));
    component.users.push(user);
    for (const id of user.documents) component.documents.add(id);
  }
  const groups: T[][] = [];
  let group: T[] = [];
  let documents = 0;
  for (const component of components.values()) {
    if (group.length && documents + component.documents.size > maxDocuments) {
      groups.push(group);
      group = [];
      documents = 0;
    }
    group.push(...component.users);
    documents += component.documents.size;
  }
  if (group.length) groups.push(group);
  return groups.map((g) => g.sort((a, b) => a.ts - b.ts || a.position - b.position));
}
