import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeAsnBinary, tryReadAsnBinary, tryReadAsnBinarySource, type AsnTables } from '../../domain/geo/asn-binary.ts';
import { AsnRanges, parseAsnCsv } from '../../domain/geo/asn-table.ts';
import { installedPackageDir, installedPackageVersion } from './installed-package.ts';

/** The registry package the ASN lists ship in (RouteViews and DB-IP, CC BY 4.0). */
export const asnPackage = '@ip-location-db/asn';

/**
 * The binary form's name beside the bundle: `npm run build` writes it into each archive that
 * looks addresses up, so an instance views the ranges in place instead of parsing 40 MB of CSV.
 */
export const asnBinaryName = 'asn-ranges.bin';

/** `package@version` of the installed ASN lists, the stamp a binary form must carry to be used. */
export const computeAsnPackageSource = (): string => `${asnPackage}@${installedPackageVersion(asnPackage)}`;

/** Autonomous systems by address family and their organisations' names, each read on first use. */
export interface PackagedAsnTables {
  /** Where the ranges came from: the binary form beside the bundle, or the package's CSV lists. */
  readonly form: 'binary' | 'csv';
  v4(): AsnRanges<Uint32Array>;
  v6(): AsnRanges<BigUint64Array>;
  organisation(asn: number): string | undefined;
}

const csvText = (family: 4 | 6) => readFileSync(join(installedPackageDir(asnPackage), `asn-ipv${family}-num.csv`), 'utf8');

/** Both families parsed from the installed package's CSV lists, what the build turns into the binary form. */
export function computeAsnBinaryFromPackage(): Uint8Array {
  const organisations = new Map<number, string>();
  const tables = { v4: parseAsnCsv(csvText(4), 4, organisations), v6: parseAsnCsv(csvText(6), 6, organisations), organisations };
  return computeAsnBinary(tables, computeAsnPackageSource());
}

/** The binary form in `file` if there is one made from the installed package version. */
function tryLoadBinary(file: string): AsnTables | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  return tryReadAsnBinarySource(bytes) === computeAsnPackageSource() ? tryReadAsnBinary(bytes) : undefined;
}

/**
 * The ASN tables from the binary form `binaryFile` (by default the one beside this module, which
 * only a built archive has) when it was made from the installed package version; else from the
 * package's CSV lists, each family parsed on its first use (`earshot start`, tests).
 */
export function openPackagedAsnTables(binaryFile: string = fileURLToPath(new URL(asnBinaryName, import.meta.url))): PackagedAsnTables {
  let binary: { tables: AsnTables | undefined } | undefined;
  const loaded = () => (binary ??= { tables: tryLoadBinary(binaryFile) }).tables;
  const organisations = new Map<number, string>();
  let v4: AsnRanges<Uint32Array> | undefined;
  let v6: AsnRanges<BigUint64Array> | undefined;
  return {
    get form() {
      return loaded() ? 'binary' : 'csv';
    },
    v4: () => (v4 ??= new AsnRanges(loaded()?.v4 ?? parseAsnCsv(csvText(4), 4, organisations))),
    v6: () => (v6 ??= new AsnRanges(loaded()?.v6 ?? parseAsnCsv(csvText(6), 6, organisations))),
    organisation: (asn) => (loaded()?.organisations ?? organisations).get(asn),
  };
}
