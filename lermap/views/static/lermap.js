// lermap pages, progressive enhancement only: every page works without this script.
// - draws the figure whose JSON the server put in #figure-data (a data element: the CSP allows no inline script);
// - on a page with a side panel (#panel), an entity link opens the entity's facts there instead of its page;
// - moves focus to a form's error summary so that keyboard and screen-reader users hear what went wrong.
// Text only: nothing from the server is inserted as HTML.
"use strict";

function lermapText(tag, text, cls) {
  const el = document.createElement(tag);
  el.textContent = text == null ? "" : String(text);
  if (cls) el.className = cls;
  return el;
}

async function lermapShowEntity(id) {
  const panel = document.getElementById("panel");
  if (!panel) return false;
  panel.replaceChildren(lermapText("p", "Loading…"));
  try {
    const res = await fetch("/v1/entities/" + encodeURIComponent(id), { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error("HTTP " + res.status);
    const data = await res.json();
    const heading = lermapText("h2", data.label || data.id);
    const parts = [heading, lermapText("p", data.id, "iri")];
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
    const more = document.createElement("a");
    more.href = "/entity?id=" + encodeURIComponent(id);
    more.textContent = "Open the full page of " + (data.label || data.id);
    parts.push(more);
    panel.replaceChildren(...parts);
  } catch (err) {
    panel.replaceChildren(lermapText("p", "Could not load " + id + ": " + err.message));
  }
  return true;
}

function lermapDraw() {
  const holder = document.getElementById("figure-data");
  const chart = document.getElementById("chart");
  if (!holder || !chart || typeof Plotly === "undefined") return;
  const fig = JSON.parse(holder.textContent);
  // the container keeps the figure's height, so that Plotly's responsive resize (which sizes to the container)
  // never squeezes it, nor lets it spill over what follows, on a narrow screen
  if (fig.layout && fig.layout.height) chart.style.height = fig.layout.height + "px";
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
  if (document.getElementById("panel")) {
    document.querySelectorAll("[data-entity]").forEach(el => {
      el.addEventListener("click", ev => {
        ev.preventDefault();
        lermapShowEntity(el.dataset.entity);
      });
    });
  }
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
