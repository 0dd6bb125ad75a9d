// Turns the measurements into ratios, target verdicts and a Markdown report.

const int = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–');
const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const mb = (bytes, digits = 2) => (Number.isFinite(bytes) ? `${(bytes / 1e6).toFixed(digits)} MB` : '–');
const kb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1e3).toFixed(1)} kB` : '–');
const mib = (bytes) => (Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(1) : '–');
const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');
const range = (stat, format) => (stat && stat.n ? `${format(stat.median)} (${format(stat.min)}–${format(stat.max)})` : '–');

/** The issue's targets, checked against one run's numbers. */
export function evaluateTargets(results) {
  const senders = results.senders?.summary;
  const imports = results.imports?.summary;
  const footprint = results.footprint?.connectors?.connector;
  const sandbox = results.sandbox?.summary;
  const targets = [];
  const add = (name, target, measured, met) => targets.push({ name, target, measured, met: measured === undefined ? null : met });

  if (senders?.connector && senders?.undici) {
    const { connector, undici, official } = senders;
    const c32 = connector.c32.median / undici.c32.median;
    const c1 = connector.c1.median / undici.c1.median;
    const cpu = connector.cpuUsPerSendC32.median / undici.cpuUsPerSendC32.median;
    add(
      'Throughput at concurrency 32',
      '≥ 0.85× the undici loop',
      official ? `${ratio(c32)} (${ratio(connector.c32.median / official.c32.median)} the official connector)` : ratio(c32),
      c32 >= 0.85
    );
    add('Throughput at concurrency 1', '≥ 0.9× the undici loop', ratio(c1), c1 >= 0.9);
    add(
      'Client CPU per send',
      '≤ 1.2× the undici loop',
      `${ratio(cpu)} (${fixed(connector.cpuUsPerSendC32.median, 0)} µs vs ${fixed(undici.cpuUsPerSendC32.median, 0)} µs)`,
      cpu <= 1.2
    );
    const memory = connector.memory;
    add(
      `RSS over ${int(results.senders.plan.memory)} sends`,
      `flat (last sample ≤ 1.1× the one at ${int(results.senders.plan.flatFrom)})`,
      memory
        ? `${mib(memory.rssFrom)} → ${mib(memory.rssLast)} MiB (${memory.growth >= 0 ? '+' : ''}${fixed(memory.growth * 100)}%); heap after GC ${mib(memory.heapFrom)} → ${mib(memory.heapLast)} MiB`
        : undefined,
      memory?.flat
    );
  }
  for (const [row, goal] of [
    ['connectorGuardMemory', 0.8],
    ['connectorGuardRedis', 0.7],
  ]) {
    const item = senders?.[row];
    if (item && senders.undici) {
      const c32 = item.c32.median / senders.undici.c32.median;
      add(
        `Throughput at concurrency 32, ${item.label.replace('this connector, ', '')}`,
        `≥ ${goal}× the undici loop`,
        `${ratio(c32)}${senders.connector ? ` (guard off: ${ratio(senders.connector.c32.median / senders.undici.c32.median)})` : ''}`,
        c32 >= goal
      );
    }
  }
  const guard = results.guard;
  for (const store of ['memory', 'redis']) {
    const cost = guard?.decisions?.[store];
    if (cost) {
      add(
        `Guard decision p99, ${store === 'redis' ? 'loopback Redis' : 'in memory'}`,
        '< 2 ms',
        `${fixed(cost.p99Ms * 1000, 0)} µs (p50 ${fixed(cost.p50Ms * 1000, 0)} µs)${cost.fallbackNotices ? ', with fallbacks to memory' : ''}`,
        cost.p99Ms < 2 && !cost.fallbackNotices
      );
    }
  }
  const effectiveness = guard?.effectiveness;
  if (effectiveness) {
    const runs = Object.fromEntries(effectiveness.runs.map((run) => [run.id, run]));
    const legitRefused = Math.max(...effectiveness.runs.map((run) => run.legit.refused));
    add(
      `Legitimate sends refused in ${effectiveness.traffic.days} days, defaults`,
      'none',
      `${int(legitRefused)} (of ${int(runs.legit?.legit.sends)})`,
      legitRefused === 0
    );
    for (const id of ['a', 'b']) {
      if (runs[id])
        add(
          `Attack (${id}) SMS through, defaults`,
          '≤ 50',
          `${int(runs[id].overlaySends.through)} of ${int(runs[id].overlaySends.sends)}`,
          runs[id].overlaySends.through <= 50
        );
    }
  }
  if (imports) {
    const extra = imports.connector.extra.median;
    add(
      'Import cost with connector-kit and zod loaded',
      '≤ 15 ms',
      `${fixed(extra)} ms (official: ${fixed(imports.official.extra.median)} ms)`,
      extra <= 15
    );
  }
  if (footprint) {
    const unshipped = [
      ...footprint.dependenciesLogtoDoesNotShip,
      ...footprint.libImports.filter(
        (name) => !(results.footprint.logtoCoreResolves ?? results.footprint.logtoProvides).includes(name)
      ),
    ];
    add(
      'Runtime dependencies Logto does not ship',
      'none (besides what is bundled)',
      unshipped.length ? unshipped.join(', ') : `none (imports ${footprint.libImports.join(', ')})`,
      unshipped.length === 0
    );
    add('Packed size', '≤ 1 MB', kb(footprint.packedBytes), footprint.packedBytes <= 1e6);
  }
  if (sandbox) {
    const creates = sandbox.sandbox.perSecond.median / sandbox.minimal.perSecond.median;
    add(
      'Sandbox creates/s at 32 clients',
      '≥ 0.5× the minimal node:http responder',
      `${ratio(creates)} (${int(sandbox.sandbox.perSecond.median)} vs ${int(sandbox.minimal.perSecond.median)}/s)`,
      creates >= 0.5
    );
    add('Sandbox p99 at 32 clients', '< 10 ms', `${fixed(sandbox.sandbox.p99.median, 2)} ms`, sandbox.sandbox.p99.median < 10);
  }
  return targets;
}

const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map((cell, index) => (index === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

export function renderMarkdown(results) {
  const lines = [];
  const { machine } = results;
  lines.push(
    `Measured ${machine.date} on ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, Node ${machine.node} (OpenSSL ${machine.openssl}), npm ${machine.npm}, ${machine.os}.${results.quick ? ' **Quick run (BENCH_QUICK=1): fewer rounds and sends, for a smoke test only.**' : ''}`
  );
  if (machine.loadAverage) {
    lines.push(
      '',
      `Load average (1 min) at start ${machine.loadAverage.start}, at end ${machine.loadAverage.end ?? '–'}: anything above ~0.1 means other work shared the cores during the run.`
    );
  }
  lines.push('');
  lines.push('Medians, with min–max over the rounds in parentheses; ratios are of medians.');

  const senders = results.senders;
  const imports = results.imports?.summary;
  if (senders) {
    const { summary, plan, serverCount } = senders;
    const base = summary.undici ?? Object.values(summary)[0];
    lines.push('', '### Senders', '');
    lines.push(
      `Fake Twilio endpoint over TLS in its own process; each sender in its own process; ${plan.rounds} interleaved rounds of ${int(plan.c1)} sends at concurrency 1 and ${int(plan.c32)} at concurrency 32, after ${int(plan.warmup)} warm-up sends. CPU is the sender process's user + system time per send at concurrency 32. Import: median of ${results.imports?.runs ?? '–'} fresh processes; "with kit + zod" is the extra time when @logto/connector-kit and zod are already loaded, as in Logto. The fake endpoint counted ${int(serverCount.arrived)} of ${int(serverCount.expected)} sends.`
    );
    lines.push('');
    const rows = Object.entries(summary).map(([name, item]) => [
      item.label,
      range(item.c1, int),
      ratio(item.c1.median / base.c1.median),
      range(item.c32, int),
      ratio(item.c32.median / base.c32.median),
      range(item.cpuUsPerSendC32, (value) => fixed(value, 0)),
      ratio(item.cpuUsPerSendC32.median / base.cpuUsPerSendC32.median),
      imports?.[name] ? range(imports[name].fresh, fixed) : '–',
      imports?.[name] ? range(imports[name].extra, fixed) : '–',
      item.memory ? mib(item.memory.maxRssBytes) : '–',
      item.memory
        ? `${mib(item.memory.rssFrom)} → ${mib(item.memory.rssLast)} (${item.memory.flat ? 'flat' : `+${fixed(item.memory.growth * 100)}%`})`
        : '–',
      item.memory ? `${mib(item.memory.heapFrom)} → ${mib(item.memory.heapLast)}` : '–',
    ]);
    lines.push(
      table(
        [
          'Sender',
          'sends/s, c=1',
          '× undici',
          'sends/s, c=32',
          '× undici',
          'CPU µs/send',
          '× undici',
          'import ms, fresh',
          'import ms, with kit + zod',
          'peak RSS MiB',
          `RSS MiB ${int(plan.flatFrom / 1000)}k → ${int(plan.memory / 1000)}k sends`,
          'heap after GC, MiB',
        ],
        rows
      )
    );
    const connector = summary.connector;
    const official = summary.official;
    if (connector && official) {
      lines.push(
        '',
        `This connector against the official one: ${ratio(connector.c32.median / official.c32.median)} the throughput at concurrency 32, ${ratio(connector.c1.median / official.c1.median)} at concurrency 1, ${ratio(connector.cpuUsPerSendC32.median / official.cpuUsPerSendC32.median)} the CPU per send.`
      );
    }
  }

  if (imports && !senders) {
    lines.push('', '### Import time', '');
    lines.push(
      `Median (min–max) of ${results.imports.runs} fresh processes; "with kit + zod" is the extra time when @logto/connector-kit and zod are already loaded, as in Logto.`,
      ''
    );
    lines.push(
      table(
        ['Module', 'import ms, fresh', 'import ms, with kit + zod'],
        Object.entries(imports).map(([name, item]) => [name, range(item.fresh, fixed), range(item.extra, fixed)])
      )
    );
  }

  const footprint = results.footprint;
  if (footprint) {
    lines.push('', '### Footprint', '');
    lines.push(
      `From \`npm pack\`, then \`npm install --omit=dev --ignore-scripts <tarball>\` in an empty directory. Logto provides @logto/connector-kit and zod to its connectors (alone they install ${footprint.baseline.packages} packages, ${mb(footprint.baseline.bytes)}); "beyond Logto" is what a connector adds to that.`
    );
    lines.push('');
    lines.push(
      table(
        [
          'Connector',
          'tarball',
          'files',
          'unpacked',
          'npm install: packages',
          'bytes (on disk)',
          'beyond Logto: packages',
          'bytes',
          'dependencies Logto does not ship',
        ],
        Object.values(footprint.connectors).map((item) => [
          `${item.name}@${item.version}`,
          kb(item.packedBytes),
          int(item.files),
          kb(item.unpackedBytes),
          int(item.installedPackages),
          `${mb(item.installedBytes)} (${mb(item.installedDiskBytes)})`,
          int(item.beyondLogtoPackages),
          mb(item.beyondLogtoBytes),
          item.dependenciesLogtoDoesNotShip.length ? item.dependenciesLogtoDoesNotShip.join(', ') : 'none',
        ])
      )
    );
    const zod = footprint.connectors.connector?.installedVersions?.zod;
    if (zod) {
      lines.push('', `npm resolves this connector's zod range to zod@${zod} (the official connector pins 3.24.3).`);
    }
  }

  const sandbox = results.sandbox;
  if (sandbox) {
    const { summary, plan } = sandbox;
    lines.push('', '### Sandbox', '');
    lines.push(
      `${plan.concurrency} concurrent keep-alive undici clients in their own process, POST …/Messages.json with Basic auth; ${plan.rounds} interleaved rounds of ${int(plan.count)} requests after ${int(plan.warmup)} warm-up requests; latency per request.`
    );
    lines.push('');
    lines.push(
      table(
        ['Server', 'creates/s', '× minimal', 'p50 ms', 'p99 ms', 'non-201', 'stored / sent'],
        Object.values(summary).map((item) => [
          item.label,
          range(item.perSecond, int),
          ratio(item.perSecond.median / summary.minimal.perSecond.median),
          range(item.p50, (value) => fixed(value, 2)),
          range(item.p99, (value) => fixed(value, 2)),
          int(item.failures),
          `${int(item.stored)} / ${int(item.sent)}`,
        ])
      )
    );
  }

  const guard = results.guard;
  if (guard) {
    lines.push('', '### Abuse guard', '');
    const decisions = guard.decisions;
    if (decisions) {
      lines.push(
        `One decision (\`createGuard(...).check\`) at the defaults, timed one at a time over the first ${int(decisions.sends)} sends of the simulated deployment (a fresh store, real numbers in 17 countries), after a warm-up; Redis at ${decisions.redisUrl} with its own key prefix, cleared afterwards.`,
        ''
      );
      lines.push(
        table(
          ['Store', 'decisions', 'p50 µs', 'p99 µs', 'max µs', 'CPU µs per decision (this process)'],
          ['memory', 'redis']
            .filter((store) => decisions[store])
            .map((store) => [
              store === 'redis' ? `loopback Redis${decisions.redis.fallbackNotices ? ' (fell back to memory)' : ''}` : 'memory',
              int(decisions[store].decisions),
              fixed(decisions[store].p50Ms * 1000, 0),
              fixed(decisions[store].p99Ms * 1000, 0),
              fixed(decisions[store].maxMs * 1000, 0),
              fixed(decisions[store].cpuUsPerDecision, 0),
            ])
        )
      );
    }
    const effectiveness = guard.effectiveness;
    if (effectiveness) {
      const { traffic } = effectiveness;
      lines.push(
        '',
        `Effectiveness in virtual time: ${traffic.days} days of legitimate traffic (${int(traffic.dailyCodes)} codes on a weekday, seed ${traffic.seed}), each scenario laid over it and replayed through \`createGuard\` at its defaults (no \`guard\` key) on a fresh memory store: ${int(effectiveness.decisions)} decisions in ${fixed(effectiveness.elapsedMs / 1000, 0)} s.`,
        ''
      );
      const rules = (run, who) =>
        Object.entries(run.byRule)
          .filter(([, counts]) => counts[who] > 0)
          .map(([rule, counts]) => `${rule} ${int(counts[who])}`)
          .join(', ') || '–';
      lines.push(
        table(
          ['Scenario', 'attempts', 'attack SMS through', 'staff refused', 'legit refused', 'refused by', 'chart'],
          effectiveness.runs.map((run) => [
            run.remedy ? `${run.title} (\`${run.remedy}\`)` : run.title,
            run.overlayKind === 'none' ? '–' : int(run.overlaySends.sends),
            run.overlayKind === 'attack' ? int(run.overlaySends.through) : '–',
            run.overlayKind === 'staff' ? int(run.overlaySends.refused) : '–',
            `${int(run.legit.refused)} of ${int(run.legit.sends)}`,
            [
              rules(run, 'overlay'),
              run.legit.refused
                ? `legit: ${rules(run, 'legit')} (${Object.entries(run.legitRefusedByCountry)
                    .map(([country, refused]) => `${country} ${int(refused)}`)
                    .join(', ')})`
                : '',
            ]
              .filter(Boolean)
              .join('; '),
            effectiveness.charts[run.id] ? `[svg](${effectiveness.charts[run.id]})` : '–',
          ])
        )
      );
    }
  }

  if (results.targets?.length) {
    lines.push('', '### Targets', '');
    lines.push(
      table(
        ['Target', 'Goal', 'Measured', 'Met'],
        results.targets.map((target) => [
          target.name,
          target.target,
          target.measured ?? '–',
          target.met === null ? 'not measured' : target.met ? 'yes' : '**no**',
        ])
      )
    );
  }

  if (results.errors?.length) {
    lines.push('', '### Errors', '', ...results.errors.map((error) => `- ${error.phase}: ${error.message.split('\n')[0]}`));
  }
  return `${lines.join('\n')}\n`;
}
