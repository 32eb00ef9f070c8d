#!/usr/bin/env python3
"""Turns the JSON lines of `warmgate bench` into markdown: the targets table (figure, target,
measured, command), then every result in detail.

    python3 eng/bench/to-markdown.py bench.jsonl > bench.md
    python3 eng/bench/to-markdown.py --help
"""
import argparse
import json
import sys

TARGET_BANDWIDTH_GBPS = 4800.0  # H200 HBM3e peak, ssd-spec §6.2


def load(path):
    lines = []
    with open(path, encoding="utf-8") as f:
        for number, text in enumerate(f, 1):
            text = text.strip()
            if not text:
                continue
            try:
                lines.append(json.loads(text))
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{number}: not a JSON line ({e.msg}); is this the stdout of `warmgate bench`?")
    if not lines:
        sys.exit(f"{path}: no results; run `warmgate bench --device cuda > {path}` first.")
    return lines


def of(lines, bench, **fields):
    return [l for l in lines if l.get("bench") == bench and all(l.get(k) == v for k, v in fields.items())]


def num(value, digits=3):
    if value is None:
        return "—"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:.0f}"
        if value == 0 or abs(value) >= 0.01:
            return f"{value:.{digits}g}"
        return f"{value:.2e}"
    return str(value)


def status(ok):
    return "met" if ok else "**missed**"


class Targets:
    def __init__(self, binary):
        self.binary = binary
        self.rows = []

    def add(self, figure, target, measured, ok, only):
        self.rows.append((figure, target, measured, "—" if ok is None else status(ok), f"`{self.binary} --only {only}`"))

    def prefill(self, lines, length, dtype, target_us):
        figure = f"prefill L={length}, H80 P64 G1 N128, {dtype}"
        hits = of(lines, "ssd-prefill", L=length, H=80, P=64, G=1, N=128, dtype=dtype)
        if not hits:
            return self.add(figure, f"≤ {target_us} µs", "not measured", None, "ssd-prefill")
        line = hits[0]
        if line.get("refused"):
            return self.add(figure, f"≤ {target_us} µs", f"REFUSED: {line.get('reason')}", False, "ssd-prefill")
        median = line["median_us"]
        self.add(figure, f"≤ {target_us} µs",
                 f"{median:.0f} µs ({line['timer']}; {line['gbps']:.0f} GB/s, {line['tflops']:.1f} TFLOP/s; err {line['max_rel_err']:.1e})",
                 median <= target_us, "ssd-prefill")

    def decode(self, lines):
        figure = "decode batch 256, H80 P64 N128, fp32 state"
        target = f"≥ 85% of 4.8 TB/s ({0.85 * TARGET_BANDWIDTH_GBPS:.0f} GB/s)"
        hits = of(lines, "decode", batch=256, state_dtype="f32")
        if not hits:
            return self.add(figure, target, "not measured", None, "decode")
        line = hits[0]
        if line.get("gbps") is None:
            return self.add(figure, target, f"REFUSED: {line.get('reason')}", False, "decode")
        share = line["gbps"] / TARGET_BANDWIDTH_GBPS
        best = f"; best config {line['best_config']}: {line['best_gbps']:.0f} GB/s" if line.get("best_gbps") else ""
        self.add(figure, target, f"{line['gbps']:.0f} GB/s = {share:.0%} ({line['median_us']:.1f} µs, {line['config']}{best})",
                 share >= 0.85, "decode")

    def startup(self, lines):
        hits = of(lines, "startup", model="builtin:tiny") or of(lines, "startup")
        if not hits:
            self.add("warmup with table vs with tuning", "≥ 10× faster", "not measured", None, "startup")
            self.add("first request / steady median", "≤ 1.2×", "not measured", None, "startup")
            return
        line = hits[0]
        self.add(f"warmup with table vs with tuning ({line['model']})", "≥ 10× faster",
                 f"{line['warmup_speedup']:.1f}× ({line['warmup_tuning_ms']:.0f} ms, {line['warmup_tuning_tunes']} tunes → "
                 f"{line['warmup_table_ms']:.0f} ms, {line['warmup_table_tunes']} tunes)",
                 line["warmup_speedup"] >= 10, "startup")
        self.add(f"first request / steady median ({line['model']})", "≤ 1.2×",
                 f"{line['first_over_steady']:.2f}× ({line['first_request_ms']:.2f} ms / {line['steady_median_ms']:.2f} ms; "
                 + (f"the same request again {line['first_repeat_ms']:.2f} ms, {line['first_over_repeat']:.2f}×; " if 'first_over_repeat' in line else "")
                 + f"{line['post_warmup_compiles_or_tunes']} compiles or tunes after warmup)",
                 line["first_over_steady"] <= 1.2, "startup")

    def tuning(self, lines):
        hits = of(lines, "tuning-quality")
        if not hits:
            return self.add("tuned choice vs exhaustive best, every key", "within 3%", "not measured", None, "tuning-quality")
        worst = max(hits, key=lambda l: l["ratio"])
        self.add("tuned choice vs exhaustive best, every key", "within 3%",
                 f"worst {worst['ratio']:.3f} ({worst['kernel']} [{worst['key']}]); {sum(l['ratio'] <= 1.03 for l in hits)}/{len(hits)} keys within 3%",
                 worst["ratio"] <= 1.03, "tuning-quality")

    def markdown(self):
        out = ["| figure | target | measured | status | command |", "| --- | --- | --- | --- | --- |"]
        out += [f"| {' | '.join(row)} |" for row in self.rows]
        return "\n".join(out)


