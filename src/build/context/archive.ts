/**
 * ADD's local archives: a file that is a tar, plain or compressed (gzip, bzip2, xz, zstd), is unpacked into
 * the destination instead of copied. As Docker does, the content decides, not the name: the compression by
 * its magic bytes, then the first block must be a valid tar header; anything else is copied as a file.
 * gzip is read with node:zlib; bzip2, xz and zstd with the host's `bzip2`, `xz` and `zstd` programs.
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Header, Pax, type HeaderData } from 'tar';
import { UserError } from '../../errors.js';

export type Compression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

const BLOCK = 512;

const MAGIC: Array<[Compression, number[]]> = [
  ['gzip', [0x1f, 0x8b, 0x08]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

const PROGRAMS: Partial<Record<Compression, string>> = { bzip2: 'bzip2', xz: 'xz', zstd: 'zstd' };

/** The file's compression when it is a tar archive, undefined when it is not one (then it is copied as it is). */
export async function detectArchive(hostPath: string, shownAs: string): Promise<Compression | undefined> {
  const head = await readHead(hostPath, 8);
  const compression = MAGIC.find(([, magic]) => magic.every((b, i) => head[i] === b))?.[0] ?? 'none';
  let first: Buffer | undefined;
  try {
    const reader = new ByteReader(decompressed(hostPath, compression, shownAs));
    try {
      first = await reader.read(BLOCK);
    } finally {
      await reader.close();
    }
  } catch (e) {
    // a program that is missing says so; a stream that does not decompress is no archive (Docker copies it)
    if (e instanceof UserError) throw e;
    return undefined;
  }
  return first && isTarHeader(first) ? compression : undefined;
}

/** One entry of an archive; `body` gives exactly `size` bytes (to be read before asking for the next entry). */
export interface ArchiveEntry {
  header: Header;
  path: string;
  linkpath: string;
  size: number;
  body(): AsyncGenerator<Buffer>;
}

/** The entries of a (possibly compressed) tar, PAX and GNU long names applied. */
export async function* archiveEntries(hostPath: string, compression: Compression, shownAs: string): AsyncGenerator<ArchiveEntry> {
  const reader = new ByteReader(decompressed(hostPath, compression, shownAs));
  const bad = (why: string) => new UserError(`cannot unpack "${shownAs}": ${why}`);
  try {
    yield* entries(reader, bad);
  } catch (e) {
    // a stream that stops decompressing half way (corrupt data, a failing program) is the file's fault
    throw e instanceof UserError ? e : bad((e as Error).message);
  } finally {
    await reader.close();
  }
}

async function* entries(reader: ByteReader, bad: (why: string) => UserError): AsyncGenerator<ArchiveEntry> {
  let ex: HeaderData | undefined;
  let gex: HeaderData | undefined;
  let longPath: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const block = await reader.read(BLOCK);
    if (!block || block.every((b) => b === 0)) return; // the end-of-archive blocks, or a tar cut after an entry
    if (block.length < BLOCK) throw bad('truncated archive');
    const header = new Header(block, 0, ex, gex);
    if (!header.cksumValid) throw bad('invalid tar header');
    const size = header.size ?? 0;
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    const meta = async (): Promise<string> => {
      const body = await reader.read(size + padding);
      if (!body || body.length < size + padding) throw bad('truncated archive');
      return body.subarray(0, size).toString('utf8');
    };
    switch (header.type) {
      case 'ExtendedHeader':
      case 'OldExtendedHeader':
        ex = Pax.parse(await meta(), ex, false);
        continue;
      case 'GlobalExtendedHeader':
        gex = Pax.parse(await meta(), gex, true);
        continue;
      case 'NextFileHasLongPath':
      case 'OldGnuLongPath':
        longPath = (await meta()).replace(/\0.*$/s, '');
        continue;
      case 'NextFileHasLongLinkpath':
        longLink = (await meta()).replace(/\0.*$/s, '');
        continue;
      case 'SparseFile':
        throw bad(`sparse files are not supported ("${longPath ?? header.path}")`);
      default:
        break;
    }
    const known = ['File', 'OldFile', 'ContiguousFile', 'Link', 'SymbolicLink', 'CharacterDevice', 'BlockDevice', 'Directory', 'FIFO'];
    if (!known.includes(header.type)) {
      await reader.skip(size + padding); // vendor metadata (ACLs, volume labels): nothing to unpack
    } else {
      let left = size;
      const body = async function* (): AsyncGenerator<Buffer> {
        while (left > 0) {
          const chunk = await reader.chunk(left);
          if (!chunk) throw bad('truncated archive');
          left -= chunk.length;
          yield chunk;
        }
      };
      yield { header, path: longPath ?? header.path ?? '', linkpath: longLink ?? header.linkpath ?? '', size, body };
      await reader.skip(left + padding);
    }
    ex = undefined;
    longPath = undefined;
    longLink = undefined;
  }
}

