// diplograph web page: plain JavaScript over the REST API (/api). No build step.
// Safety: every piece of data is inserted with textContent (via el()), never innerHTML.
"use strict";

const STATES = ["allied", "strategic_partners", "diplomatic_relations"];
const STATE_LABEL = { allied: "allied", strategic_partners: "strategic partners",
  diplomatic_relations: "diplomatic relations", member_of: "member of" };
const STATE_RANK = { allied: 3, strategic_partners: 2, diplomatic_relations: 1 };
const DAY = 86400000;
const SLIDER_START = Date.UTC(1945, 0, 1);

// -- small helpers ------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// replaceChildren, but like el(): null, undefined and false children are left out
function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

// a link target only for http(s) URLs; anything else (javascript:, data:) is not a link
function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url.trim()) ? url.trim() : null; }

const view = () => document.getElementById("view");
function show(...nodes) { const v = view(); fill(v, ...nodes); }
function showError(msg) { const e = document.getElementById("error"); e.textContent = msg; e.hidden = !msg; }

async function api(path, params) {
  const url = new URL("/api/" + path, location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined || v === "") continue;
    for (const x of [].concat(v)) url.searchParams.append(k, x);
  }
  const headers = {};
  const token = sessionStorage.getItem("diplograph-token");
  if (token) headers.Authorization = "Bearer " + token;
  const r = await fetch(url, { headers });
  const body = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) {
    const hint = r.status === 401 || r.status === 403 ? " (this server needs the operator token to read: enter it on the Ingest page)" : "";
    const err = new Error((body.error || r.statusText) + hint); err.status = r.status; throw err;
  }
  return body;
}

function today() { return new Date().toISOString().slice(0, 10); }
function dayToIso(n) { return new Date(SLIDER_START + n * DAY).toISOString().slice(0, 10); }
function isoToDay(s) { const t = Date.parse(s + "T00:00:00Z"); return Math.round((t - SLIDER_START) / DAY); }
function dateText(d) { return d ? (d.value || d) : "date unknown"; }
function actorLink(a) { return a ? el("a", { href: "#/actor/" + encodeURIComponent(a.id) }, a.name) : "?"; }
function docLink(ev) {
  if (!ev || !ev.doc) return ev && ev.dataset ? el("span", { class: "muted" }, "dataset: " + ev.dataset) : null;
  const label = ev.title || ev.source || ev.doc;
  return el("a", { href: "#/doc/" + encodeURIComponent(ev.doc) + (ev.start !== null && ev.start !== undefined ? "?at=" + ev.start : ""),
    class: "doc-link" }, label);
}
function evidenceBlock(ev) {
  return el("div", { class: "evidence" },
    el("blockquote", {}, ev.text || "(no sentence: from a dataset)"),
    el("div", { class: "muted" }, ev.attributed_to ? "said by " + ev.attributed_to + " · " : "",
      ev.published ? ev.published + " · " : "", docLink(ev)));
}
function evidenceButton(factId) {
  const box = el("div", { class: "all-evidence" });
  const btn = el("button", { class: "link evidence-button", type: "button", onclick: async () => {
    btn.disabled = true;
    try {
      const rows = await api("facts/" + encodeURIComponent(factId) + "/evidence");
      fill(box, el("div", { class: "muted" }, rows.length + " supporting sentence(s):"), ...rows.map(evidenceBlock));
    } catch (e) { fill(box, el("div", { class: "muted" }, e.message)); }
  } }, "all evidence");
  return [btn, box];
}
function parseHash() {
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const parts = (path || "/").split("/").filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query || "") };
}
function setHashParams(params) {
  const { parts } = parseHash();
  history.replaceState(null, "", "#/" + parts.map(encodeURIComponent).join("/") + "?" + params.toString());
}
function dateSlider(initial, onChange) {
  const max = isoToDay(today());
  const slider = el("input", { type: "range", id: "date-slider", min: 0, max, step: 1,
    value: Math.min(max, Math.max(0, isoToDay(initial))), "aria-label": "As of date" });
  const picker = el("input", { type: "date", id: "date-input", value: initial, min: dayToIso(0), max: today() });
  let timer = null;
  slider.addEventListener("input", () => {
    picker.value = dayToIso(+slider.value);
    clearTimeout(timer); timer = setTimeout(() => onChange(picker.value), 150);
  });
  picker.addEventListener("change", () => {
    if (!picker.value) return;
    slider.value = isoToDay(picker.value); onChange(picker.value);
  });
  return el("label", { class: "slider" }, "As of ", slider, " ", picker);
}

