// What installing each connector costs: its packed tarball (files, bytes), what `npm install
// --omit=dev` of that tarball puts in node_modules (packages, bytes), and how much of that Logto
// does not already ship (Logto provides @logto/connector-kit and zod to every connector).
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

import { log, repoDir, workDir } from './util.js';

const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function pack(spec, destination) {
  const [info] = JSON.parse(npm(['pack', spec, '--json', '--ignore-scripts', '--pack-destination', destination], repoDir));
  return {
    name: info.name,
    version: info.version,
    tarball: join(destination, info.filename),
    packedBytes: info.size,
    unpackedBytes: info.unpackedSize,
    files: info.entryCount,
    dependencies: undefined,
  };
}

function walk(directory, visit) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      walk(path, visit);
    } else {
      visit(path);
    }
  }
}

/** Every package under node_modules (nested ones included) with its bytes. */
function installedPackages(nodeModules) {
  const packages = [];
  const visitPackages = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      if (entry.name.startsWith('@')) {
        for (const scoped of readdirSync(join(directory, entry.name), { withFileTypes: true })) {
          if (scoped.isDirectory()) visitPackage(join(directory, entry.name, scoped.name));
        }
      } else {
        visitPackage(join(directory, entry.name));
      }
    }
  };
  const visitPackage = (directory) => {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
    } catch {
      return;
    }
    let bytes = 0;
    walk(directory, (path) => {
      if (!path.slice(directory.length).includes('/node_modules/')) bytes += lstatSync(path).size;
    });
    packages.push({ name: manifest.name, version: manifest.version, bytes });
    try {
      visitPackages(join(directory, 'node_modules'));
    } catch {
      // No nested node_modules.
    }
  };
  visitPackages(nodeModules);
  return packages;
}

function install(specs, name) {
  const directory = join(workDir, 'install', name);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name: `bench-${name}`, private: true }));
  npm(
    ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', ...specs],
    directory
  );
  const packages = installedPackages(join(directory, 'node_modules'));
  return {
    packages,
    bytes: packages.reduce((sum, item) => sum + item.bytes, 0),
    diskBytes: diskBytes(join(directory, 'node_modules')),
  };
}

/** The packages lib/index.js imports at run time (Node built-ins aside), as esbuild sees them. */
async function runtimeImports(file) {
  const { build } = await import('esbuild');
  const { metafile } = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
  return [
    ...new Set(
      imports
        .filter((item) => item.external && !item.path.startsWith('node:') && !builtinModules.includes(item.path))
        .map((item) => item.path)
    ),
  ].sort();
}

const diskBytes = (directory) => Number(execFileSync('du', ['-sk', directory], { encoding: 'utf8' }).split(/\s/)[0]) * 1024;

export async function measureFootprint() {
  const destination = join(workDir, 'pack');
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });

  const logtoProvides = ['@logto/connector-kit', 'zod'];
  // What else a connector may import at run time because Logto core depends on it
  // (packages/core/package.json): the guard's Redis store loads Logto's redis@4 when REDIS_URL is set.
  const logtoCoreResolves = [...logtoProvides, 'redis'];
  const baseline = install(['@logto/connector-kit@5', 'zod@3.24.3'], 'logto-baseline');
  const provided = new Set(baseline.packages.map(({ name }) => name));
  log(`  Logto's own @logto/connector-kit + zod: ${baseline.packages.length} packages, ${(baseline.bytes / 1e6).toFixed(2)} MB`);

  const result = {
    logtoProvides,
    logtoCoreResolves,
    baseline: { packages: baseline.packages.length, bytes: baseline.bytes, diskBytes: baseline.diskBytes },
    connectors: {},
  };
  for (const [name, spec] of [
    ['connector', join(repoDir, 'packages/connector')],
    ['official', '@logto/connector-twilio-sms@1.4.4'],
  ]) {
    const packed = pack(spec, destination);
    const installed = install([packed.tarball], name);
    const extra = installed.packages.filter((item) => !provided.has(item.name));
    const manifest = JSON.parse(execFileSync('tar', ['-xOzf', packed.tarball, 'package/package.json'], { encoding: 'utf8' }));
    const dependencies = Object.keys(manifest.dependencies ?? {}).sort();
    result.connectors[name] = {
      ...packed,
      tarball: undefined,
      dependencies,
      dependenciesLogtoDoesNotShip: dependencies.filter((dependency) => !logtoProvides.includes(dependency)),
      installedPackages: installed.packages.length,
      installedBytes: installed.bytes,
      installedDiskBytes: installed.diskBytes,
      installedVersions: Object.fromEntries(
        installed.packages.filter((item) => logtoProvides.includes(item.name)).map((item) => [item.name, item.version])
      ),
      beyondLogtoPackages: extra.length,
      beyondLogtoBytes: extra.reduce((sum, item) => sum + item.bytes, 0),
      beyondLogto: extra.map(({ name: packageName, version }) => `${packageName}@${version}`).sort(),
    };
    log(
      `  ${name}: packed ${(packed.packedBytes / 1e3).toFixed(1)} kB (${packed.files} files); npm install: ${installed.packages.length} packages, ${(installed.bytes / 1e6).toFixed(2)} MB; beyond what Logto ships: ${extra.length} packages, ${(result.connectors[name].beyondLogtoBytes / 1e6).toFixed(2)} MB`
    );
  }
  result.connectors.connector.libImports = await runtimeImports(join(repoDir, 'packages/connector/lib/index.js'));
  return result;
}
