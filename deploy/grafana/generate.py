# Generates ebpf-exporter.json (the dashboard for the bundled examples): python3 generate.py
# Edit this file, not the JSON, then regenerate; the JSON is committed so it imports as-is.
import json
DS = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'instance=~"$instance"'
panels = []
pid = [0]
y = [0]

def nid():
    pid[0] += 1
    return pid[0]

def row(title):
    panels.append({"type": "row", "title": title, "id": nid(), "collapsed": False,
                   "gridPos": {"h": 1, "w": 24, "x": 0, "y": y[0]}, "panels": []})
    y[0] += 1

def heatmap(title, metric, unit, desc, x=0, w=12, extra="", native=False):
    # Query A reads classic buckets. With native=True (an exp2 histogram with a power-of-two
    # multiplier, see docs/config.md#native-histograms) query B reads the native histogram, which is
    # all Prometheus stores with --enable-feature=native-histograms; whichever is stored answers.
    targets = [{"refId": "A", "datasource": DS, "format": "heatmap", "legendFormat": "{{le}}",
                "expr": f'sum by (le) (rate(ebpf_exporter_{metric}_bucket{{{SEL}{extra}}}[$__rate_interval]))'}]
    if native:
        targets.append({"refId": "B", "datasource": DS, "format": "heatmap", "legendFormat": "native",
                        "expr": f'sum(rate(ebpf_exporter_{metric}{{{SEL}{extra}}}[$__rate_interval]))'})
    return {
        "type": "heatmap", "title": title, "id": nid(), "datasource": DS, "description": desc,
        "gridPos": {"h": 8, "w": w, "x": x, "y": y[0]},
        "targets": targets,
        "options": {"calculate": False, "cellGap": 1, "yAxis": {"axisPlacement": "left", "unit": unit},
                    "color": {"mode": "scheme", "scheme": "Oranges", "fill": "dark-orange", "scale": "exponential",
                              "exponent": 0.5, "steps": 64, "reverse": False},
                    "rowsFrame": {"layout": "auto"}, "tooltip": {"show": True, "yHistogram": False},
                    "legend": {"show": True}, "exemplars": {"color": "rgba(255,0,255,0.7)"},
                    "filterValues": {"le": 1e-9}},
        "fieldConfig": {"defaults": {"custom": {"scaleDistribution": {"type": "linear"},
                                                 "hideFrom": {"legend": False, "tooltip": False, "viz": False}}},
                        "overrides": []},
    }

def timeseries(title, targets, unit, desc, x=0, w=12, stack=False, bars=False):
    return {
        "type": "timeseries", "title": title, "id": nid(), "datasource": DS, "description": desc,
        "gridPos": {"h": 8, "w": w, "x": x, "y": y[0]},
        "targets": [{"refId": chr(65 + i), "datasource": DS, "expr": e, "legendFormat": l}
                    for i, (e, l) in enumerate(targets)],
        "options": {"legend": {"displayMode": "table", "placement": "right", "calcs": ["mean", "max"],
                               "showLegend": True, "sortBy": "Mean", "sortDesc": True},
                    "tooltip": {"mode": "multi", "sort": "desc"}},
        "fieldConfig": {"defaults": {"unit": unit, "min": 0,
                                     "custom": {"drawStyle": "bars" if bars else "line", "fillOpacity": 20,
                                                "lineWidth": 1, "showPoints": "never",
                                                "stacking": {"mode": "normal" if stack else "none", "group": "A"}}},
                        "overrides": []},
    }

def rate(metric, by, top=None, extra=""):
    e = f'sum by ({by}) (rate(ebpf_exporter_{metric}{{{SEL}{extra}}}[$__rate_interval]))'
    return f"topk({top}, {e})" if top else e

def add(*ps):
    for p in ps:
        panels.append(p)
    y[0] += 8

row("Block IO (biolatency, biosize)")
add(heatmap("Block IO latency", "bio_latency_seconds", "s",
            "biolatency: time from issue to the driver to completion of block requests (all devices and operations).", 0),
    heatmap("Block IO request size", "bio_size_bytes", "bytes",
            "biosize: sizes of block requests issued to the driver (all devices and operations). Query A reads classic "
            "buckets, query B the native histogram that Prometheus stores instead with native histograms enabled.",
            12, native=True))
add(timeseries("Block IO p99 latency by device and operation",
               [('histogram_quantile(0.99, sum by (le, device, operation) (rate(ebpf_exporter_bio_latency_seconds_bucket{' + SEL + '}[$__rate_interval])))',
                 "{{device}} {{operation}}")], "s", "biolatency: 99th percentile per device and operation.", 0),
    timeseries("Block IO requests by device and operation",
               [(rate("bio_latency_seconds_count", "device, operation"), "{{device}} {{operation}}")], "reqps",
               "biolatency: completed requests per second.", 12))

