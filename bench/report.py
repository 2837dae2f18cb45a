#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn machbench console logs into results.json, results.md and latency.png.

    bench/report.py [--out DIR] LOG...

Each LOG is a VM console log (scripts/vm-run.sh --log FILE) of
/bench/run.sh; lines "@@BENCH {json}" are the figures.  Figures with the
same (mode, bench, mechanism, parameters) over several repetitions are
reduced to their median.  Ratios are taken against the Linux baseline of the
same mode (same VM boot):
  rpc     latency (us per round trip): ratio = mech / baseline (< 1 is faster)
          baselines: futex and pipe
  oneway  messages/s: ratio = mech / pipe (> 1 is faster)
  ool     MB/s: ratio = mech / memcpy and mech / pipe (> 1 is faster)
  many    messages/s: ratio = mech / unix-epoll, same servers x clients
Writes DIR/results.json, DIR/results.md, DIR/latency.png (gnuplot; skipped
with a warning when gnuplot is missing).  DIR defaults to build/bench.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

LINE = re.compile(r'@@BENCH (\{.*\})')
RPC_MECHS = ['mach', 'futex', 'pipe', 'eventfd', 'seqpacket', 'stream']
MODE_NAMES = {'det': 'deterministic (-smp 1 -icount shift=0,sleep=off, TCG)',
              'smp2': '2 vCPUs (TCG)'}


def key_of(r):
    b = r['bench']
    if b in ('rpc', 'self'):
        return (r['mode'], b, r['mech'], r['payload'])
    if b == 'oneway':
        return (r['mode'], b, r['mech'], r['size'])
    if b == 'ool':
        return (r['mode'], b, r['mech'], r['size'])
    if b == 'many':
        return (r['mode'], b, r['mech'], (r['servers'], r['clients'], r['payload']))
    raise ValueError(b)


def metric(r):
    return r['us'] if r['bench'] in ('rpc', 'self') else \
        r['mb_per_s'] if r['bench'] == 'ool' else r['msgs_per_s']


# uring_bench's own report (issue 8), kept verbatim for results.md
URING = []


def parse(logs):
    raw, meta = [], []
    for path in logs:
        with open(path, 'r', errors='replace') as f:
            for line in f:
                line = line.replace('\r', '')
                if '@@URING ' in line:
                    URING.append(line[line.index('@@URING ') + 8:].rstrip('\n'))
                    continue
                m = LINE.search(line)
                if m:
                    try:
                        raw.append(json.loads(m.group(1)))
                    except json.JSONDecodeError:
                        print(f'report: bad line in {path}: {line.strip()}', file=sys.stderr)
                elif '@@BENCH-' in line:
                    meta.append(line[line.index('@@BENCH-'):].strip())
    return raw, meta


def reduce(raw):
    groups = {}
    for r in raw:
        groups.setdefault(key_of(r), []).append(r)
    out = {}
    for k, rs in groups.items():
        vals = sorted(metric(r) for r in rs)
        med = statistics.median(vals)
        us = statistics.median(r['us'] for r in rs)
        out[k] = {'value': med, 'us': us, 'runs': len(vals), 'min': vals[0], 'max': vals[-1],
                  'cs': rs[0].get('cs_per_op')}
    return out


def size_name(n):
    if n >= 1 << 20:
        return f'{n >> 20} MiB'
    if n >= 1 << 10:
        return f'{n >> 10} KiB'
    return f'{n} B'


def fmt(v):
    if v >= 1e6:
        return f'{v / 1e6:.3f} M'
    if v >= 1e4:
        return f'{v / 1e3:.1f} k'
    if v >= 100:
        return f'{v:.0f}'
    return f'{v:.2f}'


