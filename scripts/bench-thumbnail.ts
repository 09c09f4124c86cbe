/**
 * Benchmark of the thumbnail engine (handlers/lib/thumbnail/) on a 12 MP photo, against sharp (libvips,
 * native) doing the same work, and plain jimp for reference. Run: `npx tsx scripts/bench-thumbnail.ts`.
 *
 * The 4000x3000 JPEG is synthesised once (gradients, shapes, sensor-like noise; quality 90) and cached in
 * .bench/ (git-ignored). Times are medians of interleaved runs after a warm-up, i.e. a warm Lambda; peak
 * RSS deltas are measured in a fresh child process each, i.e. a cold one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Jimp } from 'jimp';
import sharp from 'sharp';
import { makeThumbnail } from '../handlers/lib/thumbnail';

export interface BenchRow {
  name: string;
  value: string;
  goal?: string;
}

const WIDTH = 4000;
const HEIGHT = 3000;
const FIXTURE = path.join(__dirname, '..', '.bench', `photo-${WIDTH}x${HEIGHT}-q90.jpg`);
const OPTIONS = { width: 256, maxPixels: 50_000_000, quality: 80 };
const RUNS = 7;
const JIMP_RUNS = 3;
const GOAL_RATIO = 8;

type Contender = 'ours' | 'sharp' | 'jimp';

const contenders: Record<Contender, (photo: Buffer) => Promise<Buffer>> = {
  ours: async (photo) => (await makeThumbnail(photo, OPTIONS)).body,
  sharp: (photo) => sharp(photo).rotate().resize(256).jpeg({ quality: 80 }).toBuffer(),
  jimp: async (photo) => {
    const image = await Jimp.fromBuffer(photo);
    image.resize({ w: 256 });
    return image.getBuffer('image/jpeg', { quality: 80 });
  },
};

/** A photo-like 12 MP JPEG: smooth gradients, soft shapes, fine texture and per-pixel noise. */
async function photo(): Promise<Buffer> {
  if (existsSync(FIXTURE)) return readFileSync(FIXTURE);
  const rgb = new Uint8ClampedArray(WIDTH * HEIGHT * 3);
  let seed = 0x2545f491;
  const noise = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return ((seed >>> 0) / 0xffffffff - 0.5) * 36;
  };
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const sky = y < HEIGHT * 0.45;
      const sun = Math.hypot(x - 2900, y - 800) < 260;
      const hill = y > HEIGHT * 0.45 + 180 * Math.sin(x / 520);
      const texture = 14 * Math.sin(x / 7 + Math.sin(y / 11) * 3) * (hill ? 1 : 0.2);
      const base: [number, number, number] = sun
        ? [255, 236, 170]
        : sky && !hill
          ? [90 + (y / HEIGHT) * 120, 150 + (y / HEIGHT) * 60, 235]
          : [70 + 40 * Math.sin(x / 300), 120 + 50 * Math.cos(y / 200), 50];
      const i = (y * WIDTH + x) * 3;
      for (let c = 0; c < 3; c++) rgb[i + c] = (base[c] ?? 0) + texture + noise();
    }
  }
  const jpeg = await sharp(Buffer.from(rgb.buffer), {
    raw: { width: WIDTH, height: HEIGHT, channels: 3 },
  })
    .jpeg({ quality: 90 })
    .toBuffer();
  mkdirSync(path.dirname(FIXTURE), { recursive: true });
  writeFileSync(FIXTURE, jpeg);
  return jpeg;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** Peak RSS growth of one cold thumbnail in a fresh process (same runtime and loaders as this one). */
function peakRssDelta(contender: Contender): number | undefined {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, __filename, '--rss-probe', contender, FIXTURE],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const bytes = Number(child.stdout.trim().split('\n').at(-1));
  return child.status === 0 && Number.isFinite(bytes) ? bytes : undefined;
}

/**
 * Peak resident set size of this process so far. Linux: VmHWM of this process image (getrusage's maxRSS
 * would include the parent's peak, inherited across the fork and exec that started this child).
 */
