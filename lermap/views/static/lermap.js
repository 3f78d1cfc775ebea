// lermap pages, progressive enhancement only: every page works without this script.
// - draws the figure whose JSON the server put in #figure-data (a data element: the CSP allows no inline script);
// - on the map: names appear when zoomed in; choosing a node focuses its neighbourhood (the rest dims), keeps the
//   focus in the address, and opens the entity's brief in the side panel; a button downloads the view as PNG;
// - on a page with a side panel (#panel), an entity link opens the entity's brief there instead of its page;
// - a search box with data-suggest gets a type-ahead list of links;
// - moves focus to a form's error summary so that keyboard and screen-reader users hear what went wrong.
// Text only: nothing from the server is inserted as HTML.
"use strict";

function lermapText(tag, text, cls) {
  const el = document.createElement(tag);
  el.textContent = text == null ? "" : String(text);
  if (cls) el.className = cls;
  return el;
}

function lermapLink(href, text) {
  const a = lermapText("a", text);
  a.href = href;
  return a;
}

// -- the side panel -------------------------------------------------------------------------------------------

async function lermapShowEntity(id) {
  const panel = document.getElementById("panel");
  if (!panel) return false;
  panel.replaceChildren(lermapText("p", "Loading…"));
  try {
    const res = await fetch("/entity/summary?id=" + encodeURIComponent(id), { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error("HTTP " + res.status);
    const data = await res.json();
    const parts = [lermapText("h2", data.label)];
    if (data.kind) parts.push(lermapText("p", data.kind, "kind-tag"));
    if (data.description) parts.push(lermapText("p", data.description));
    if (data.roles && data.roles.length) parts.push(lermapText("p", "Stakeholder roles: " + data.roles.join(", ")));
    if (data.region) parts.push(lermapText("p", "Region: " + data.region));
    if (data.relations.length) {
      parts.push(lermapText("h3", "Relations"));
      const ul = document.createElement("ul");
      for (const r of data.relations) {
        ul.append(lermapText("li", data.label + " " + r.words + " " + r.names.join(", ") + (r.more ? " and " + r.more + " more" : "")));
      }
      parts.push(ul);
    }
    if (data.scores.length) {
      parts.push(lermapText("h3", "C-BEN principles"));
      const ul = document.createElement("ul");
      for (const s of data.scores) ul.append(lermapText("li", s.label + ": " + s.score + " of " + s.max));
      parts.push(ul);
    }
    const more = lermapLink(data.href, "Open the page of " + data.label + " (sources and evidence)");
    parts.push(more);
    panel.replaceChildren(...parts);
  } catch (err) {
    panel.replaceChildren(lermapText("p", "Could not load the details: " + err.message));
  }
  return true;
}

// -- the map ----------------------------------------------------------------------------------------------------

function lermapMapData() {
  const el = document.getElementById("map-data");
  return el ? JSON.parse(el.textContent) : null;
}

// the nodes within `hops` relations of `start` (either direction)
function lermapNeighbourhood(data, start, hops) {
  const adjacent = data.ids.map(() => []);
  for (const [a, b] of data.edges) { adjacent[a].push(b); adjacent[b].push(a); }
  const seen = new Set([start]);
  let frontier = [start];
  for (let h = 0; h < hops; h++) {
    const next = [];
    for (const n of frontier) for (const m of adjacent[n]) if (!seen.has(m)) { seen.add(m); next.push(m); }
    frontier = next;
  }
  return seen;
}

function lermapFocus(chart, data, id) {
  // the nodes in the order the map's data numbers them: the node traces' points one after the other
  data.ids = data.ids || chart.data.filter(t => t.customdata).flatMap(t => t.customdata);
  const index = data.ids.indexOf(id);
  if (index < 0) return;
  const near = new Set([...lermapNeighbourhood(data, index, data.hops || 1)].map(i => data.ids[i]));
  chart.data.forEach((trace, t) => {
    if (!trace.customdata) return;
    const opacity = trace.customdata.map(n => (near.has(n) ? 1 : 0.15));
    const labels = (trace.meta && trace.meta.labels) || [];
    const text = trace.customdata.map((n, i) => (near.has(n) ? labels[i] : ""));
    const width = trace.customdata.map(n => (n === id ? 3 : 1));
    const colour = trace.customdata.map(n => (n === id ? "#111" : "#fff"));
    Plotly.restyle(chart, { "marker.opacity": [opacity], text: [text], "marker.line.width": [width], "marker.line.color": [colour] }, [t]);
  });
  chart.dataset.focused = "true";
  const params = new URLSearchParams(window.location.search);
  params.set("focus", id);
  history.replaceState(null, "", "/map?" + params.toString());
  lermapShowEntity(id);
}

// names on every node inside the zoomed area once few enough nodes are in view
function lermapZoomLabels(chart, initial) {
  const layout = chart.layout;
  const limit = (layout.meta && layout.meta.label_all_below) || 60;
  const [x0, x1] = layout.xaxis.range || [];
  const [y0, y1] = layout.yaxis.range || [];
  if (x0 === undefined || y0 === undefined) return;
  const inside = (x, y) => x >= Math.min(x0, x1) && x <= Math.max(x0, x1) && y >= Math.min(y0, y1) && y <= Math.max(y0, y1);
  let count = 0;
  chart.data.forEach(trace => { if (trace.customdata) trace.x.forEach((x, i) => { if (inside(x, trace.y[i])) count++; }); });
  const restore = count > limit;
  chart.data.forEach((trace, t) => {
    if (restore && trace.customdata && trace.meta && chart.dataset.focused !== "true") Plotly.restyle(chart, { text: [initial[t]] }, [t]);
  });
  if (restore) return;
  chart.data.forEach((trace, t) => {
    if (!trace.customdata || !trace.meta) return;
    const text = trace.x.map((x, i) => (inside(x, trace.y[i]) ? trace.meta.labels[i] : trace.text[i]));
    Plotly.restyle(chart, { text: [text] }, [t]);
  });
}

function lermapPngButton(chart) {
  const tools = document.getElementById("map-tools");
  if (!tools) return;
  const button = lermapText("button", "Picture of this view (PNG)");
  button.type = "button";
  button.className = "button-secondary";
  button.addEventListener("click", () => Plotly.downloadImage(chart, { format: "png", filename: "lermap-map", width: 1600, height: 1100 }));
  tools.append(button);
}

function lermapDraw() {
  const holder = document.getElementById("figure-data");
  const chart = document.getElementById("chart");
  if (!holder || !chart || typeof Plotly === "undefined") return;
  const fig = JSON.parse(holder.textContent);
  // the container keeps the figure's height, so that Plotly's responsive resize (which sizes to the container)
  // never squeezes it, nor lets it spill over what follows, on a narrow screen
  if (fig.layout && fig.layout.height) chart.style.height = fig.layout.height + "px";
  const mapData = lermapMapData();
  Plotly.newPlot(chart, fig.data, fig.layout, { responsive: true, displaylogo: false }).then(() => {
    chart.dataset.drawn = "true";
    chart.dataset.points = String(fig.data.reduce((n, t) => n + (t.customdata ? t.customdata.length : 0), 0));
    if (mapData) {
      lermapPngButton(chart);
      const initial = fig.data.map(t => t.text);
      chart.on("plotly_relayout", () => lermapZoomLabels(chart, initial));
    }
  });
  chart.on("plotly_click", ev => {
    const p = ev.points && ev.points[0];
    if (!p || !p.customdata) return;
    if (mapData) lermapFocus(chart, mapData, p.customdata);
    else lermapShowEntity(p.customdata);
  });
}

// -- type-ahead ------------------------------------------------------------------------------------------------

function lermapTypeAhead(input) {
  const list = document.getElementById(input.id + "-suggestions");
  const status = document.getElementById(input.id + "-status");
  if (!list) return;
  let timer = null;
  let asked = "";
  const show = items => {
    if (!items.length) {
      list.hidden = true;
      list.replaceChildren();
      if (status) status.textContent = input.value.trim().length >= 2 ? "No suggestions" : "";
      return;
    }
    const ul = document.createElement("ul");
    for (const item of items) {
      const li = document.createElement("li");
      const a = lermapLink(item.href, item.label);
      a.append(lermapText("span", " · " + item.kind, "suggestions__kind"));
      li.append(a);
      ul.append(li);
    }
    list.replaceChildren(ul);
    list.hidden = false;
    if (status) status.textContent = items.length + " suggestion" + (items.length === 1 ? "" : "s") + ": press the Down arrow or Tab to choose";
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (q === asked) return;
      asked = q;
      if (q.length < 2) return show([]);
      try {
        const res = await fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } });
        if (res.ok && input.value.trim() === q) show(await res.json());
      } catch (err) {
        show([]);
      }
    }, 150);
  });
  input.addEventListener("keydown", ev => {
    const first = list.querySelector("a");
    if (ev.key === "ArrowDown" && first && !list.hidden) { ev.preventDefault(); first.focus(); }
    if (ev.key === "Escape") show([]);
  });
  list.addEventListener("keydown", ev => {
    const links = [...list.querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    if (ev.key === "ArrowDown" && at < links.length - 1) { ev.preventDefault(); links[at + 1].focus(); }
    if (ev.key === "ArrowUp") { ev.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
    if (ev.key === "Escape") { show([]); input.focus(); }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  lermapDraw();
  if (document.getElementById("panel")) {
    document.querySelectorAll("[data-entity]").forEach(el => {
      el.addEventListener("click", ev => {
        ev.preventDefault();
        lermapShowEntity(el.dataset.entity);
      });
    });
  }
  document.querySelectorAll("input[data-suggest]").forEach(lermapTypeAhead);
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