def build(res):
    """results.json entries with ratios."""
    entries = []
    for (mode, bench, mech, param), v in sorted(res.items(), key=lambda kv: str(kv[0])):
        e = {'mode': mode, 'bench': bench, 'mech': mech, 'runs': v['runs'],
             'min': v['min'], 'max': v['max']}
        ratios = {}

        def base(m, p=param):
            b = res.get((mode, bench, m, p))
            return b['value'] if b else None
        if bench == 'rpc':
            e.update(payload=param, us=v['value'], unit='us per round trip')
            for b in ('futex', 'pipe'):
                if base(b):
                    ratios[b] = v['value'] / base(b)
        elif bench == 'self':
            e.update(payload=param, us=v['value'], unit='us per operation, one process')
            if base('pipe-rpc') and mech in ('mach-rpc', 'pipe-rpc'):
                ratios['pipe-rpc'] = v['value'] / base('pipe-rpc')
        elif bench == 'oneway':
            e.update(size=param, msgs_per_s=v['value'], us=v['us'], unit='messages/s')
            if base('pipe'):
                ratios['pipe'] = v['value'] / base('pipe')
        elif bench == 'ool':
            e.update(size=param, mb_per_s=v['value'], us=v['us'], unit='MB/s')
            for b in ('memcpy', 'pipe'):
                if base(b):
                    ratios[b] = v['value'] / base(b)
        elif bench == 'many':
            e.update(servers=param[0], clients=param[1], payload=param[2],
                     msgs_per_s=v['value'], unit='messages/s')
            if base('unix-epoll'):
                ratios['unix-epoll'] = v['value'] / base('unix-epoll')
        e['ratio'] = {k: round(x, 4) for k, x in ratios.items()}
        if v.get('cs'):
            e['ctx_switches_per_op'] = v['cs']
        entries.append(e)
    return entries


