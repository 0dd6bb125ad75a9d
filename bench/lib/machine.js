// What the numbers were measured on.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const tryRead = (read) => {
  try {
    return read();
  } catch {
    return undefined;
  }
};

export function describeMachine() {
  const cpus = os.cpus();
  const osRelease = tryRead(() => /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1]);
  const cgroupCpu = tryRead(() => readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim());
  return {
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    cgroupCpuMax: cgroupCpu,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
    npm: tryRead(() => execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim()),
    os: `${osRelease ?? os.type()} (${os.platform()} ${os.release()} ${os.arch()})`,
    date: new Date().toISOString(),
    loadAverage: { start: os.loadavg()[0].toFixed(2) },
  };
}