// -- pages ---------------------------------------------------------------------------------

async function pageSearch(params) {
  const q = params.get("q") || "";
  const input = el("input", { type: "search", id: "search-q", value: q, placeholder: "Uzbekistan, UZB, Tashkent, Uzbek…" });
  const results = el("ul", { class: "rows", id: "search-results" });
  const form = el("form", { class: "controls", onsubmit: (e) => { e.preventDefault(); location.hash = "#/search?q=" + encodeURIComponent(input.value); } },
    input, el("button", { type: "submit" }, "Search"));
  show(el("h1", {}, "Find an actor"), form, results,
    el("p", { class: "muted" }, "Search by name, alias, ISO or COW code, demonym, capital or a leader's name."));
  if (!q) return;
  try {
    const page = await api("actors", { q });
    fill(results, ...page.items.map((a) => el("li", {},
      el("a", { href: "#/actor/" + encodeURIComponent(a.id) }, a.name), " ",
      el("span", { class: "tag" }, a.kind), el("span", { class: "muted" }, a.id + (a.official_name ? " · " + a.official_name : "")))));
  } catch (e) { fill(results, el("li", { class: "muted" }, e.message)); }
}

// -- the overview: what changed lately, where, and what is being watched -------------------

const CHANGE_SECTIONS = [
  ["began", "New relations", "relation"], ["ended", "Ended relations", "relation"],
  ["members", "New members", "relation"], ["conflicts", "Conflicts between sources", "conflict"],
  ["discussed", "Speculation and plans", "discussed"]];
const KIND_LABEL = { relation_began: "began", relation_ended: "ended", conflict: "conflict", speculation: "speculation", plan: "plan" };

function changeItem(c) {
  const tagClass = c.relation || (c.kind === "speculation" ? "speculative" : c.kind === "plan" ? "planned" : "");
  return el("li", { "data-kind": c.kind, "data-fact": c.fact || null },
    el("span", { class: "tag " + tagClass }, c.relation ? STATE_LABEL[c.relation] : KIND_LABEL[c.kind] || c.kind),
    el("strong", {}, c.summary), " ",
    el("span", { class: "muted" }, c.actors.flatMap((a, i) => [i ? ", " : "", actorLink(a)]), " · " + c.n_sources + " source(s)",
      c.recorded_at ? " · recorded " + c.recorded_at.slice(0, 16).replace("T", " ") : "",
      c.raised_at ? " · raised " + c.raised_at.slice(0, 16).replace("T", " ") : ""),
    evidenceBlock(c.evidence), c.fact ? evidenceButton(c.fact) : null);
}

function sourceHealth(s) {
  const label = s.status === "failed" ? "failed" : s.status === "not_modified" ? "unchanged" : "ok";
  return el("tr", { "data-status": s.status, "data-url": s.url },
    el("td", {}, safeUrl(s.url) ? el("a", { href: safeUrl(s.url), rel: "noopener noreferrer nofollow" }, s.url) : s.url),
    el("td", {}, s.kind || "?"),
    el("td", {}, el("span", { class: "health " + label }, label), s.problem ? el("div", { class: "muted" }, s.problem) : null),
    el("td", {}, (s.last_checked || "never").slice(0, 16).replace("T", " ")),
    el("td", {}, (s.last_ok || "never").slice(0, 16).replace("T", " ")),
    el("td", {}, String(s.items || 0)));
}