def markdown(res, modes, meta):
    out = ['# mach_msg benchmarks', '',
           'Generated by bench/report.py from the VM console logs.  Every ratio is against a',
           'Linux baseline measured in the same VM boot and mode.  Figures of several',
           'repetitions are medians (runs, and min-max in results.json).', '']
    for mode in modes:
        out.append(f'## Mode `{mode}`: {MODE_NAMES.get(mode, mode)}')
        out.append('')
        out += [f'    {m}' for m in dict.fromkeys(meta) if f'mode={mode} ' in m]
        out.append('')
        # rpc
        payloads = sorted({k[3] for k in res if k[0] == mode and k[1] == 'rpc'})
        if payloads:
            out.append('### RPC round trip (us; lower is better), payload each way')
            out.append('')
            out.append('mach: one mach_msg(SEND|RCV) per side; futex/eventfd: payload copied '
                       'through shared memory; pipe/seqpacket/stream send a 1-byte token for 0.'
                       + (' Several runs: median, ratios of medians, [fastest run].'
                          if any(v['runs'] > 1 for k, v in res.items() if k[0] == mode) else ''))
            out.append('')
            out.append('| mechanism | ' + ' | '.join(size_name(p) for p in payloads) + ' |')
            out.append('|---|' + '---|' * len(payloads))
            for mech in RPC_MECHS:
                cells = []
                for p in payloads:
                    v = res.get((mode, 'rpc', mech, p))
                    if not v:
                        cells.append('-')
                        continue
                    f = res.get((mode, 'rpc', 'futex', p))
                    pi = res.get((mode, 'rpc', 'pipe', p))
                    parts = []
                    if f and mech != 'futex':
                        parts.append(f'{v["value"] / f["value"]:.3f}x futex')
                    if pi and mech != 'pipe':
                        parts.append(f'{v["value"] / pi["value"]:.3f}x pipe')
                    spread = f' [min {v["min"]:.2f}]' if v['runs'] > 1 else ''
                    cells.append(f'{v["value"]:.2f}' + (f' ({", ".join(parts)})' if parts else '')
                                 + spread)
                out.append(f'| {mech} | ' + ' | '.join(cells) + ' |')
            out.append('')
        # self
        sp = sorted({k[3] for k in res if k[0] == mode and k[1] == 'self'})
        if sp:
            out.append('### Path length without scheduling, one process (us per operation)')
            out.append('')
            out.append('null: getppid; mach: one mach_msg(SEND|RCV) to an own port; mach-2call: '
                       'SEND then RCV; mach-rpc: both halves of an RPC (2 calls, send-once '
                       'reply); pipe: write+read; pipe-rpc: 2x that; eventfd: write+read. '
                       'An rpc round trip is mach-rpc (or pipe-rpc) plus two context switches.')
            out.append('')
            out.append('| operation | ' + ' | '.join(size_name(p) for p in sp) + ' |')
            out.append('|---|' + '---|' * len(sp))
            for mech in ('null', 'mach', 'mach-2call', 'mach-rpc', 'pipe', 'pipe-rpc', 'eventfd'):
                cells = []
                for p in sp:
                    v = res.get((mode, 'self', mech, p))
                    cells.append(f'{v["value"]:.3f}' if v else '-')
                out.append(f'| {mech} | ' + ' | '.join(cells) + ' |')
            out.append('')
        # oneway
        ow = sorted((k, v) for k, v in res.items() if k[0] == mode and k[1] == 'oneway')
        if ow:
            pipe = res.get((mode, 'oneway', 'pipe', 64))
            out.append('### One-way throughput, 64-byte messages (messages/s; higher is better)')
            out.append('')
            out.append('mach: qlimit 1024 (MACH_PORT_LIMITS_INFO); mach-q5: default qlimit 5.')
            out.append('')
            out.append('| mechanism | messages/s | us/message | vs pipe | context switches/message '
                       '(sender invol., receiver vol.) |')
            out.append('|---|---|---|---|---|')
            for (_, _, mech, _), v in ow:
                r = f'{v["value"] / pipe["value"]:.3f}x' if pipe else '-'
                c = v.get('cs')
                cs = f'{c["self_invol"]:.3f}, {c["peer_vol"]:.3f}' if c else '-'
                out.append(f'| {mech} | {fmt(v["value"])} | {v["us"]:.2f} | {r} | {cs} |')
            out.append('')
        # ool
        sizes = sorted({k[3] for k in res if k[0] == mode and k[1] == 'ool'})
        if sizes:
            out.append('### Out-of-line transfer, one way (MB/s = 10^6 B/s; higher is better)')
            out.append('')
            out.append('Receiver checks a word per page; mach: vm_deallocate after each message.')
            out.append('')
            out.append('mach-inline: the same bytes inline (MPMMtest inline vs complex).')
            out.append('')
            out.append('| size | mach-phys | mach-virt | mach-inline | memcpy | pipe | '
                       'mach-phys vs memcpy | mach-phys vs pipe | mach-virt vs inline |')
            out.append('|---|---|---|---|---|---|---|---|---|')
            for s in sizes:
                g = {m: res.get((mode, 'ool', m, s))
                     for m in ('mach-phys', 'mach-virt', 'mach-inline', 'memcpy', 'pipe')}
                cells = [fmt(g[m]['value']) if g[m] else '-' for m in g]

                def rr(a, b):
                    return f'{g[a]["value"] / g[b]["value"]:.3f}x' if g[a] and g[b] else '-'
                out.append(f'| {size_name(s)} | ' + ' | '.join(cells) +
                           f' | {rr("mach-phys", "memcpy")} | {rr("mach-phys", "pipe")}'
                           f' | {rr("mach-virt", "mach-inline")} |')
            out.append('')
        # many
        cfgs = sorted({k[3] for k in res if k[0] == mode and k[1] == 'many'})
        if cfgs:
            out.append('### Many clients and servers, RPCs (messages/s over all clients; higher is better)')
            out.append('')
            out.append('mach: one port per server; mach-pset: a port per client, servers receive on '
                       'a port set; unix-epoll: a SOCK_SEQPACKET pair per client, servers in epoll_wait.')
            out.append('')
            out.append('| servers x clients | mach | mach-pset | unix-epoll | mach vs unix-epoll | '
                       'mach-pset vs unix-epoll |')
            out.append('|---|---|---|---|---|---|')
            for c in cfgs:
                g = {m: res.get((mode, 'many', m, c)) for m in ('mach', 'mach-pset', 'unix-epoll')}
                cells = [fmt(g[m]['value']) if g[m] else '-' for m in g]

                def rr(a):
                    b = g['unix-epoll']
                    return f'{g[a]["value"] / b["value"]:.3f}x' if g[a] and b else '-'
                out.append(f'| {c[0]} x {c[1]} ({c[2]} B) | ' + ' | '.join(cells) +
                           f' | {rr("mach")} | {rr("mach-pset")} |')
            out.append('')
    return '\n'.join(out) + '\n'


