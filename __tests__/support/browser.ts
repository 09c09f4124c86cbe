/**
 * The browser the website spec drives, with nothing installed but `npm ci`: the Chromium headless
 * shell that `@sparticuz/chromium` ships inside its npm package (brotli-compressed, with the NSS,
 * NSPR and expat libraries it links against), unpacked once per version into the temporary
 * directory. Debian's chromium is used instead when this machine happens to have it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const PACKAGE = '@sparticuz/chromium';

/** Headless on a CI box: no GPU, no calls home, no first-run screens. Playwright gives every
 * launch a fresh user data directory of its own. */
const HEADLESS_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

interface PackagedChromium {
  executablePath: string;
  args: string[];
  libraryPath: string;
}

/**
 * The package unpacks into `os.tmpdir()`, so it runs in a child Node whose TMPDIR is the directory
 * to unpack into. It unpacks the libraries it bundles (for hosts that lack them) only where it
 * recognises Amazon Linux 2023 by the Lambda runtime variable, which the child therefore sets.
 */
const UNPACK = `
const { default: packaged } = await import('${PACKAGE}');
const executablePath = await packaged.executablePath(process.argv[1]);
process.stdout.write(JSON.stringify({ executablePath, args: packaged.args }));
`;

function unpackInto(directory: string, bin: string): PackagedChromium {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', UNPACK, bin], {
    cwd: __dirname,
    env: { ...process.env, TMPDIR: directory, AWS_LAMBDA_JS_RUNTIME: 'nodejs20.x' },
    encoding: 'utf8',
  });
  const { executablePath, args } = JSON.parse(output) as Omit<PackagedChromium, 'libraryPath'>;
  return { executablePath, args, libraryPath: join(directory, 'al2023', 'lib') };
}

/** The package's root: its manifest is not among its exports. */
function packageRoot(): string {
  let directory = dirname(require.resolve(PACKAGE));
  while (!existsSync(join(directory, 'bin'))) directory = dirname(directory);
  return directory;
}

function packagedChromium(): PackagedChromium {
  const root = packageRoot();
  const bin = join(root, 'bin');
  const manifest = join(root, 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const unpacked = join(tmpdir(), `sparticuz-chromium-${version}`);
  if (!existsSync(unpacked)) {
    // Unpacked aside, then renamed: a concurrent run never starts a half-written binary.
    const staging = mkdtempSync(join(tmpdir(), 'sparticuz-chromium-staging-'));
    try {
      unpackInto(staging, bin);
      renameSync(staging, unpacked);
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      // Another run renamed its copy first: use that one.
      if (!existsSync(unpacked)) throw error;
    }
  }
  return unpackInto(unpacked, bin);
}

export async function launchBrowser(): Promise<Browser> {
  if (existsSync(DEBIAN_CHROMIUM)) {
    return chromium.launch({ executablePath: DEBIAN_CHROMIUM, args: HEADLESS_ARGS });
  }
  const packaged = packagedChromium();
  return chromium.launch({
    executablePath: packaged.executablePath,
    args: [...packaged.args, ...HEADLESS_ARGS],
    env: { ...process.env, LD_LIBRARY_PATH: packaged.libraryPath },
  });
}
