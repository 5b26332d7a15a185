#!/usr/bin/env python3
"""bench.py OUTDIR REPEAT - times storywire, sfeed and feedparser over the
feed set prepared by bench/feeds/run.sh and prints MB/s and items/s."""
import glob
import os
import resource
import subprocess
import sys
import time

out, repeat = sys.argv[1], int(sys.argv[2])
files = sorted(glob.glob(os.path.join(out, "set", "*")))
nbytes = sum(os.path.getsize(f) for f in files)
mb = nbytes / 1e6


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd, stdin=None, stdout=None):
    """Runs cmd; returns (cpu seconds, wall seconds)."""
    c0, w0 = child_cpu(), time.monotonic()
    with open(stdout, "wb") as o, (open(stdin, "rb") if stdin else open(os.devnull, "rb")) as i:
        subprocess.run(cmd, stdin=i, stdout=o, stderr=subprocess.DEVNULL, check=False)
    return child_cpu() - c0, time.monotonic() - w0


def lines(path):
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


results = []
sw_out = os.path.join(out, "storywire.jsonl")
sf_out = os.path.join(out, "sfeed.tsv")
# storywire parse and sfeed alternate, round by round, so that both see
# the same load; each round's CPU ratio is kept for the range printed below
sw_runs, sf_runs = [], []
for _ in range(repeat):
    sw_runs.append(run(["./storywire", "--quiet", "parse"] + files, stdout=sw_out))
    sf_runs.append(run(["sfeed"], stdin=os.path.join(out, "all.xml"), stdout=sf_out))
ratios = sorted(sf[0] / sw[0] for sw, sf in zip(sw_runs, sf_runs))
cpu, wall = min(sw_runs, key=lambda r: r[0])
results.append(("storywire parse", cpu, wall, lines(sw_out)))

drv = subprocess.run([os.path.join(out, "feed_driver"), str(repeat)] + files, capture_output=True, text=True, check=True)
_, d_items, _, d_cpu = drv.stdout.split()
results.append(("storywire feed_parse", float(d_cpu), float(d_cpu), int(d_items)))

cpu, wall = min(sf_runs, key=lambda r: r[0])
results.append(("sfeed", cpu, wall, lines(sf_out)))


def feedparser_run():
    import feedparser  # python3-feedparser
    data = [open(f, "rb").read() for f in files]
    c0, w0 = time.process_time(), time.monotonic()
    items = 0
    for d in data:
        items += len(feedparser.parse(d).entries)
    return time.process_time() - c0, time.monotonic() - w0, items


runs = [feedparser_run() for _ in range(max(1, min(repeat, 2)))]
cpu, wall, items = min(runs, key=lambda r: r[0])
results.append(("python3-feedparser", cpu, wall, items))

print(f"feeds: {len(files)} files, {mb:.1f} MB (rss-parser's 31 real feeds x {len(files) // 31}); best of {repeat} runs")
print(f"{'tool':<22} {'items':>8} {'cpu s':>8} {'wall s':>8} {'MB/s':>9} {'items/s':>10}")
for name, cpu, wall, items in results:
    print(f"{name:<22} {items:>8} {cpu:>8.3f} {wall:>8.3f} {mb / cpu:>9.1f} {items / cpu:>10.0f}")
sw, drv_r, sf, fp = results
print("(feed_parse: CPU time inside the process, so its wall column is CPU time too)")
print(f"storywire parse vs sfeed: {sf[1] / sw[1]:.2f}x the speed; feed_parse alone vs sfeed: {sf[1] / drv_r[1]:.2f}x (MB per CPU second)")
print(f"storywire parse vs sfeed, run by run ({len(ratios)} alternating rounds): "
      f"{ratios[0]:.2f}x to {ratios[-1]:.2f}x, median {ratios[len(ratios) // 2]:.2f}x")
print(f"storywire parse vs python3-feedparser: {fp[1] / sw[1]:.1f}x; feed_parse alone vs feedparser.parse: {fp[1] / drv_r[1]:.1f}x")