row("CPU scheduling (runqlat, softirq-latency, cgroup)")
add(heatmap("Run queue latency", "run_queue_latency_seconds", "s",
            "runqlat: time runnable tasks waited for a CPU.", 0),
    timeseries("Context switches by cgroup (top 10)",
               [(rate("cgroup_sched_switches_total", "cgroup", 10), "{{cgroup}}")], "ops",
               "cgroup: tasks of each cgroup switched out of a CPU, per second.", 12))
add(heatmap("Softirq raise to entry latency", "softirq_entry_latency_seconds", "s",
            "softirq-latency: time from a softirq being raised to its handler starting (all kinds).", 0, 8),
    heatmap("Softirq service time", "softirq_service_seconds", "s",
            "softirq-latency: time softirq handlers ran (all kinds).", 8, 8),
    timeseries("Softirqs by kind and CPU",
               [(rate("softirqs_total", "kind, cpu"), "{{kind}} cpu{{cpu}}")], "ops",
               "softirq-latency: softirq handler runs per second, per kind and CPU.", 16, 8, stack=True))

row("System calls and processes (syscalls, exec, read-latency, uprobe)")
add(timeseries("System calls (top 15)", [(rate("syscalls_total", "syscall", 15), "{{syscall}}")], "ops",
               "syscalls: system calls entered per second, by syscall.", 0),
    timeseries("Execs by command (top 15)", [(rate("execs_total", "command", 15), "{{command}}")], "ops",
               "exec: programs started per second, by command name.", 12))
add(heatmap("read() latency", "read_latency_seconds", "s", "read-latency: time read() calls took (all processes).", 0, 8),
    heatmap("write() latency", "write_latency_seconds", "s", "read-latency: time write() calls took (all processes).", 8, 8),
    timeseries("getaddrinfo() calls by command", [(rate("libc_getaddrinfo_calls_total", "command", 15), "{{command}}")],
               "ops", "uprobe: libc getaddrinfo() calls per second, by process name.", 16, 8))

row("Memory and page cache (page-cache, oomkill)")
add(timeseries("Page cache operations", [(rate("page_cache_ops_total", "op"), "{{op}}"),
                                        (rate("writeback_pages_total", "instance"), "written back (pages)")],
               "ops", "page-cache: folios added, deleted and dirtied per second; pages written back by flushers.", 0),
    timeseries("OOM kills by command",
               [(f'sum by (command) (increase(ebpf_exporter_oom_kills_total{{{SEL}}}[$__rate_interval]))', "{{command}}")],
               "short", "oomkill: processes killed by the OOM killer.", 12, bars=True))

row("Network (tcp-retransmits, tcp-connect)")
add(timeseries("TCP retransmits by family and state", [(rate("tcp_retransmits_total", "family, state"), "{{family}} {{state}}")],
               "pps", "tcp-retransmits: segments retransmitted per second. syn_sent: unanswered connection attempts.", 0),
    timeseries("TCP connect attempts by family", [(rate("tcp_connect_attempts_total", "family"), "{{family}}")],
               "ops", "tcp-connect: outgoing TCP connect() attempts per second, by address family (needs kprobes).", 12))

row("Files and directory cache (fsync-latency, dcstat)")
add(heatmap("fsync() latency", "fsync_latency_seconds", "s",
            "fsync-latency: time fsync() and fdatasync() calls took (fentry/fexit, or kprobes where fentry is refused).", 0),
    timeseries("Dentry cache lookups and misses", [(rate("dcache_lookups_total", "event"), "{{event}}")], "ops",
               "dcstat: slow-path dentry cache lookups (d_lookup) per second, and those that found no dentry (needs kprobes and clang).", 12))

row("Kernel timers and CPU profile (timers, cpu-profile, llc)")
add(timeseries("Timers armed by function (top 15)", [(rate("timer_starts_total", "function", 15), "{{function}}")], "ops",
               "timers: kernel timers armed per second, by callback.", 0),
    timeseries("LLC miss ratio by CPU",
               [(f'sum by (cpu) (rate(ebpf_exporter_llc_misses_total{{{SEL}}}[$__rate_interval])) / sum by (cpu) (rate(ebpf_exporter_llc_references_total{{{SEL}}}[$__rate_interval]))',
                 "cpu{{cpu}}")], "percentunit", "llc: last-level cache misses / references (needs a hardware PMU).", 12))
