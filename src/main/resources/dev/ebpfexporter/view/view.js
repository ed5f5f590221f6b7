// The live part of ebpf-exporter's landing page: polls /view/data and draws histograms (BCC-style
// bars and a heatmap of the last minutes) and counters (top series by rate). No dependencies.
"use strict";
(function () {
  const WINDOW_MS = 10 * 60 * 1000;
  const state = { seq: 0, updates: 0, selected: {}, heat: {}, columns: [], timer: null };
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else node.setAttribute(k, v);
    }
    for (const child of children) node.append(child);
    return node;
  }

  function fmt(n) {
    if (n >= 1e9) return (n / 1e9).toFixed(1) + "G";
    if (n >= 1e6) return (n / 1e6).toFixed(1) + "M";
    if (n >= 1e4) return (n / 1e3).toFixed(1) + "k";
    return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1);
  }

  function duration(ns) {
    if (ns === 0) return "0 s";
    if (ns < 1e6) return (ns / 1e3).toFixed(0) + " µs";
    if (ns < 1e9) return (ns / 1e6).toFixed(1) + " ms";
    return (ns / 1e9).toFixed(1) + " s";
  }

  function updatePrograms(configs) {
    for (const config of configs) {
      const box = document.querySelector(`.config[data-config="${CSS.escape(config.name)}"]`);
      if (!box) continue;
      for (const p of config.programs) {
        const row = box.querySelector(`tr[data-program="${CSS.escape(p.name)}"]`);
        if (!row) continue;
        row.querySelector(".runs").textContent = p.run_count;
        row.querySelector(".run-time").textContent = duration(p.run_time_ns);
        if (p.runs_per_second !== undefined) {
          row.querySelector(".rate").textContent = fmt(p.runs_per_second);
          row.querySelector(".cpu").textContent = p.cpu_percent.toFixed(p.cpu_percent < 0.1 ? 3 : 2) + " %";
        }
      }
    }
  }

  // ------------------------------------------------------------------ histograms

  function histogramCard(h) {
    let card = document.querySelector(`.histogram[data-metric="${CSS.escape(h.name)}"]`);
    if (card) return card;
    const select = el("select", { class: "series-select", "aria-label": "label set" });
    select.addEventListener("change", () => { state.selected[h.name] = select.value; render(state.last); });
    card = el("div", { class: "histogram card", "data-metric": h.name },
      el("h3", {}, h.name), el("p", { class: "help" }, h.help),
      el("div", { class: "controls" }, el("label", {}, "series ", select), el("span", { class: "summary" })),
      el("div", { class: "split" },
        el("table", { class: "bars" }),
        el("div", { class: "heat" }, el("canvas", { class: "heatmap", width: "600", height: "240" }),
          el("div", { class: "axis" }, el("span", {}, "−10 min"), el("span", { class: "buckets" }), el("span", {}, "now")))));
    $("histogram-list").append(card);
    return card;
  }

  function renderHistogram(h) {
    const card = histogramCard(h);
    const select = card.querySelector(".series-select");
    const wanted = state.selected[h.name];
    select.replaceChildren(...h.series.map((s) => el("option", { value: s.labels }, (s.labels || "(no labels)") + " · " + fmt(s.count))));
    const series = h.series.find((s) => s.labels === wanted) || h.series[0];
    const summary = card.querySelector(".summary");
    if (!series) {
      card.querySelector(".bars").replaceChildren(el("tr", {}, el("td", {}, "no observations yet")));
      summary.textContent = "";
      return;
    }
    select.value = series.labels;
    card.dataset.series = series.labels;
    summary.textContent = `${fmt(series.count)} observations` + (h.series_total > h.series.length ? ` · ${h.series.length} of ${h.series_total} series shown` : "");
    let last = -1, max = 0;
    series.counts.forEach((c, i) => { if (c > 0) last = i; if (c > max) max = c; });
    const rows = [el("tr", {}, el("th", { class: "num" }, h.unit), el("th", { class: "num" }, "count"), el("th", {}, "distribution"))];
    for (let i = 0; i <= Math.max(last, 0) && i < h.rows.length; i++) {
      const bar = el("div", { class: "bar" });
      bar.style.width = (max ? (100 * series.counts[i]) / max : 0) + "%";
      rows.push(el("tr", { class: "bar-row", "data-bucket": String(i), "data-le": h.rows[i][1], "data-count": String(series.counts[i]) },
        el("td", { class: "num range" }, `${h.rows[i][0]} -> ${h.rows[i][1]}`),
        el("td", { class: "num count" }, String(series.counts[i])),
        el("td", { class: "track" }, bar)));
    }
    card.querySelector(".bars").replaceChildren(...rows);
    const top = Math.min(Math.max(last + 1, 7), h.rows.length - 1);
    card.querySelector(".buckets").textContent = `${h.unit}: ${h.rows[0][0]} (bottom) to ${h.rows[top][1]} (top)`;
    drawHeatmap(card.querySelector(".heatmap"), state.heat[h.name + "{" + series.labels + "}"] || [], h.rows.length, Math.max(last, 0));
  }

  function drawHeatmap(canvas, columns, buckets, lastRow) {
    const ctx = canvas.getContext("2d");
    const w = canvas.width, h = canvas.height;
    ctx.fillStyle = "#f4f6f8";
    ctx.fillRect(0, 0, w, h);
    const rows = Math.max(lastRow + 2, 8);
    const now = state.time || Date.now();
    let max = 0;
    for (const c of columns) for (const v of c.deltas) if (v > max) max = v;
    if (!max) return;
    const rowH = h / rows;
    for (const c of columns) {
      const x0 = Math.max(0, ((c.t - c.dt - (now - WINDOW_MS)) / WINDOW_MS) * w);
      const x1 = ((c.t - (now - WINDOW_MS)) / WINDOW_MS) * w;
      if (x1 <= 0) continue;
      c.deltas.forEach((v, i) => {
        if (!v || i >= rows) return;
        const level = Math.log1p(v) / Math.log1p(max);
        ctx.fillStyle = `hsl(${20 + 30 * (1 - level)}, 90%, ${85 - 50 * level}%)`;
        ctx.fillRect(x0, h - (i + 1) * rowH, Math.max(1, x1 - x0), rowH);
      });
    }
  }

  function recordHeat(data) {
    const columns = data.columns;
    for (const h of data.histograms) {
      for (const s of h.series) {
        const key = h.name + "{" + s.labels + "}";
        const track = state.heat[key] || (state.heat[key] = []);
        s.heat.forEach((deltas, i) => { if (deltas) track.push({ t: columns[i].t, dt: columns[i].dt, deltas }); });
      }
    }
    const oldest = data.time - WINDOW_MS;
    for (const key of Object.keys(state.heat)) {
      state.heat[key] = state.heat[key].filter((c) => c.t > oldest);
    }
  }

  // ------------------------------------------------------------------ counters

  function renderCounter(c) {
    let card = document.querySelector(`.counter[data-metric="${CSS.escape(c.name)}"]`);
    if (!card) {
      card = el("div", { class: "counter card", "data-metric": c.name }, el("h3", {}, c.name),
        el("p", { class: "help" }, c.help), el("p", { class: "summary" }), el("table", { class: "top" }));
      $("counter-list").append(card);
    }
    card.querySelector(".summary").textContent = `top ${c.rows.length} of ${c.matching} matching series (${c.series_total} in all), by rate`;
    const rows = [el("tr", {}, el("th", {}, "labels"), el("th", { class: "num" }, "per second"), el("th", { class: "num" }, "total"))];
    for (const r of c.rows) {
      rows.push(el("tr", { class: "counter-row", "data-labels": r.labels, "data-value": String(r.value) },
        el("td", { class: "labels" }, r.labels || "(no labels)"), el("td", { class: "num rate" }, fmt(r.rate)),
        el("td", { class: "num value" }, fmt(r.value))));
    }
    card.querySelector(".top").replaceChildren(...rows);
  }

  // ------------------------------------------------------------------ polling

  function render(data) {
    if (!data) return;
    updatePrograms(data.configs);
    $("histograms").hidden = data.histograms.length === 0;
    $("counters").hidden = data.counters.length === 0;
    data.histograms.forEach(renderHistogram);
    data.counters.forEach(renderCounter);
  }

  async function poll() {
    clearTimeout(state.timer);
    const query = new URLSearchParams({ since: String(state.seq), top: $("counter-top").value, filter: $("counter-filter").value });
    try {
      const response = await fetch("/view/data?" + query, { cache: "no-store", credentials: "same-origin" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const text = await response.text();
      const data = JSON.parse(text);
      if (data.seq > state.seq) recordHeat(data);
      state.seq = Math.max(state.seq, data.seq);
      state.time = data.time;
      state.last = data;
      render(data);
      state.updates++;
      document.body.dataset.seq = String(data.seq);
      document.body.dataset.updates = String(state.updates);
      $("status").textContent = `updated ${new Date(data.time).toLocaleTimeString()} · sample ${(data.sample_cpu_us / 1000).toFixed(1)} ms CPU · ${(text.length / 1024).toFixed(1)} KiB`;
      $("status").classList.remove("bad");
      state.timer = setTimeout(poll, data.period_ms);
    } catch (e) {
      $("status").textContent = "not updating: " + e.message;
      $("status").classList.add("bad");
      state.timer = setTimeout(poll, 5000);
    }
  }

  $("counter-filter").addEventListener("input", () => { clearTimeout(state.timer); state.timer = setTimeout(poll, 300); });
  $("counter-top").addEventListener("change", poll);
  poll();
})();