def table(headers, rows):
    out = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    out += ["| " + " | ".join(num(v) for v in row) + " |" for row in rows]
    return "\n".join(out)


def details(lines):
    parts = []
    prefill = of(lines, "ssd-prefill")
    if prefill:
        parts.append("### ssd-prefill\n\n" + table(
            ["H", "P", "G", "N", "L", "dtype", "median µs", "p10", "p90", "GB/s", "TFLOP/s", "max rel err", "config", "default µs", "speedup"],
            [[l.get("H"), l.get("P"), l.get("G"), l.get("N"), l.get("L"), l.get("dtype"),
              "REFUSED" if l.get("refused") else l.get("median_us"), l.get("p10_us"), l.get("p90_us"), l.get("gbps"),
              l.get("tflops"), l.get("max_rel_err"), l.get("config"), l.get("default_median_us"), l.get("speedup_vs_default")]
             for l in prefill]))
    decode = of(lines, "decode")
    if decode:
        parts.append("### decode\n\n" + table(
            ["batch", "median µs", "p10", "p90", "GB/s", "max rel err", "config", "best config", "best µs", "best GB/s",
             "copy GB/s", "best / copy"],
            [[l.get("batch"), "REFUSED" if l.get("refused") else l.get("median_us"), l.get("p10_us"), l.get("p90_us"),
              l.get("gbps"), l.get("max_rel_err"), l.get("config"), l.get("best_config"),
              l.get("best_median_us", l.get("best_us")), l.get("best_gbps"), l.get("copy_gbps"), l.get("best_of_copy")]
             for l in decode]))
    stages = [l for l in of(lines, "ssd-stages") if l.get("tuned") or l.get("default")]
    if stages:
        names = ["cumsum", "chunk_state", "state_passing", "bmm", "chunk_scan"]
        parts.append("### ssd-stages (tuned and default configs; GPU µs per stage, median)\n\n" + table(
            ["H", "G", "L", "dtype", "config", "role", "total µs"] + names,
            [[l.get("H"), l.get("G"), l.get("L"), l.get("dtype"), l.get("config"),
              "tuned = default" if l.get("tuned") and l.get("default") else ("tuned" if l.get("tuned") else "default"),
              l.get("median_us")] + [l.get(f"{n}_median_us") for n in names] for l in stages]))
    startup = of(lines, "startup")
    if startup:
        parts.append("### startup\n\n" + table(
            ["model", "load ms", "warmup tuning ms (cold)", "warmup tuning ms", "compiles", "tunes", "warmup table ms",
             "compiles", "tunes", "speedup", "table ms, one thread", "table ms, concurrent loads", "first ms", "steady ms",
             "first/steady"],
            [[l.get("model"), l.get("load_ms"), l.get("warmup_tuning_cold_ms"), l.get("warmup_tuning_ms"),
              l.get("warmup_tuning_compiles"), l.get("warmup_tuning_tunes"), l.get("warmup_table_ms"),
              l.get("warmup_table_compiles"), l.get("warmup_table_tunes"), l.get("warmup_speedup"),
              l.get("warmup_table_serial_ms"), l.get("warmup_table_concurrent_loads_ms"), l.get("first_request_ms"), l.get("steady_median_ms"), l.get("first_over_steady")] for l in startup]))
    tuning = of(lines, "tuning-quality")
    if tuning:
        parts.append("### tuning-quality\n\n" + table(
            ["source", "kernel", "key", "chosen", "chosen µs", "best", "best µs", "ratio"],
            [[l.get("model") or l.get("source"), l.get("kernel"), l.get("key"), l.get("config"), l.get("chosen_us"),
              l.get("best_config"), l.get("best_us"), l.get("ratio")] for l in tuning]))
    errors = [l for l in lines if "error" in l]
    if errors:
        parts.append("### errors\n\n" + "\n".join(f"- {l['bench']}: {l['error']}" for l in errors))
    return "\n\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description="Markdown tables from `warmgate bench` JSON lines.")
    parser.add_argument("jsonl", help="the stdout of `warmgate bench` (e.g. gpu-out/bench.jsonl)")
    parser.add_argument("--binary", default="warmgate bench --device cuda",
                        help="how the command column names the bench (default: %(default)s)")
    parser.add_argument("--targets-only", action="store_true", help="print only the targets table")
    args = parser.parse_args()
    lines = load(args.jsonl)

    targets = Targets(args.binary)
    targets.prefill(lines, 8192, "f16", 372)
    targets.prefill(lines, 8192, "f32", 603)
    targets.prefill(lines, 2048, "f16", 105)
    targets.prefill(lines, 2048, "f32", 170)
    targets.decode(lines)
    targets.startup(lines)
    targets.tuning(lines)

    env = next((l for l in lines if l.get("bench") == "env"), {})
    print(f"Device: {env.get('device', '?')} ({env.get('architecture', '?')}, driver {env.get('driver') or '—'}); "
          f"ILGPU {env.get('ilgpu', '?')}, WarmGate {env.get('warmgate', '?')}, .NET {env.get('dotnet', '?')}; "
          f"timer: {env.get('timer', '?')}; runs {env.get('runs', '?')}; {env.get('utc', '')}"
          + ("; **quick set (tiny shapes), not the targets' shapes**" if env.get("quick") else ""))
    print()
    print(targets.markdown())
    if not args.targets_only:
        print()
        print(details(lines))


if __name__ == "__main__":
    main()
