using System.Globalization;
using System.Text;
using ScottPlot;

// Usage: Report RESULTS.tsv OUTDIR
// RESULTS.tsv (written by compare.sh): pass, peer, workload id, workload title, unit, value (ops/s
// or MB/s), server µs per op, client core %, p99 µs. Writes OUTDIR/table.md (medians over the passes,
// ratios against C epoll and Kestrel) and OUTDIR/chart.png (server CPU per operation, and throughput
// relative to C epoll, per workload and peer).
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Report RESULTS.tsv OUTDIR");
    return 2;
}
var rows = File.ReadAllLines(args[0])
    .Where(line => line.Length > 0 && !line.StartsWith('#'))
    .Select(line => line.Split('\t'))
    .Select(f => new Row(int.Parse(f[0], CultureInfo.InvariantCulture), f[1], f[2], f[3], f[4],
        double.Parse(f[5], CultureInfo.InvariantCulture), double.Parse(f[6], CultureInfo.InvariantCulture),
        double.Parse(f[7], CultureInfo.InvariantCulture)))
    .ToList();
if (rows.Count == 0)
{
    Console.Error.WriteLine("Report: no results");
    return 1;
}
Directory.CreateDirectory(args[1]);

var peers = rows.Select(r => r.Peer).Distinct().ToList();
var workloads = rows.Select(r => (r.Workload, r.Title, r.Unit)).Distinct().ToList();
Cell? MedianOf(string peer, string workload)
{
    var cells = rows.Where(r => r.Peer == peer && r.Workload == workload).ToList();
    if (cells.Count == 0) return null;
    return new Cell(Median(cells.Select(c => c.Value)), Median(cells.Select(c => c.UsPerOp)),
        cells.Count(c => c.ClientCorePct >= 95) * 2 > cells.Count);
}

// ---- the table ----
var table = new StringBuilder();
table.Append("| workload |");
foreach (var peer in peers) table.Append($" {peer} |");
table.Append(" server CPU µs/op (");
table.Append(string.Join(", ", peers));
table.AppendLine(") |");
table.Append("|---|");
foreach (var _ in peers) table.Append("---:|");
table.AppendLine("---|");
foreach (var (workload, title, unit) in workloads)
{
    table.Append($"| {title} ({unit}) |");
    var cpu = new List<string>();
    foreach (var peer in peers)
    {
        var cell = MedianOf(peer, workload);
        table.Append(cell is null ? " — |" : $" {Format(cell.Value)}{(cell.ClientSaturated ? "+" : "")} |");
        cpu.Add(cell is null ? "—" : cell.UsPerOp.ToString("0.00", CultureInfo.InvariantCulture));
    }
    table.AppendLine($" {string.Join(", ", cpu)} |");
}
var passes = rows.Select(r => r.Pass).Distinct().Count();
table.AppendLine();
table.AppendLine($"Medians over {passes} interleaved pass(es). µs/op: the server's CPU time (all its threads, from " +
    "/proc/PID/task/*/schedstat) over the measured window, divided by the operations completed. " +
    "+ = the load generator's own core was at least 95 % busy: the figure is the rig's ceiling, not the server's.");
File.WriteAllText(Path.Combine(args[1], "table.md"), table.ToString());
Console.Write(table.ToString());

// ---- the chart: CPU per operation and throughput, each relative to C epoll (workloads differ by orders of magnitude) ----
var multiplot = new Multiplot();
multiplot.AddPlots(2);
var cpuPlot = multiplot.GetPlot(0);
var throughputPlot = multiplot.GetPlot(1);
var palette = new ScottPlot.Palettes.Category10();
var ticks = new List<Tick>();
var reference = peers.Contains("c-epoll") ? "c-epoll" : peers[0];
for (var w = 0; w < workloads.Count; w++)
{
    var (workload, title, _) = workloads[w];
    ticks.Add(new Tick(w * (peers.Count + 1) + (peers.Count - 1) / 2.0, title));
    var baseline = MedianOf(reference, workload);
    for (var p = 0; p < peers.Count; p++)
    {
        var cell = MedianOf(peers[p], workload);
        if (cell is null) continue;
        var position = w * (peers.Count + 1) + p;
        var color = palette.GetColor(p);
        if (baseline is { UsPerOp: > 0 })
            cpuPlot.Add.Bar(new Bar { Position = position, Value = cell.UsPerOp / baseline.UsPerOp, FillColor = color });
        if (baseline is { Value: > 0 })
            throughputPlot.Add.Bar(new Bar { Position = position, Value = cell.Value / baseline.Value, FillColor = color });
    }
}
for (var p = 0; p < peers.Count; p++)
{
    cpuPlot.Legend.ManualItems.Add(new LegendItem { LabelText = peers[p], FillColor = palette.GetColor(p) });
}
cpuPlot.ShowLegend(Alignment.UpperLeft);
cpuPlot.Title($"Server CPU per operation relative to {reference} (lower is better; µs in the table)");
throughputPlot.Title($"Throughput relative to {reference} (higher is better)");
foreach (var plot in new[] { cpuPlot, throughputPlot })
{
    plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
    plot.Axes.Bottom.MajorTickStyle.Length = 0;
    plot.Axes.Margins(bottom: 0);
}
multiplot.SavePng(Path.Combine(args[1], "chart.png"), 1100, 800);
Console.WriteLine($"chart: {Path.Combine(args[1], "chart.png")}");
return 0;

static double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static string Format(double value) => value >= 100
    ? value.ToString("#,0", CultureInfo.InvariantCulture)
    : value.ToString("0.0", CultureInfo.InvariantCulture);

record Row(int Pass, string Peer, string Workload, string Title, string Unit, double Value, double UsPerOp, double ClientCorePct);

record Cell(double Value, double UsPerOp, bool ClientSaturated);