async function pageOverview(params) {
  const days = params.get("days") === "30" ? 30 : 7;
  const windows = el("div", { class: "controls", id: "overview-window" }, "Show what changed in the last ",
    ...[7, 30].map((d) => el("a", { href: "#/?days=" + d, class: "window" + (d === days ? " current" : ""), "aria-current": d === days ? "page" : null }, d + " days")));
  const counts = el("div", { id: "overview-counts", class: "counts" });
  const mapBox = el("div", { id: "overview-map", class: "panel" });
  const busiest = el("div", { id: "overview-busiest", class: "muted" });
  const sections = el("div", { id: "overview-changes" });
  const alertsBox = el("ul", { class: "rows", id: "alerts-list" });
  const sources = el("table", { class: "plain", id: "sources-table" });
  show(el("h1", {}, "What changed"), windows, counts,
    el("div", { class: "split" }, el("div", {}, mapBox, el("div", { class: "legend" }, "Shade: facts first recorded in the window, by country taking part."), busiest), el("div", { class: "panel" }, el("h2", {}, "Latest alerts"), alertsBox)),
    sections, el("h2", {}, "Watched sources"), sources);
  let ov;
  try { ov = await api("overview", { days, limit: 50 }); showError(""); }
  catch (e) { showError(e.message); return; }
  const n = ov.counts;
  fill(counts, ...[["documents", n.documents, ov.new_documents + " new"], ["claims", n.claims], ["facts", n.facts],
    ["relation states", n.states], ["conflicts", n.conflicts], ["watched sources", n.watched_sources], ["alerts", n.alerts]].map(([label, v, extra]) =>
    el("div", { class: "count", "data-count": label }, el("span", { class: "value" }, String(v)), el("span", { class: "label" }, label + (extra ? " (" + extra + ")" : "")))));
  for (const [key, title] of CHANGE_SECTIONS) {
    const sec = ov[key];
    sections.append(el("section", { class: "panel change-section" }, el("h2", {}, title + " (" + sec.total + ")"),
      sec.items.length ? el("ul", { class: "rows", id: "changes-" + key }, ...sec.items.map(changeItem))
        : el("p", { class: "muted", id: "changes-" + key }, "Nothing new in the last " + days + " days."),
      sec.total > sec.items.length ? el("p", { class: "muted" }, "… and " + (sec.total - sec.items.length) + " more") : null));
  }
  fill(alertsBox, ...(ov.alerts.length ? ov.alerts.map(changeItem) : [el("li", { class: "muted" }, "No alerts yet: run `diplograph watch` or `serve --watch`.")]));
  fill(sources, el("tr", {}, ...["source", "kind", "health", "last read", "last read well", "documents"].map((h) => el("th", {}, h))),
    ...(ov.sources.length ? ov.sources.map(sourceHealth) : [el("tr", {}, el("td", { colspan: 6, class: "muted" }, "No source is watched."))]));
  const top = Object.entries(ov.activity).sort((a, b) => b[1] - a[1]).slice(0, 8);
  fill(busiest, top.length ? ["Most active: ", ...top.flatMap(([id, k], i) => [i ? ", " : "", el("a", { href: "#/actor/" + encodeURIComponent(id) }, id), " (" + k + ")"])] : "No activity in the window.");
  const { features } = await world();
  const width = 960, height = 500;
  const projection = d3.geoNaturalEarth1().fitSize([width, height], { type: "Sphere" });
  const path = d3.geoPath(projection);
  const max = Math.max(1, ...Object.values(ov.activity));
  const shade = d3.scaleSqrt().domain([0, max]).range([0.12, 1]);
  const svg = d3.select(mapBox).append("svg").attr("viewBox", `0 0 ${width} ${height}`).attr("role", "img").attr("aria-label", "Activity by country");
  svg.selectAll("path.country").data(features).join("path")
    .attr("class", (f) => "country" + (ov.activity[f.iso3] ? " active" : ""))
    .attr("d", path)
    .attr("data-iso3", (f) => f.iso3)
    .attr("data-activity", (f) => ov.activity[f.iso3] || 0)
    .style("fill", (f) => ov.activity[f.iso3] ? d3.interpolateRgb("#fde0c5", "#b3401a")(shade(ov.activity[f.iso3])) : null)
    .on("click", (event, f) => { if (f.iso3) location.hash = "#/actor/" + f.iso3; })
    .append("title").text((f) => ((f.properties && f.properties.name) || "") + ": " + (ov.activity[f.iso3] || 0) + " new fact(s)");
  mapBox.setAttribute("data-ready", String(days));
}

