// The package.json dependencies and package-lock.json of one function's archive, cut out of the
// root package-lock.json: the packages the function's bundle imports, at the exact versions the
// root lock resolved, and every package those need, at the place the root tree has them. The
// deploy then installs (`npm ci`) exactly the tree the tests ran against, nothing else.

/** An entry of package-lock.json's `packages` (lockfile v3), as far as this file reads it. */
export interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  [field: string]: unknown;
}

export interface PackageLock {
  name?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

export interface FunctionLock {
  /** For the archive's package.json: each imported package at its exact version. */
  dependencies: Record<string, string>;
  lock: PackageLock;
}

/** The folder a lock path's package sits in ('' for the root): `node_modules/a/node_modules/b` -> `node_modules/a`. */
function parentOf(path: string): string {
  const at = path.lastIndexOf('/node_modules/');
  return at < 0 ? '' : path.slice(0, at);
}

/** Where Node finds `name` from the package at `from`: its own node_modules, then each parent's. */
export function resolveInLock(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  for (let dir = from; ; dir = parentOf(dir)) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '') return undefined;
  }
}

/** The packages an entry needs installed beside it; optional ones only where the lock has them. */
function needs(entry: LockEntry): Array<{ name: string; optional: boolean }> {
  const peersOptional = entry.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...Object.keys(entry.peerDependencies ?? {}).map((name) => ({ name, optional: peersOptional[name]?.optional === true })),
  ];
}

/** The archive's own lock: `imports` (package names) and everything they depend on. */
export function computeFunctionLock(root: PackageLock, name: string, imports: readonly string[]): FunctionLock {
  const packages = root.packages;
  const kept = new Map<string, LockEntry>();
  const visit = (path: string) => {
    if (kept.has(path)) return;
    const entry = packages[path] as LockEntry;
    kept.set(path, entry);
    for (const dep of needs(entry)) {
      const found = resolveInLock(packages, path, dep.name);
      if (found) visit(found);
      else if (!dep.optional) throw new Error(`${path} needs ${dep.name}, which the root package-lock.json lacks`);
    }
  };
  const dependencies: Record<string, string> = {};
  for (const pkg of [...imports].sort()) {
    const path = `node_modules/${pkg}`;
    const version = packages[path]?.version;
    if (!version) throw new Error(`${name} imports ${pkg}, which the root package-lock.json lacks`);
    dependencies[pkg] = version;
    visit(path);
  }
  const entries: Record<string, LockEntry> = { '': { name: `earshot-${name}`, dependencies } };
  for (const path of [...kept.keys()].sort()) {
    // Development flags describe the root project's tree; in a function's nothing is for development.
    const { dev: _dev, devOptional, ...entry } = kept.get(path) as LockEntry;
    entries[path] = devOptional ? { ...entry, optional: true } : entry;
  }
  return { dependencies, lock: { name: `earshot-${name}`, lockfileVersion: 3, requires: true, packages: entries } };
}