function peakRss(): number {
  try {
    const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (line?.[1] !== undefined) return Number(line[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function rssProbe(contender: Contender, fixture: string): Promise<void> {
  const photoBytes = readFileSync(fixture);
  const before = process.memoryUsage().rss;
  await contenders[contender](photoBytes);
  console.log(String(peakRss() - before));
}

const ms = (value: number): string => `${value.toFixed(0)} ms`;
const mb = (bytes: number | undefined): string =>
  bytes === undefined ? 'n/a' : `+${(bytes / 1024 / 1024).toFixed(0)} MB`;

export async function benchThumbnail(): Promise<BenchRow[]> {
  const photoBytes = await photo();

  // Warm-up (JIT, WebAssembly instantiation, libvips caches), then interleaved runs so that any
  // background load on the machine hits both contenders alike.
  const ourOutput = await contenders.ours(photoBytes);
  const sharpOutput = await contenders.sharp(photoBytes);
  const times: Record<'ours' | 'sharp', number[]> = { ours: [], sharp: [] };
  for (let i = 0; i < RUNS; i++) {
    times.ours.push(await timed(() => contenders.ours(photoBytes)));
    times.sharp.push(await timed(() => contenders.sharp(photoBytes)));
  }
  sharp.concurrency(1);
  const sharpSingleThread: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    sharpSingleThread.push(await timed(() => contenders.sharp(photoBytes)));
  }
  sharp.concurrency(0);
  const jimpTimes: number[] = [];
  for (let i = 0; i < JIMP_RUNS; i++) {
    jimpTimes.push(await timed(() => contenders.jimp(photoBytes)));
  }

  const ours = median(times.ours);
  const sharpMs = median(times.sharp);
  const jimpMs = median(jimpTimes);
  const ratio = ours / sharpMs;
  return [
    {
      name: 'source photo',
      value: `${WIDTH}x${HEIGHT} JPEG q90, ${(photoBytes.length / 1e6).toFixed(1)} MB`,
    },
    { name: `makeThumbnail, median of ${RUNS}`, value: ms(ours) },
    { name: `sharp rotate+resize(256)+jpeg(80), median of ${RUNS}`, value: ms(sharpMs) },
    {
      name: 'ours / sharp',
      value: `${ratio.toFixed(1)}x`,
      goal: `<= ${GOAL_RATIO}x ${ratio <= GOAL_RATIO ? 'met' : 'MISSED'}`,
    },
    {
      name: 'sharp on one thread (Lambda 1 GB has < 1 vCPU)',
      value: ms(median(sharpSingleThread)),
    },
    { name: `plain jimp read+resize+jpeg, median of ${JIMP_RUNS}`, value: ms(jimpMs) },
    { name: 'plain jimp / sharp', value: `${(jimpMs / sharpMs).toFixed(1)}x` },
    { name: 'peak RSS delta, makeThumbnail (cold process)', value: mb(peakRssDelta('ours')) },
    { name: 'peak RSS delta, sharp (cold process)', value: mb(peakRssDelta('sharp')) },
    {
      name: 'thumbnail bytes, ours / sharp',
      value: `${ourOutput.length} / ${sharpOutput.length}`,
    },
  ];
}

function printTable(rows: BenchRow[]): void {
  const header: BenchRow = { name: 'measure', value: 'value', goal: 'goal' };
  const all = [header, ...rows];
  const nameWidth = Math.max(...all.map((row) => row.name.length));
  const valueWidth = Math.max(...all.map((row) => row.value.length));
  for (const [i, row] of all.entries()) {
    console.log(
      `${row.name.padEnd(nameWidth)}  ${row.value.padStart(valueWidth)}  ${row.goal ?? ''}`,
    );
    if (i === 0) console.log('-'.repeat(nameWidth + valueWidth + 16));
  }
}

if (require.main === module) {
  const [flag, contender, fixture] = process.argv.slice(2);
  const run =
    flag === '--rss-probe' && (contender === 'ours' || contender === 'sharp') && fixture
      ? rssProbe(contender, fixture)
      : benchThumbnail().then(printTable);
  run.catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