let worldCache = null;
async function world() {
  if (!worldCache) {
    const [topo, iso] = await Promise.all([
      fetch("/static/vendor/world-atlas/countries-110m.json").then((r) => r.json()),
      fetch("/static/vendor/iso_numeric.json").then((r) => r.json())]);
    const features = topojson.feature(topo, topo.objects.countries).features;
    // ids are ISO 3166 numeric codes; a shape without one (Kosovo) is matched by name
    for (const f of features) f.iso3 = iso.numeric_to_alpha3[f.id] || iso.name_to_alpha3[(f.properties || {}).name] || null;
    worldCache = { features };
  }
  return worldCache;
}

async function pageActor(id, params) {
  const at = params.get("at") || today();
  const title = el("h1", { id: "actor-title" }, id);
  const mapBox = el("div", { id: "map", class: "panel" });
  const list = el("div", { id: "relations", class: "panel" });
  const legend = el("div", { class: "legend" }, ...["allied", "strategic_partners", "diplomatic_relations"].map(
    (s) => el("span", {}, el("span", { class: "swatch " + s }), STATE_LABEL[s])), el("span", {}, el("span", { class: "swatch actor" }), "the actor"));
  const links = el("div", { class: "muted" });
  show(title, el("div", { class: "controls" }, dateSlider(at, (d) => { params.set("at", d); setHashParams(params); render(d); })),
    el("div", { class: "split" }, el("div", {}, mapBox, legend, links), list));

  const { features } = await world();
  const width = 960, height = 500;
  const projection = d3.geoNaturalEarth1().fitSize([width, height], { type: "Sphere" });
  const path = d3.geoPath(projection);
  const svg = d3.select(mapBox).append("svg").attr("viewBox", `0 0 ${width} ${height}`).attr("role", "img");
  const paths = svg.selectAll("path.country").data(features).join("path")
    .attr("class", "country").attr("d", path)
    .attr("data-iso3", (f) => f.iso3)
    .attr("data-name", (f) => (f.properties && f.properties.name) || "")
    .on("click", (event, f) => { if (f.iso3) location.hash = "#/actor/" + f.iso3 + "?at=" + (params.get("at") || today()); });
  paths.append("title").text((f) => (f.properties && f.properties.name) || "");

  async function render(day) {
    let ans;
    try { ans = await api("relations", { actor: id, at: day, type: STATES, limit: 500 }); showError(""); }
    catch (e) { showError(e.message); fill(list, el("p", { class: "muted" }, e.message)); return; }
    fill(title, ans.actor.name, " ", el("span", { class: "muted" }, "as of " + ans.at));
    fill(links, "Also: ", el("a", { href: "#/network?at=" + ans.at }, "network"), " · ",
      el("a", { href: "#/conflicts?actor=" + encodeURIComponent(ans.actor.id) }, "conflicts"), " · ",
      el("a", { href: "#/timeline/" + encodeURIComponent(ans.actor.id) }, "timeline"));
    const best = {};
    for (const r of ans.rows) {
      if (!best[r.partner.id] || STATE_RANK[r.state] > STATE_RANK[best[r.partner.id]]) best[r.partner.id] = r.state;
    }
    paths.attr("class", (f) => {
      const a3 = f.iso3;
      let c = "country";
      if (a3 === ans.actor.id) c += " is-actor";
      if (a3 && best[a3]) c += " rel-" + best[a3];
      return c;
    }).attr("data-state", (f) => best[f.iso3] || null);
    const rows = ans.rows.slice().sort((a, b) => STATE_RANK[b.state] - STATE_RANK[a.state] || a.partner.name.localeCompare(b.partner.name));
    fill(list, 
      el("h2", {}, "Relations (" + ans.total + ")"),
      rows.length ? el("ul", { class: "rows", id: "relation-list" }, ...rows.map((r) => el("li", { "data-partner": r.partner.id, "data-state": r.state },
        el("span", { class: "tag " + r.state }, STATE_LABEL[r.state]), actorLink(r.partner),
        el("span", { class: "muted" }, " since " + (r.since ? r.since.value : "unknown") + " · " + r.n_sources + " source(s) · ",
          el("a", { href: "#/timeline/" + encodeURIComponent(ans.actor.id) + "/" + encodeURIComponent(r.partner.id) }, "timeline")),
        evidenceBlock(r.evidence), ...evidenceButton(r.fact))))
        : el("p", { class: "muted", id: "relation-list" }, "No established relation on this date in the store."),
      ans.discussed.length ? el("h2", {}, "Discussed, not established") : null,
      ans.discussed.length ? el("ul", { class: "rows", id: "discussed-list" }, ...ans.discussed.map((r) => el("li", { "data-partner": r.partner.id },
        el("span", { class: "tag " + r.modality }, r.modality), el("span", { class: "tag" }, r.type), actorLink(r.partner),
        evidenceBlock(r.evidence)))) : null);
  }
  await render(at);
}

