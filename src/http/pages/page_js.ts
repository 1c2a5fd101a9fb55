/**
 * The pages' one script, served at /_zarrflask/page.js: copy buttons, and the quick-look
 * controls (a slider and a number per leading dimension) that fetch the picture for the
 * chosen indices. With a pyramid (data-levels) the picture zooms: it starts at the level that
 * fits the frame, and a click or the wheel zooms, a drag pans, each asking the level that fits
 * for the window in view only. Plain ES2020 for any current browser; it talks only to this server.
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
  // Zoom: the view as fractions [top, bottom, left, right] of the whole field (row 0 at top).
  const levels = look.dataset.levels ? JSON.parse(look.dataset.levels) : null;
  const frame = look.querySelector(".frame");
  let view = [0, 1, 0, 1];
  let shown = null; // what the picture shows: { level, window, flipped }

  function levelFor(v) {
    const want = Math.max(256, Math.min(frame.clientWidth || 720, 1024));
    let k = levels.length - 1;
    while (k > 0 && (v[3] - v[2]) * levels[k][1] < want && (v[1] - v[0]) * levels[k][0] < want) k--;
    return k;
  }

  function windowAt(k, v) {
    const [h, w] = levels[k];
    const y0 = Math.min(h - 1, Math.floor(v[0] * h)), x0 = Math.min(w - 1, Math.floor(v[2] * w));
    return [y0, Math.max(y0 + 1, Math.ceil(v[1] * h)), x0, Math.max(x0 + 1, Math.ceil(v[3] * w))];
  }

  function lookUrl() {
    if (!levels) return api + "?at=" + at.join(",");
    const k = levelFor(view);
    return look.dataset.pyramid + "/" + k + "/" + look.dataset.var + "?at=" + at.join(",") +
      "&win=" + windowAt(k, view).join(",");
  }

  /** The field fractions [row, column] under a pointer event on the picture. */
  function fractionAt(ev) {
    const r = img.getBoundingClientRect();
    const [k, win, flipped] = [shown.level, shown.window, shown.flipped];
    const fx = (ev.clientX - r.left) / r.width, fy0 = (ev.clientY - r.top) / r.height;
    const fy = flipped ? 1 - fy0 : fy0;
    const [h, w] = levels[k];
    return [(win[0] + fy * (win[1] - win[0])) / h, (win[2] + fx * (win[3] - win[2])) / w];
  }

  function setView(top, left, height, width) {
    const [h0, w0] = levels[0];
    height = Math.min(1, Math.max(height, Math.min(1, 4 / h0))); // down to 4 cells
    width = Math.min(1, Math.max(width, Math.min(1, 4 / w0)));
    top = Math.min(1 - height, Math.max(0, top));
    left = Math.min(1 - width, Math.max(0, left));
    view = [top, top + height, left, left + width];
    clearTimeout(timer);
    timer = setTimeout(load, 60);
  }

  function zoom(ev, factor) {
    if (!shown) return;
    const [cy, cx] = fractionAt(ev);
    const [h, w] = [(view[1] - view[0]) / factor, (view[3] - view[2]) / factor];
    // The point under the pointer stays under it.
    setView(cy - (cy - view[0]) / factor, cx - (cx - view[2]) / factor, h, w);
  }

  if (levels) {
    img.classList.add("zoom");
    let drag = null;
    img.addEventListener("pointerdown", (ev) => {
      drag = { x: ev.clientX, y: ev.clientY, moved: false };
      ev.preventDefault();
    });
    img.addEventListener("pointermove", (ev) => {
      if (drag && Math.abs(ev.clientX - drag.x) + Math.abs(ev.clientY - drag.y) > 4) drag.moved = true;
    });
    img.addEventListener("pointerup", (ev) => {
      if (!drag || !shown) return;
      const r = img.getBoundingClientRect();
      if (drag.moved) {
        const dy = (ev.clientY - drag.y) / r.height * (view[1] - view[0]);
        const dx = (ev.clientX - drag.x) / r.width * (view[3] - view[2]);
        setView(view[0] + (shown.flipped ? dy : -dy), view[2] - dx, view[1] - view[0],
          view[3] - view[2]);
      } else zoom(ev, ev.shiftKey ? 0.5 : 2);
      drag = null;
    });
    img.addEventListener("wheel", (ev) => {
      ev.preventDefault();
      zoom(ev, ev.deltaY < 0 ? 1.5 : 1 / 1.5);
    }, { passive: false });
    const whole = document.createElement("button");
    whole.type = "button";
    whole.className = "whole";
    whole.textContent = "whole field";
    whole.addEventListener("click", () => setView(0, 0, 1, 1));
    controls.append(whole);
  }

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
      res = await fetch(lookUrl());
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
      const level = levels ? Number(new URL(f.png, location.href).pathname.split("/")
        .slice(-2, -1)[0]) : 0;
      text(axes, f.y.dim + ": " + f.y.top + " (top) to " + f.y.bottom + " (bottom); " + f.x.dim +
        ": " + f.x.left + " (left) to " + f.x.right + " (right)" +
        (f.stride > 1 ? "; every " + f.stride + "th element" : "") +
        (levels ? "; level " + level + " of " + (levels.length - 1) + " (each cell the mean of " +
          Math.pow(4, level) + " cells); click or wheel to zoom, drag to pan" : ""));
      img.onload = () => {
        if (mine !== seq) return;
        svg.hidden = true;
        img.hidden = false;
        text(status, done);
        look.dataset.at = at.join(",");
        if (levels) {
          shown = { level, window: f.window, flipped: f.flipped };
          look.dataset.level = String(level);
          look.dataset.win = f.window.join(",");
        }
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
