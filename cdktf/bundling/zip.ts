import { crc32, deflateRawSync } from 'node:zlib';

/** One file in an archive: its path inside the zip (with `/`) and its bytes. */
export interface ZipEntry {
  name: string;
  data: Buffer;
}

// 1980-01-01 00:00 in DOS time/date: a fixed timestamp, so the same files always make the
// same bytes, the same object name and no needless function redeploy.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * A deterministic zip (deflate, no extra fields, entries in name order) of `entries`: enough
 * for a Cloud Functions source archive, and identical bytes for identical input.
 */
export function zip(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of sorted) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const fields = { crc: crc32(entry.data), compressed, size: entry.data.length, name };
    const local = Buffer.concat([localHeader(fields), name, compressed]);
    centrals.push(Buffer.concat([centralHeader(fields, offset), name]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  return Buffer.concat([...locals, central, endOfCentral(sorted.length, central.length, offset)]);
}

interface HeaderFields {
  crc: number;
  compressed: Buffer;
  size: number;
  name: Buffer;
}

function localHeader(f: HeaderFields): Buffer {
  const b = Buffer.alloc(30);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
  b.writeUInt16LE(0x0800, 6); // names are UTF-8
  b.writeUInt16LE(8, 8); // deflate
  b.writeUInt16LE(DOS_TIME, 10);
  b.writeUInt16LE(DOS_DATE, 12);
  b.writeUInt32LE(f.crc, 14);
  b.writeUInt32LE(f.compressed.length, 18);
  b.writeUInt32LE(f.size, 22);
  b.writeUInt16LE(f.name.length, 26);
  return b;
}

function centralHeader(f: HeaderFields, offset: number): Buffer {
  const b = Buffer.alloc(46);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, spec 2.0
  b.writeUInt16LE(20, 6);
  b.writeUInt16LE(0x0800, 8);
  b.writeUInt16LE(8, 10);
  b.writeUInt16LE(DOS_TIME, 12);
  b.writeUInt16LE(DOS_DATE, 14);
  b.writeUInt32LE(f.crc, 16);
  b.writeUInt32LE(f.compressed.length, 20);
  b.writeUInt32LE(f.size, 24);
  b.writeUInt16LE(f.name.length, 28);
  b.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
  b.writeUInt32LE(offset, 42);
  return b;
}

function endOfCentral(count: number, size: number, offset: number): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  b.writeUInt16LE(count, 8);
  b.writeUInt16LE(count, 10);
  b.writeUInt32LE(size, 12);
  b.writeUInt32LE(offset, 16);
  return b;
}