async function pageNetwork(params) {
  const at = params.get("at") || today();
  const chosen = params.getAll("type").length ? params.getAll("type") : ["allied", "strategic_partners", "diplomatic_relations", "member_of"];
  const boxes = ["allied", "strategic_partners", "diplomatic_relations", "member_of"].map((s) =>
    el("label", {}, el("input", { type: "checkbox", name: "type", value: s, checked: chosen.includes(s) }), " ",
      el("span", { class: "swatch " + s }), STATE_LABEL[s]));
  const info = el("p", { class: "muted", id: "network-info" });
  const box = el("div", { id: "network" });
  const state = { at };
  show(el("h1", {}, "Relations network"),
    el("div", { class: "controls" }, dateSlider(at, (d) => { state.at = d; params.set("at", d); setHashParams(params); draw(); }), ...boxes),
    info, box);
  for (const b of boxes) b.querySelector("input").addEventListener("change", draw);
  const colour = (s) => getComputedStyle(document.documentElement).getPropertyValue("--" + s).trim() || "#888";
  const cy = cytoscape({ container: box,
    style: [
      { selector: "node", style: { label: "data(name)", "font-size": 11, "background-color": "#1f2d3d", width: 18, height: 18, color: "#222" } },
      { selector: "node[kind != 'state']", style: { shape: "round-rectangle", "background-color": "#8e44ad" } },
      { selector: "edge", style: { width: 2.5, "line-color": "data(colour)", "curve-style": "bezier", opacity: 0.85 } }] });
  window.diplograph = Object.assign(window.diplograph || {}, { cy });
  cy.on("tap", "node", (evt) => { location.hash = "#/actor/" + encodeURIComponent(evt.target.id()) + "?at=" + state.at; });
  async function draw() {
    const types = boxes.map((b) => b.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
    let net;
    try { net = types.length ? await api("network", { at: state.at, type: types }) : { nodes: [], edges: [], at: state.at }; showError(""); }
    catch (e) { showError(e.message); return; }
    cy.elements().remove();
    cy.add(net.nodes.map((n) => ({ group: "nodes", data: { id: n.id, name: n.name, kind: n.kind } })));
    cy.add(net.edges.map((e) => ({ group: "edges", data: { id: e.id, source: e.source, target: e.target, state: e.state, colour: colour(e.state) } })));
    cy.layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: 8000 }).run();
    cy.fit(undefined, 30);
    if (cy.zoom() > 2) { cy.zoom(2); cy.center(); }  // a few nodes: do not blow them up
    info.textContent = `${net.nodes.length} actors, ${net.edges.length} relations as of ${net.at}` +
      (net.truncated ? " (the first ones only: filter by type to see others)" : "") + ". Click an actor to open its page.";
    box.setAttribute("data-ready", net.at);
  }
  await draw();
}

