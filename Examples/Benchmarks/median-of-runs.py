#!/usr/bin/env python3
"""Runs a benchmark executable several times and prints the median of every figure it reports.

On a small or shared machine one run of `ignite-sync-bench` or `ignite-async-bench` can differ from the next by ×2
(CPU steal, the server's JIT and GC, wake-up latency). Each run measures the client and the raw loop close together in
time, so the ratios of one run are comparable; this script repeats whole runs and reports, for every row of the
benchmark's tables, the median of each number with its range across runs. It measures; it asserts nothing.

usage: median-of-runs.py [-n RUNS] [--keep DIR] -- COMMAND [ARG...]
       median-of-runs.py --self-test

  -n RUNS     how many times to run COMMAND (default 5)
  --keep DIR  also write each run's output to DIR/run-K.txt
  --self-test checks the parsing and the medians on samples of both benchmarks' output (CI runs it)

The environment passes through unchanged (IGNITE_BENCH_ADDRESS, BENCH_OPS, BENCH_PHASES, ...). Pin the command as
you would a single run, for example `median-of-runs.py -n 5 -- taskset -c 1 .build/release/ignite-sync-bench`.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

NUMBER = re.compile(r'[-+]?\d+(?:\.\d+)?')


def rows(output):
    """Maps each table row's label to its numbers, in order of first appearance.

    A row is a line whose label (the text before two spaces, or before the first `×ratio` of a sentence line such as
    "put with 1 in flight: async latency / sync latency ×1.46") is followed by numbers.
    """
    found = {}
    for line in output.splitlines():
        line = line.rstrip()
        if not line or line.startswith(' ') and ':' in line and 'ops' in line and 'CPU' in line:
            continue  # the per-phase progress lines repeat the table below them
        columns = re.split(r'\s{2,}', line.strip())
        if len(columns) >= 2 and NUMBER.search(' '.join(columns[1:])):
            label, rest = columns[0], ' '.join(columns[1:])
        else:
            marker = line.find(' ×')
            if marker < 0 or not NUMBER.match(line[marker + 2:]):
                continue
            label, rest = line[:marker].strip(), line[marker + 1:]
        numbers = [float(n) for n in NUMBER.findall(rest.replace('×', ' '))]
        if numbers and label not in found:
            found[label] = numbers
    return found


def medians(runs):
    """For each label present in every run: per column, (median, min, max)."""
    labels = [label for label in runs[0] if all(label in r for r in runs)]
    table = {}
    for label in labels:
        columns = []
        for i in range(len(runs[0][label])):
            values = [r[label][i] for r in runs if i < len(r[label])]
            columns.append((statistics.median(values), min(values), max(values)))
        table[label] = columns
    return table


SAMPLE = """server: 127.0.0.1:10860 (IGNITE_BENCH_ADDRESS)
ops per phase: 20000, distinct keys: 1000, request timeout: none
  async put int ×64: 40000 ops, {a} ops/s, CPU 3.36 µs/op (user 2.61, system 0.75)

phase                     ops/s         client CPU µs/op
swift put int ×64         {a}.0       6.66
raw get 1KiB              19191.0       11.25

client / raw loop         throughput    client CPU µs/op (client − raw)
put int                   ×{r}         11.65 (+1.62)
get 1KiB                  ×0.79         13.47 (-2.23)
put with 1 in flight: async latency / sync latency ×{r}
put with 64 in flight: async / pyignite AioClient throughput ×12.18, client CPU per op ×{a} less
"""


def self_test():
    runs = [rows(SAMPLE.format(a=a, r=r)) for a, r in ((100, '0.90'), (300, '1.10'), (200, '0.70'))]
    table = medians(runs)
    expected = {
        'swift put int ×64': [(200, 100, 300), (6.66, 6.66, 6.66)],
        'raw get 1KiB': [(19191, 19191, 19191), (11.25, 11.25, 11.25)],
        'put int': [(0.9, 0.7, 1.1), (11.65, 11.65, 11.65), (1.62, 1.62, 1.62)],
        'get 1KiB': [(0.79, 0.79, 0.79), (13.47, 13.47, 13.47), (-2.23, -2.23, -2.23)],
        'put with 1 in flight: async latency / sync latency': [(0.9, 0.7, 1.1)],
        'put with 64 in flight: async / pyignite AioClient throughput': [(12.18, 12.18, 12.18), (200, 100, 300)],
    }
    if table != expected:
        print('median-of-runs self-test FAILED')
        for label in sorted(set(table) | set(expected)):
            if table.get(label) != expected.get(label):
                print(f'  {label!r}: got {table.get(label)}, expected {expected.get(label)}')
        return 1
    print(f'median-of-runs self-test passed ({len(table)} rows)')
    return 0


def main():
    if sys.argv[1:] == ['--self-test']:
        return self_test()
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument('-n', type=int, default=5)
    parser.add_argument('--keep')
    parser.add_argument('command', nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ['--'] else args.command
    if not command or args.n < 1:
        parser.print_usage()
        return 2
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    runs = []
    for k in range(1, args.n + 1):
        result = subprocess.run(command, capture_output=True, text=True)
        if args.keep:
            with open(os.path.join(args.keep, f'run-{k}.txt'), 'w') as f:
                f.write(result.stdout + result.stderr)
        if result.returncode != 0:
            print(f'run {k} failed with status {result.returncode}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}')
            return 1
        runs.append(rows(result.stdout))
        print(f'run {k} of {args.n} done', file=sys.stderr)
    table = medians(runs)
    width = max([len(label) for label in table] + [5]) + 2
    print(f'median of {args.n} runs [min–max]: {" ".join(command)}')
    for label, columns in table.items():
        print(label.ljust(width) + '   '.join(f'{m:.2f} [{lo:.2f}–{hi:.2f}]' for m, lo, hi in columns))
    return 0


if __name__ == '__main__':
    sys.exit(main())
