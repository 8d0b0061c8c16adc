#!/usr/bin/env python3
"""Reference timings for KernelDensityBenchmarks with Debian's scipy and scikit-learn.

Same problem size as the C# benchmark: 1,000,000 synthetic points in a 10 km x 10 km square (70 % in 40 Gaussian
clusters with sigma 100-600 m, 30 % uniform; numpy's generator, so not the same points as the C# run, but the same
recipe), a 1000 x 1000 grid of 10 m cells, bandwidth from ArcGIS's rule h = 0.9 min(SD, sqrt(1/ln 2) Dm) n^-0.2.

Three references:
  1. binned   - the same algorithm in numpy/scipy: simple binning (numpy.histogram2d) + scipy.signal.fftconvolve with the
                quartic kernel sampled on the grid. Full size, timed end to end.
  2. sklearn  - sklearn.neighbors.KernelDensity (kd_tree, exact: rtol=0) with the Epanechnikov kernel, fitted on all
                1,000,000 points, evaluated at a block of --cells cell centres and extrapolated linearly to 1,000,000
                cells (evaluation cost is linear in the number of query points).
  3. scipy    - scipy.stats.gaussian_kde on a --subsample of the points, evaluated at --cells cell centres; its cost is
                O(points x cells), so the full-size time is extrapolated by (1e6 / subsample) x (1e6 / cells).

Run (Debian's interpreter, which has the packages: apt-get install -y python3-scipy python3-sklearn):
  /usr/bin/python3 tests/SituationMap.Analysis.Benchmarks/reference/kde_reference.py
"""
import argparse
import math
import platform
import time

import numpy as np
import scipy
import sklearn
from scipy import signal, stats
from sklearn.neighbors import KernelDensity

SIZE = 10_000.0
CELL = 10.0
WIDTH = HEIGHT = 1000


def synthetic_points(n, seed):
    rng = np.random.default_rng(seed)
    centres = np.column_stack([SIZE * (0.1 + 0.8 * rng.random(40)), SIZE * (0.1 + 0.8 * rng.random(40)), 100 + 500 * rng.random(40)])
    uniform = rng.random(n) < 0.3
    pick = centres[rng.integers(0, 40, n)]
    x = np.where(uniform, SIZE * rng.random(n), np.clip(pick[:, 0] + pick[:, 2] * rng.standard_normal(n), 0, SIZE - 1e-6))
    y = np.where(uniform, SIZE * rng.random(n), np.clip(pick[:, 1] + pick[:, 2] * rng.standard_normal(n), 0, SIZE - 1e-6))
    return x, y


def arcgis_bandwidth(x, y):
    cx, cy = x.mean(), y.mean()
    d = np.hypot(x - cx, y - cy)
    sd = math.sqrt(np.mean(d * d))
    return 0.9 * min(sd, math.sqrt(1 / math.log(2)) * float(np.median(d))) * len(x) ** -0.2


def binned_fft_quartic(x, y, h):
    r = math.ceil(h / CELL)
    edges_x = (np.arange(-r, WIDTH + r + 1)) * CELL
    edges_y = (np.arange(-r, HEIGHT + r + 1)) * CELL
    counts, _, _ = np.histogram2d(y, x, bins=[edges_y, edges_x])
    offsets = np.arange(-r, r + 1) * CELL
    dx, dy = np.meshgrid(offsets, offsets)
    u2 = (dx * dx + dy * dy) / (h * h)
    kernel = np.where(u2 < 1, 3 / (math.pi * h * h) * (1 - u2) ** 2, 0.0) * 1e6
    return signal.fftconvolve(counts, kernel, mode="valid")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--cells", type=int, default=10_000, help="cell centres evaluated by sklearn and gaussian_kde")
    parser.add_argument("--subsample", type=int, default=10_000, help="points given to gaussian_kde")
    parser.add_argument("--skip-scipy-kde", action="store_true")
    args = parser.parse_args()

    print(f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, scikit-learn {sklearn.__version__}")
    x, y = synthetic_points(args.points, seed=1)
    h = arcgis_bandwidth(x, y)
    print(f"{args.points:,} points, grid {WIDTH} x {HEIGHT} of {CELL:g} m, ArcGIS-rule bandwidth h = {h:.1f} m")

    t = time.perf_counter()
    surface = binned_fft_quartic(x, y, h)
    binned = time.perf_counter() - t
    print(f"[binned]  histogram2d + fftconvolve (quartic), full size: {binned:.3f} s; total mass {surface.sum() * CELL * CELL / 1e6:,.0f}")

    rows = max(1, args.cells // WIDTH)
    centres_x = (np.arange(WIDTH) + 0.5) * CELL
    centres_y = (np.arange(HEIGHT // 2, HEIGHT // 2 + rows) + 0.5) * CELL
    qx, qy = np.meshgrid(centres_x, centres_y)
    query = np.column_stack([qx.ravel(), qy.ravel()])
    t = time.perf_counter()
    model = KernelDensity(kernel="epanechnikov", bandwidth=h, algorithm="kd_tree", rtol=0).fit(np.column_stack([x, y]))
    fit = time.perf_counter() - t
    t = time.perf_counter()
    log_density = model.score_samples(query)
    evaluate = time.perf_counter() - t
    full = fit + evaluate * (WIDTH * HEIGHT) / len(query)
    print(f"[sklearn] KernelDensity(epanechnikov, kd_tree, rtol=0): fit {fit:.2f} s, {len(query):,} cells {evaluate:.2f} s "
          f"-> extrapolated to {WIDTH * HEIGHT:,} cells: {full:.0f} s; peak of the block {np.exp(log_density.max()) * args.points * 1e6:,.0f} per km2")

    if not args.skip_scipy_kde:
        rng = np.random.default_rng(2)
        pick = rng.choice(args.points, size=args.subsample, replace=False)
        data = np.vstack([x[pick], y[pick]])
        # gaussian_kde's kernel covariance is factor^2 x the data covariance: choose the factor so the kernel SD is about h
        factor = h / math.sqrt(np.trace(np.cov(data)) / 2)
        t = time.perf_counter()
        kde = stats.gaussian_kde(data, bw_method=factor)
        kde(query.T)
        small = time.perf_counter() - t
        scale = (args.points / args.subsample) * (WIDTH * HEIGHT / len(query))
        print(f"[scipy]   gaussian_kde, {args.subsample:,} points x {len(query):,} cells: {small:.2f} s "
              f"-> extrapolated to {args.points:,} points x {WIDTH * HEIGHT:,} cells: {small * scale:,.0f} s")


if __name__ == "__main__":
    main()