async function pageTimeline(a, b, params) {
  const inputA = el("input", { id: "tl-a", value: a || "", placeholder: "Actor, e.g. Israel" });
  const inputB = el("input", { id: "tl-b", value: b || "", placeholder: "Other actor (optional)" });
  const form = el("form", { class: "controls", onsubmit: (e) => { e.preventDefault();
    location.hash = "#/timeline/" + encodeURIComponent(inputA.value) + (inputB.value ? "/" + encodeURIComponent(inputB.value) : ""); } },
  inputA, inputB, el("button", { type: "submit" }, "Show"));
  const axis = el("div", { id: "timeline-axis", class: "panel" });
  const list = el("ul", { class: "rows", id: "timeline-list" });
  show(el("h1", {}, "Timeline"), form, axis, list);
  if (!a) { fill(axis, el("p", { class: "muted" }, "Give one actor (all its facts) or two (the facts between them).")); return; }
  let page;
  try { page = await api("timeline", { actor: a, other: b, limit: 500 }); showError(""); }
  catch (e) { showError(e.message); return; }
  const facts = page.items;
  const dated = facts.filter((f) => f.date);
  const when = (f) => { const v = f.date.value; return new Date(v.length === 4 ? v + "-07-01" : v.length === 7 ? v + "-15" : v); };
  if (dated.length) {
    const width = 1000, height = 90;
    const ext = d3.extent(dated, when);
    const pad = Math.max((ext[1] - ext[0]) * 0.05, 180 * DAY);
    const x = d3.scaleTime().domain([new Date(+ext[0] - pad), new Date(+ext[1] + pad)]).range([20, width - 20]);
    const svg = d3.select(axis).append("svg").attr("viewBox", `0 0 ${width} ${height}`);
    svg.append("g").attr("transform", `translate(0,${height - 25})`).call(d3.axisBottom(x));
    svg.selectAll("circle").data(dated).join("circle")
      .attr("cx", (f) => x(when(f))).attr("cy", (f, i) => 20 + (i % 4) * 10).attr("r", 6)
      .attr("fill", (f) => ({ alliance: "#c0392b", strategic_partnership: "#e67e22", diplomatic_relations: "#3498db" }[f.type] || "#555"))
      .on("click", (event, f) => { const li = document.getElementById("fact-" + f.id); if (li) { li.scrollIntoView({ block: "center" }); li.classList.add("flash"); } })
      .append("title").text((f) => `${f.date.value}: ${f.type}`);
  }
  fill(list, ...facts.map((f) => el("li", { id: "fact-" + f.id, "data-fact": f.id },
    el("strong", {}, dateText(f.date)), " ", el("span", { class: "tag " + f.modality }, f.modality), el("span", { class: "tag" }, f.type + (f.subtype ? ":" + f.subtype : "")),
    actorLink(f.subject), f.object ? [" → ", actorLink(f.object)] : null,
    f.quantity ? el("span", { class: "muted" }, ` ${f.quantity.metric || ""} ${f.quantity.value} ${f.quantity.unit || ""}`) : null,
    evidenceBlock(f.evidence), ...evidenceButton(f.id))));
  if (!facts.length) fill(list, el("li", { class: "muted" }, "No facts between these actors in the store."));
}