/** Whether a block is a tar header: a checksum that adds up (ustar, GNU and v7 tars all have one). */
function isTarHeader(block: Buffer): boolean {
  if (block.length < BLOCK || block.every((b) => b === 0)) return false;
  try {
    return new Header(block).cksumValid;
  } catch {
    return false;
  }
}

async function readHead(hostPath: string, n: number): Promise<Buffer> {
  const fd = await open(hostPath, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fd.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
}

/** The file's bytes, decompressed. */
async function* decompressed(hostPath: string, compression: Compression, shownAs: string): AsyncGenerator<Buffer> {
  if (compression === 'none') {
    yield* createReadStream(hostPath) as AsyncIterable<Buffer>;
    return;
  }
  if (compression === 'gzip') {
    const input = createReadStream(hostPath);
    const gunzip = createGunzip();
    input.on('error', (e) => gunzip.destroy(e));
    input.pipe(gunzip);
    try {
      yield* gunzip as AsyncIterable<Buffer>;
    } finally {
      input.destroy();
      gunzip.destroy();
    }
    return;
  }
  yield* throughProgram(PROGRAMS[compression]!, hostPath, shownAs);
}

/** `<program> -d -c < file`: a missing program is a UserError naming it. */
async function* throughProgram(program: string, hostPath: string, shownAs: string): AsyncGenerator<Buffer> {
  const child = spawn(program, ['-d', '-c'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let failure: Error | undefined;
  let stderr = '';
  const closed = new Promise<number | null>((resolve) => {
    child.on('error', (e: NodeJS.ErrnoException) => {
      failure ??= e.code === 'ENOENT' ? new UserError(`cannot unpack "${shownAs}": it is ${program}-compressed and the "${program}" program is not installed`) : e;
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.on('error', () => undefined); // the program may stop reading (an early return, a bad stream)
  const input = createReadStream(hostPath);
  input.on('error', (e) => {
    failure ??= e;
    child.kill();
  });
  input.pipe(child.stdin);
  try {
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
    } catch (e) {
      throw failure ?? e;
    }
    const code = await closed;
    if (failure) throw failure;
    if (code !== 0) throw new Error(`${program}: ${stderr.trim() || `exit code ${code}`}`);
  } finally {
    input.destroy();
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

/** Reads exact amounts from a stream of buffers. */
class ByteReader {
  private buffered: Buffer[] = [];
  private size = 0;
  private done = false;

  constructor(private readonly source: AsyncGenerator<Buffer>) {}

  /** `n` bytes, fewer at the end of the stream, undefined when nothing is left. */
  async read(n: number): Promise<Buffer | undefined> {
    if (n === 0) return Buffer.alloc(0);
    while (this.size < n && !this.done) await this.fill();
    if (this.size === 0) return undefined;
    return this.take(Math.min(n, this.size));
  }

  /** Up to `n` bytes, as soon as some are there; undefined at the end of the stream. */
  async chunk(n: number): Promise<Buffer | undefined> {
    if (this.size === 0 && !this.done) await this.fill();
    if (this.size === 0) return undefined;
    return this.take(Math.min(n, this.size));
  }

  async skip(n: number): Promise<void> {
    while (n > 0) {
      const chunk = await this.chunk(n);
      if (!chunk) return;
      n -= chunk.length;
    }
  }

  async close(): Promise<void> {
    this.done = true;
    await this.source.return(undefined);
  }

  private async fill(): Promise<void> {
    const next = await this.source.next();
    if (next.done) {
      this.done = true;
      return;
    }
    this.buffered.push(next.value);
    this.size += next.value.length;
  }

  private take(n: number): Buffer {
    const out: Buffer[] = [];
    let need = n;
    while (need > 0) {
      const first = this.buffered[0]!;
      if (first.length <= need) {
        out.push(first);
        this.buffered.shift();
        need -= first.length;
      } else {
        out.push(first.subarray(0, need));
        this.buffered[0] = first.subarray(need);
        need = 0;
      }
    }
    this.size -= n;
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }
}