def chart(res, modes, outdir):
    gp = shutil.which('gnuplot')
    if not gp:
        print('report: gnuplot missing, no latency.png', file=sys.stderr)
        return
    rpc_modes = [m for m in modes if any(k[0] == m and k[1] == 'rpc' for k in res)]
    if not rpc_modes:
        return
    script = [f'set terminal pngcairo size {640 * len(rpc_modes)},480 font "sans,10"',
              f'set output "{os.path.join(outdir, "latency.png")}"',
              f'set multiplot layout 1,{len(rpc_modes)}',
              'set key top left', 'set grid ytics',
              'set xlabel "payload each way"', 'set ylabel "round trip (us)"',
              'set yrange [0:*]', 'set style data linespoints']
    for mode in rpc_modes:
        payloads = sorted({k[3] for k in res if k[0] == mode and k[1] == 'rpc'})
        xt = ', '.join(f'"{size_name(p)}" {i}' for i, p in enumerate(payloads))
        script += [f'set title "RPC round trip, {MODE_NAMES.get(mode, mode)}" noenhanced',
                   f'set xtics ({xt})', f'set xrange [-0.3:{len(payloads) - 0.7}]']
        plots, data = [], []
        for mech in RPC_MECHS:
            pts = [(i, res[(mode, 'rpc', mech, p)]['value']) for i, p in enumerate(payloads)
                   if (mode, 'rpc', mech, p) in res]
            if not pts:
                continue
            plots.append(f'"-" using 1:2 title "{mech}" lw {3 if mech == "mach" else 1.5} pt 7')
            data.append('\n'.join(f'{x} {y}' for x, y in pts) + '\ne')
        script.append('plot ' + ', '.join(plots))
        script += data
    script.append('unset multiplot')
    p = subprocess.run([gp], input='\n'.join(script) + '\n', text=True, capture_output=True)
    if p.returncode:
        print('report: gnuplot failed:\n' + p.stderr, file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                   '..', 'build', 'bench'))
    ap.add_argument('logs', nargs='+')
    a = ap.parse_args()
    raw, meta = parse(a.logs)
    if not raw:
        sys.exit('report: no @@BENCH lines in ' + ' '.join(a.logs))
    fails = [m for m in meta if m.startswith('@@BENCH-FAIL')]
    res = reduce(raw)
    order = ['det', 'smp2']
    modes = sorted({k[0] for k in res}, key=lambda m: (order.index(m) if m in order else 9, m))
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, 'results.json'), 'w') as f:
        json.dump({'modes': {m: MODE_NAMES.get(m, m) for m in modes},
                   'meta': meta, 'results': build(res), 'raw': raw}, f, indent=1)
    md = markdown(res, modes, meta)
    if URING:
        md += ('\n## io_uring batching (uring_bench, deterministic mode)\n\n'
               'A stream of 64-byte one-way messages sent in batches through io_uring,\n'
               'against one ioctl per message and a pipe, in the same VM boot.\n\n    '
               + '\n    '.join(URING) + '\n')
    if fails:
        md += '\n**Failed runs:** ' + ', '.join(f'`{x}`' for x in fails) + '\n'
    with open(os.path.join(a.out, 'results.md'), 'w') as f:
        f.write(md)
    chart(res, modes, a.out)
    print(md)
    out = os.path.normpath(a.out)
    print(f'report: {out}/results.json, results.md, latency.png', file=sys.stderr)
    sys.exit(1 if fails else 0)


if __name__ == '__main__':
    main()