async function pageDocuments(params) {
  const offset = +(params.get("offset") || 0);
  let page;
  try { page = await api("documents", { limit: 50, offset }); } catch (e) { showError(e.message); return; }
  show(el("h1", {}, "Documents (" + page.total + ")"),
    el("table", { class: "plain", id: "documents" }, el("tr", {}, el("th", {}, "title / source"), el("th", {}, "published"), el("th", {}, "ingested")),
      ...page.items.map((d) => el("tr", {}, el("td", {}, el("a", { href: "#/doc/" + encodeURIComponent(d.id) }, d.title || d.source)),
        el("td", {}, d.published ? d.published.value : "?"), el("td", {}, (d.ingested_at || "").slice(0, 16))))),
    page.more ? el("a", { href: "#/documents?offset=" + (offset + 50) }, "more…") : null);
}

function highlight(text, claims) {
  // Split the text at every claim boundary; each piece knows the claims covering it.
  const cuts = new Set([0, text.length]);
  for (const c of claims) { cuts.add(Math.max(0, Math.min(text.length, c.evidence_start))); cuts.add(Math.max(0, Math.min(text.length, c.evidence_end))); }
  const points = [...cuts].sort((x, y) => x - y);
  const out = [];
  for (let i = 0; i < points.length - 1; i++) {
    const [s, e] = [points[i], points[i + 1]];
    const piece = text.slice(s, e);
    const over = claims.filter((c) => c.evidence_start <= s && c.evidence_end >= e);
    if (!over.length) { out.push(document.createTextNode(piece)); continue; }
    const c = over[0];
    out.push(el("mark", { class: `claim t-${c.type} m-${c.modality}`, "data-claims": over.map((x) => x.id).join(" "),
      title: over.map((x) => `${x.type} (${x.modality}): ${x.subject ? x.subject.name : "?"}${x.object ? " → " + x.object.name : ""}${x.date ? " · " + x.date.value : ""}`).join("\n") }, piece));
  }
  return out;
}

async function pageDocument(id, params) {
  let doc, claims;
  try { [doc, claims] = await Promise.all([api("documents/" + encodeURIComponent(id)), api("documents/" + encodeURIComponent(id) + "/claims", { limit: 500 })]); showError(""); }
  catch (e) { showError(e.message); show(el("p", { class: "muted" }, e.message)); return; }
  const body = el("div", { class: "doc-text", id: "doc-text" }, ...highlight(doc.text, claims.items));
  show(el("h1", {}, doc.title || doc.source),
    el("p", { class: "muted" }, (doc.published ? "published " + doc.published.value + " · " : "") + "source: " + doc.source,
      safeUrl(doc.url) ? [" · ", el("a", { href: safeUrl(doc.url), rel: "noopener noreferrer nofollow" }, "original")] : null),
    doc.text_from ? el("p", { class: "note", id: "text-from" }, "This text is the " + doc.text_from + ", not the article: " + (doc.text_note || "its page could not be read") + ".") : null,
    el("div", { class: "legend" }, ...["asserted", "negated", "speculative", "planned"].map((m) => el("span", {}, el("mark", { class: "claim m-" + m }, m)))),
    el("p", { class: "muted" }, claims.items.length + " claim(s) highlighted; hover a sentence for its claims."),
    body,
    el("h2", {}, "Claims"),
    el("ul", { class: "rows", id: "claim-list" }, ...claims.items.map((c) => el("li", {},
      el("span", { class: "tag " + c.modality }, c.modality), el("span", { class: "tag" }, c.type), actorLink(c.subject),
      c.object ? [" → ", actorLink(c.object)] : null, " ", el("span", { class: "muted" }, c.date ? c.date.value : "")))));
  const at = params.get("at");
  if (at !== null) {
    const mark = [...body.querySelectorAll("mark")].find((m) => {
      let off = 0; for (let n = body.firstChild; n && n !== m; n = n.nextSibling) off += n.textContent.length; return off >= +at;
    });
    if (mark) { mark.scrollIntoView({ block: "center" }); mark.classList.add("flash"); }
  }
}

