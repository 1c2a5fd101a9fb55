/**
 * The pages' one script, served at /_zarrflask/page.js: copy buttons, and the quick-look
 * controls (a slider and a number per leading dimension) that fetch the picture for the
 * chosen indices. Plain ES2020 for any current browser; it talks only to this server.
 */
export const PAGE_JS = `"use strict";
(() => {
  document.addEventListener("click", (ev) => {
    const button = ev.target.closest && ev.target.closest("button[data-copy]");
    if (!button) return;
    const text = button.dataset.copy;
    const done = () => {
      button.textContent = "copied";
      setTimeout(() => (button.textContent = "copy"), 1500);
    };
    const fallback = () => {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
      done();
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else fallback();
  });

  const look = document.getElementById("look");
  if (!look) return;
  const api = look.dataset.api;
  const dims = JSON.parse(look.dataset.dims);
  const shape = JSON.parse(look.dataset.shape);
  const lead = shape.length >= 2 ? shape.length - 2 : 0;
  const at = new Array(lead).fill(0);
  const img = look.querySelector("img");
  const svg = look.querySelector("svg.line");
  const status = look.querySelector(".status");
  const legend = look.querySelector(".legend");
  const axes = look.querySelector(".axes");
  const labels = [];
  const controls = look.querySelector(".controls");
  let timer = 0;
  let seq = 0;

  for (let d = 0; d < lead; d++) {
    const row = document.createElement("div");
    row.className = "dim-control";
    const name = document.createElement("span");
    name.className = "dim-name";
    name.textContent = dims[d] + " (" + shape[d] + ")";
    const range = document.createElement("input");
    range.type = "range";
    const num = document.createElement("input");
    num.type = "number";
    for (const input of [range, num]) {
      input.min = "0";
      input.max = String(shape[d] - 1);
      input.value = "0";
      input.setAttribute("aria-label", dims[d] + " index");
      input.dataset.dim = String(d);
    }
    const label = document.createElement("span");
    label.className = "dim-label";
    range.addEventListener("input", () => {
      num.value = range.value;
      choose(d, range.value);
    });
    num.addEventListener("change", () => {
      const v = Math.min(shape[d] - 1, Math.max(0, Math.trunc(Number(num.value) || 0)));
      num.value = range.value = String(v);
      choose(d, v);
    });
    labels.push(label);
    row.append(name, range, num, label);
    controls.append(row);
  }

  function choose(d, v) {
    at[d] = Number(v);
    clearTimeout(timer);
    timer = setTimeout(load, 100);
  }

  function text(el, s) {
    el.textContent = s;
  }

  function drawLine(j) {
    const n = j.line.high.length;
    const lo = j.min, hi = j.max;
    const span = hi > lo ? hi - lo : 1;
    const h = 200;
    const y = (v) => (h - ((v - lo) / span) * h).toFixed(2);
    const pts = (vals) => vals.map((v, i) => v === null ? null : i + "," + y(v))
      .filter((p) => p !== null).join(" ");
    svg.setAttribute("viewBox", "0 0 " + Math.max(1, n - 1) + " " + h);
    svg.setAttribute("preserveAspectRatio", "none");
    const ns = "http://www.w3.org/2000/svg";
    svg.replaceChildren();
    for (const vals of j.line.bucket > 1 ? [j.line.low, j.line.high] : [j.line.high]) {
      const line = document.createElementNS(ns, "polyline");
      line.setAttribute("points", pts(vals));
      line.setAttribute("vector-effect", "non-scaling-stroke");
      svg.append(line);
    }
    svg.hidden = false;
    img.hidden = true;
    text(axes, j.line.dim + (j.line.bucket > 1 ? " (min and max of every " + j.line.bucket +
      " values)" : ""));
    look.dataset.state = "drawn";
  }

  async function load() {
    const mine = ++seq;
    text(status, "loading…");
    look.dataset.state = "loading";
    let res;
    try {
      res = await fetch(api + "?at=" + at.join(","));
    } catch (e) {
      text(status, "could not reach the server: " + e.message);
      return;
    }
    if (mine !== seq) return;
    if (!res.ok) {
      text(status, (await res.text()).trim());
      look.dataset.state = "error";
      return;
    }
    const j = await res.json();
    if (mine !== seq) return;
    j.leading.forEach((l, i) => text(labels[i], l.label));
    const done = "read " + j.read.chunks + " chunk(s) in " + j.read.ms + " ms" +
      (j.masked ? "; " + j.masked + " masked" : "");
    legend.hidden = j.min === null;
    text(legend.querySelector(".min"), j.minLabel);
    text(legend.querySelector(".max"), j.maxLabel);
    if (j.kind === "field") {
      const f = j.field;
      text(axes, f.y.dim + ": " + f.y.top + " (top) to " + f.y.bottom + " (bottom); " + f.x.dim +
        ": " + f.x.left + " (left) to " + f.x.right + " (right)" +
        (f.stride > 1 ? "; every " + f.stride + "th element" : ""));
      img.onload = () => {
        if (mine !== seq) return;
        svg.hidden = true;
        img.hidden = false;
        text(status, done);
        look.dataset.at = at.join(",");
        look.dataset.state = "drawn";
      };
      img.onerror = () => text(status, "the picture did not load");
      img.width = f.width;
      img.height = f.height;
      img.src = f.png;
    } else if (j.kind === "line") {
      drawLine(j);
      text(status, done);
    } else {
      text(axes, "");
      text(status, "value: " + j.value);
      look.dataset.state = "drawn";
    }
  }
  load();
})();
`;
