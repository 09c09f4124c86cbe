/**
 * The Node versions the project says it supports are ones every installed package accepts, and
 * the README names the same ones; CI runs specs on the oldest Node that still runs them too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { projectFiles } from '../../stacks/project-files';

interface LockEntry {
  engines?: { node?: string };
  optional?: boolean;
}

const readJson = <T>(file: string): T =>
  JSON.parse(readFileSync(join(projectFiles.root, file), 'utf8')) as T;

const engines = (file: string): string =>
  readJson<{ engines: { node: string } }>(file).engines.node;

/** What each installed package (platform-specific optional ones aside) says it runs on. */
const installedRequirements = Object.entries(
  readJson<{ packages: Record<string, LockEntry> }>('package-lock.json').packages,
).flatMap(([path, entry]) =>
  path.startsWith('node_modules/') && !entry.optional && entry.engines?.node
    ? [{ name: path.replace(/^.*node_modules\//, ''), node: entry.engines.node }]
    : [],
);

/** The first release of each Node major version (18 to 30) that `range` admits. */
function firstOfEachMajor(range: string): string[] {
  const majors = Array.from({ length: 13 }, (_, index) => 18 + index);
  const alternatives = range.split('||').map((alternative) => alternative.trim());
  return majors.flatMap((major) => {
    const firsts = alternatives.flatMap((alternative) => {
      const first = semver.minVersion(`${alternative} >=${major}.0.0 <${major + 1}.0.0`);
      return first ? [first] : [];
    });
    return firsts.length > 0 ? [semver.sort(firsts)[0]?.version ?? ''] : [];
  });
}

describe.each(['package.json', 'packages/local-cloud/package.json'])('%s', (file) => {
  it('asks for a Node version that every installed package accepts', () => {
    // Given the oldest release of each Node major version the engines range admits
    const admitted = firstOfEachMajor(engines(file));
    expect(admitted.length).toBeGreaterThan(0);

    // Then no installed package refuses any of them
    const refused = admitted.flatMap((version) =>
      installedRequirements
        .filter((requirement) => !semver.satisfies(version, requirement.node))
        .map((requirement) => `${requirement.name} (${requirement.node}) refuses Node ${version}`),
    );
    expect(refused).toEqual([]);
  });
});

it('the README states the Node version the engines range asks for', () => {
  const oldest = semver.minVersion(engines('package.json'));
  expect(readFileSync(join(projectFiles.root, 'README.md'), 'utf8')).toContain(
    `Node ${oldest?.major}.${oldest?.minor}+`,
  );
});
