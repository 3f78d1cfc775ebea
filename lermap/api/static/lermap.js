// lermap pages: draw the figure whose JSON the server put in #figure-data, and show a node's facts
// in the side panel on click (or on Enter in the table). Text only: nothing is inserted as HTML.
"use strict";

function lermapText(tag, text, cls) {
  const el = document.createElement(tag);
  el.textContent = text == null ? "" : String(text);
  if (cls) el.className = cls;
  return el;
}

async function lermapShowEntity(id) {
  const panel = document.getElementById("panel");
  if (!panel) return;
  panel.replaceChildren(lermapText("p", "Loading…"));
  try {
    const res = await fetch("/v1/entities/" + encodeURIComponent(id), { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error("HTTP " + res.status);
    const data = await res.json();
    const parts = [lermapText("h2", data.label || data.id), lermapText("p", data.id, "iri")];
    const facts = document.createElement("dl");
    for (const f of data.facts.slice(0, 60)) {
      facts.append(lermapText("dt", f.predicate.split(/[#/]/).pop()));
      facts.append(lermapText("dd", f.object_label || f.object));
    }
    parts.push(facts);
    if (data.incoming.length) {
      parts.push(lermapText("h3", "Related"));
      const ul = document.createElement("ul");
      for (const r of data.incoming.slice(0, 40)) ul.append(lermapText("li", (r.subject_label || r.subject) + " — " + r.predicate.split(/[#/]/).pop()));
      parts.push(ul);
    }
    const card = await fetch("/v1/scorecards/" + encodeURIComponent(id)).then(r => r.ok ? r.json() : null).catch(() => null);
    if (card && card.assessments) {
      parts.push(lermapText("h3", "C-BEN principles"));
      const ul = document.createElement("ul");
      for (const a of card.assessments) ul.append(lermapText("li", a.label + ": " + a.score + " / " + a.max_score));
      parts.push(ul);
    }
    panel.replaceChildren(...parts);
  } catch (err) {
    panel.replaceChildren(lermapText("p", "Could not load " + id + ": " + err.message));
  }
}

function lermapDraw() {
  const holder = document.getElementById("figure-data");
  const chart = document.getElementById("chart");
  if (!holder || !chart || typeof Plotly === "undefined") return;
  const fig = JSON.parse(holder.textContent);
  Plotly.newPlot(chart, fig.data, fig.layout, { responsive: true, displaylogo: false }).then(() => {
    chart.dataset.drawn = "true";
    chart.dataset.points = String(fig.data.reduce((n, t) => n + (t.customdata ? t.customdata.length : 0), 0));
  });
  chart.on("plotly_click", ev => {
    const p = ev.points && ev.points[0];
    if (p && p.customdata) lermapShowEntity(p.customdata);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  lermapDraw();
  document.querySelectorAll("[data-entity]").forEach(el => {
    el.addEventListener("click", () => lermapShowEntity(el.dataset.entity));
  });
});