async function pageConflicts(params) {
  let page;
  try { page = await api("conflicts", { actor: params.get("actor"), limit: 500 }); showError(""); } catch (e) { showError(e.message); return; }
  show(el("h1", {}, "Conflicts between sources (" + page.items.length + (page.more ? "+" : "") + ")"),
    el("ul", { class: "rows", id: "conflict-list" }, ...page.items.map((c) => el("li", {},
      el("span", { class: "tag" }, c.kind), el("strong", {}, c.reason),
      el("ul", {}, ...c.facts.map((f) => el("li", {}, dateText(f.date), " ", el("span", { class: "tag " + f.modality }, f.modality), f.type, " ",
        actorLink(f.subject), f.object ? [" → ", actorLink(f.object)] : null, evidenceBlock(f.evidence))))))));
  if (!page.items.length) view().append(el("p", { class: "muted" }, "No contradictions found."));
}

function pageIngest() {
  const token = el("input", { type: "password", id: "ingest-token", value: sessionStorage.getItem("diplograph-token") || "", autocomplete: "off" });
  const title = el("input", { id: "ingest-title" }), url = el("input", { id: "ingest-url", type: "url" });
  const published = el("input", { id: "ingest-published", placeholder: "YYYY-MM-DD" });
  const text = el("textarea", { id: "ingest-text", placeholder: "Paste the article text (or HTML)…" });
  const file = el("input", { type: "file", id: "ingest-file" });
  const result = el("div", { id: "ingest-result", role: "status" });
  const form = el("form", { class: "stack", onsubmit: async (e) => {
    e.preventDefault();
    sessionStorage.setItem("diplograph-token", token.value);
    const headers = { Authorization: "Bearer " + token.value };
    let body;
    if (file.files.length) { body = new FormData(); body.append("file", file.files[0]); }
    else {
      headers["Content-Type"] = "application/json";
      const raw = text.value;
      body = JSON.stringify({ [/^\s*</.test(raw) ? "html" : "text"]: raw, title: title.value || null, url: url.value || null, published: published.value || null });
    }
    result.textContent = "Ingesting…";
    const r = await fetch("/api/documents", { method: "POST", headers, body });
    const out = await r.json().catch(() => ({ error: r.statusText }));
    if (!r.ok) { fill(result, el("p", { class: "error" }, `Error ${r.status}: ${out.error}`)); return; }
    fill(result, el("p", {}, `${out.ingested.length} ingested, ${out.duplicates.length} already stored, ${out.claims} claim(s).`),
      ...out.ingested.map((d) => el("p", {}, el("a", { href: "#/doc/" + encodeURIComponent(d.id) }, d.title || d.id))));
  } },
  el("label", {}, "Operator token ", token), el("label", {}, "Title ", title), el("label", {}, "URL ", url),
  el("label", {}, "Published ", published), text, el("label", {}, "…or upload a file ", file), el("button", { type: "submit" }, "Ingest"), result);
  show(el("h1", {}, "Ingest an article"), el("p", { class: "muted" }, "For operators holding the server's token. The token stays in this tab only."), form);
}

// -- routing -------------------------------------------------------------------------------

async function route() {
  showError("");
  const { parts, params } = parseHash();
  const [page, a, b] = parts;
  try {
    if (!page || page === "overview") await pageOverview(params);
    else if (page === "search") await pageSearch(params);
    else if (page === "actor" && a) await pageActor(a, params);
    else if (page === "network") await pageNetwork(params);
    else if (page === "timeline") await pageTimeline(a, b, params);
    else if (page === "documents") await pageDocuments(params);
    else if (page === "doc" && a) await pageDocument(a, params);
    else if (page === "conflicts") await pageConflicts(params);
    else if (page === "ingest") pageIngest();
    else show(el("p", {}, "No such page. "), el("a", { href: "#/" }, "Overview"), " · ", el("a", { href: "#/search" }, "Search"));
  } catch (e) { showError(e.message); }
  document.body.setAttribute("data-page", page || "overview");
}

document.getElementById("quick-search").addEventListener("submit", (e) => {
  e.preventDefault();
  location.hash = "#/search?q=" + encodeURIComponent(document.getElementById("quick-q").value);
});
window.addEventListener("hashchange", route);
route();