prof = {
    "type": "table", "title": "Hottest kernel stacks (cpu-profile)", "id": nid(), "datasource": DS,
    "description": "cpu-profile: share of cpu-clock samples per kernel stack over the dashboard range.",
    "gridPos": {"h": 10, "w": 24, "x": 0, "y": y[0]},
    "targets": [{"refId": "A", "datasource": DS, "format": "table", "instant": True,
                 "expr": f'topk(25, sum by (kstack) (increase(ebpf_exporter_kernel_stack_samples_total{{{SEL}}}[$__range])))'}],
    "transformations": [{"id": "organize", "options": {"excludeByName": {"Time": True},
                                                       "renameByName": {"Value": "samples"}}},
                        {"id": "sortBy", "options": {"sort": [{"field": "samples", "desc": True}]}}],
    "options": {"showHeader": True, "cellHeight": "sm"},
    "fieldConfig": {"defaults": {"custom": {"cellOptions": {"type": "auto"}, "inspect": True}},
                    "overrides": [{"matcher": {"id": "byName", "options": "samples"},
                                   "properties": [{"id": "custom.width", "value": 120},
                                                  {"id": "custom.cellOptions", "value": {"type": "gauge", "mode": "basic"}}]}]},
}
panels.append(prof)
y[0] += 10

# The exporter's own metrics (see docs/config.md and docs/exposition.md for when each has series).
row("Exporter health")
add(timeseries("eBPF programs attached", [
        (f'sum by (instance) (ebpf_exporter_ebpf_program_attached{{{SEL}}})', "{{instance}} attached"),
        (f'sum by (instance) (1 - ebpf_exporter_ebpf_program_attached{{{SEL}}})', "{{instance}} not attached")],
               "short", "Programs attached, and programs loaded but not attached (refused by the kernel, or no such "
               "hook here: the log and / say why).", 0, 8),
    timeseries("Failed configs and reload status", [
        (f'max by (instance, name) (ebpf_exporter_failed_configs{{{SEL}}})', "{{instance}} failed: {{name}}"),
        (f'min by (instance) (ebpf_exporter_config_last_reload_successful{{{SEL}}})', "{{instance}} last reload ok")],
               "short", "Configs not served because they failed to load (only under --config.allow-failures; "
               "empty when none failed), and whether the last config reload succeeded (1) or not (0).", 8, 8),
    timeseries("Scrape errors", [(rate("scrape_errors_total", "instance, config, metric"), "{{config}} {{metric}}")],
               "ops", "Metric families left out of scrapes because reading, building or writing them failed "
               "(empty until the first failure).", 16, 8))
add(timeseries("Series dropped by the series limit", [(rate("series_dropped_total", "instance, config, metric"), "{{config}} {{metric}}")],
               "ops", "Series not exported because a metric reached --metrics.series-limit.", 0, 8),
    timeseries("Decoder errors", [(rate("decoder_errors_total", "instance, config"), "{{config}}")],
               "ops", "Keys that a label decoder could not decode, per config.", 8, 8),
    timeseries("Events lost", [(rate("events_lost_total", "instance, config, map"), "{{config}} {{map}}")],
               "ops", "Events a full perf or ring buffer lost on the way to the exporter (only for configs with "
               "such buffers).", 16, 8))

dash = {
    "__inputs": [],
    "__requires": [{"type": "grafana", "id": "grafana", "name": "Grafana", "version": "10.0.0"},
                   {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"},
                   {"type": "panel", "id": "heatmap", "name": "Heatmap", "version": ""},
                   {"type": "panel", "id": "timeseries", "name": "Time series", "version": ""},
                   {"type": "panel", "id": "table", "name": "Table", "version": ""}],
    "id": None, "uid": "ebpf-exporter-examples", "title": "ebpf-exporter: bundled examples",
    "description": "One panel (or a few) per bundled ebpf-exporter example. Panels of examples that are not enabled stay empty.",
    "tags": ["ebpf", "ebpf-exporter"], "editable": True, "graphTooltip": 1, "schemaVersion": 38, "version": 1,
    "time": {"from": "now-1h", "to": "now"}, "refresh": "30s", "timezone": "",
    "annotations": {"list": []}, "links": [],
    "templating": {"list": [
        {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
         "current": {}, "hide": 0, "refresh": 1, "regex": "", "options": []},
        {"name": "instance", "label": "Instance", "type": "query", "datasource": DS,
         "query": {"query": "label_values(ebpf_exporter_enabled_configs, instance)", "refId": "instance"},
         "definition": "label_values(ebpf_exporter_enabled_configs, instance)",
         "includeAll": True, "multi": True, "allValue": ".*", "current": {}, "hide": 0, "refresh": 2,
         "sort": 1, "regex": "", "options": []},
    ]},
    "panels": panels,
}
import os
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ebpf-exporter.json")
with open(out, "w") as f:
    json.dump(dash, f, indent=2)
    f.write("\n")
print(len(panels), "panels")
