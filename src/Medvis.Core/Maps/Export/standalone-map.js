// The viewer of a map exported as one HTML file: no server, no network. Reads the JSON block #map-data, draws the
// points on a canvas (zoom with the wheel, pan by dragging, double-click to reset), shows a point's thumbnail and
// values on hover or tap, and toggles classes (or a metadata column's groups) from the legend.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const decode = (b64, Type) => {
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    return new Type(bytes.buffer);
  };
  const n = data.count;
  const xs = decode(data.x, Float32Array), ys = decode(data.y, Float32Array), labels = decode(data.labels, Int32Array);
  const palette = data.palette;
  const colourings = [{ name: "class", groups: labels, groupNames: data.classNames }].concat(data.colourings.map(c => ({
    name: c.name,
    groups: c.groups ? decode(c.groups, Int32Array) : null,
    groupNames: c.groupNames,
    values: c.values ? decode(c.values, Float64Array) : null,
  })));
  const canvas = document.getElementById("map");
  const ctx = canvas.getContext("2d");
  const hover = document.getElementById("hover");
  const legend = document.getElementById("legend");
  const visibleCount = document.getElementById("visible-count");
  const colourSelect = document.getElementById("colour-by");
  let atlas = null;
  if (data.atlas) { atlas = new Image(); atlas.src = "data:image/jpeg;base64," + data.atlas.jpeg; }

  let colouring = colourings[0];
  let hidden = new Set();
  let view = null; // data → screen: sx = (x - cx) * scale + w/2
  let screenX = new Float32Array(n), screenY = new Float32Array(n);
  let grid = null;

  function extent() {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < n; i++) { x0 = Math.min(x0, xs[i]); x1 = Math.max(x1, xs[i]); y0 = Math.min(y0, ys[i]); y1 = Math.max(y1, ys[i]); }
    return { x0, x1, y0, y1 };
  }
  function resetView() {
    const e = extent(), w = canvas.clientWidth, h = canvas.clientHeight;
    const scale = 0.92 * Math.min(w / Math.max(e.x1 - e.x0, 1e-9), h / Math.max(e.y1 - e.y0, 1e-9));
    view = { cx: (e.x0 + e.x1) / 2, cy: (e.y0 + e.y1) / 2, scale };
  }
  function viridis(t) {
    const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
    t = Math.min(1, Math.max(0, t)) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(t)), f = t - i;
    return "rgb(" + stops[i].map((v, k) => Math.round(v + f * (stops[i + 1][k] - v))).join(",") + ")";
  }
  function isVisible(i) { return colouring.groups ? !hidden.has(colouring.groups[i]) : true; }
  function colourOf(i, range) {
    if (colouring.groups) return palette[colouring.groups[i] % palette.length];
    const v = colouring.values[i];
    return Number.isNaN(v) ? "#bbbbbb" : viridis((v - range.min) / Math.max(range.max - range.min, 1e-12));
  }
  function valueRange() {
    if (!colouring.values) return null;
    let min = Infinity, max = -Infinity;
    for (const v of colouring.values) if (!Number.isNaN(v)) { min = Math.min(min, v); max = Math.max(max, v); }
    return { min, max };
  }

  function draw() {
    const dpr = window.devicePixelRatio || 1, w = canvas.clientWidth, h = canvas.clientHeight;
    canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const radius = n > 50000 ? 1.2 : n > 5000 ? 2 : 3.5;
    const range = valueRange();
    let shown = 0;
    const cell = 8, cols = Math.ceil(w / cell) + 1, rows = Math.ceil(h / cell) + 1;
    grid = { cell, cols, rows, buckets: new Map() };
    for (let i = 0; i < n; i++) {
      const sx = (xs[i] - view.cx) * view.scale + w / 2, sy = h / 2 - (ys[i] - view.cy) * view.scale;
      screenX[i] = sx; screenY[i] = sy;
      if (!isVisible(i)) continue;
      shown++;
      if (sx < -radius || sy < -radius || sx > w + radius || sy > h + radius) continue;
      ctx.fillStyle = colourOf(i, range);
      ctx.beginPath(); ctx.arc(sx, sy, radius, 0, 2 * Math.PI); ctx.fill();
      const key = Math.floor(sx / cell) * rows + Math.floor(sy / cell);
      const bucket = grid.buckets.get(key);
      if (bucket) bucket.push(i); else grid.buckets.set(key, [i]);
    }
    visibleCount.textContent = shown.toLocaleString("en") + " of " + n.toLocaleString("en") + " points shown";
    visibleCount.dataset.shown = String(shown);
  }

  function nearest(px, py, maxDistance) {
    let best = -1, bestD = maxDistance * maxDistance;
    const c0 = Math.floor((px - maxDistance) / grid.cell), c1 = Math.floor((px + maxDistance) / grid.cell);
    const r0 = Math.floor((py - maxDistance) / grid.cell), r1 = Math.floor((py + maxDistance) / grid.cell);
    for (let c = c0; c <= c1; c++) for (let r = r0; r <= r1; r++) {
      const bucket = grid.buckets.get(c * grid.rows + r);
      if (!bucket) continue;
      for (const i of bucket) {
        const d = (screenX[i] - px) ** 2 + (screenY[i] - py) ** 2;
        if (d <= bestD) { bestD = d; best = i; }
      }
    }
    return best;
  }

  function showHover(i, px, py) {
    if (i < 0) { hover.hidden = true; hover.dataset.point = ""; return; }
    hover.replaceChildren();
    if (atlas) {
      const thumb = document.createElement("canvas");
      const t = data.atlas.tile, size = 96;
      thumb.width = size; thumb.height = size; thumb.dataset.testid = "hover-thumb";
      const tctx = thumb.getContext("2d");
      tctx.imageSmoothingEnabled = t < size / 2 ? false : true;
      tctx.drawImage(atlas, (i % data.atlas.columns) * t, Math.floor(i / data.atlas.columns) * t, t, t, 0, 0, size, size);
      hover.appendChild(thumb);
    }
    const lines = [[data.pointNames ? data.pointNames[i] : "point " + i, ""], ["class", data.classNames[labels[i]]]];
    if (colouring.name !== "class") lines.push([colouring.name, colouring.groups ? colouring.groupNames[colouring.groups[i]] : String(colouring.values[i])]);
    for (const column of data.hoverColumns) if (column.texts[i] !== "") lines.push([column.name, column.texts[i]]);
    for (const [name, value] of lines) {
      const row = document.createElement("div");
      if (value === "") { row.className = "title"; row.textContent = name; }
      else { const b = document.createElement("b"); b.textContent = name + ": "; row.append(b, value); }
      hover.appendChild(row);
    }
    hover.hidden = false; hover.dataset.point = String(i);
    const box = canvas.getBoundingClientRect();
    hover.style.left = Math.min(px + 14, box.width - 230) + "px";
    hover.style.top = Math.min(py + 14, Math.max(0, box.height - hover.offsetHeight - 4)) + "px";
  }

  function buildLegend() {
    legend.replaceChildren();
    const range = valueRange();
    if (colouring.values) {
      const bar = document.createElement("div");
      bar.className = "colour-bar";
      bar.style.background = "linear-gradient(to right," + [0, 0.25, 0.5, 0.75, 1].map(viridis).join(",") + ")";
      const ends = document.createElement("div");
      ends.className = "bar-ends";
      ends.textContent = range.min.toPrecision(4) + " … " + range.max.toPrecision(4);
      legend.append(bar, ends);
      return;
    }
    const counts = new Array(colouring.groupNames.length).fill(0);
    for (let i = 0; i < n; i++) counts[colouring.groups[i]]++;
    colouring.groupNames.forEach((name, g) => {
      if (counts[g] === 0) return;
      const item = document.createElement("button");
      item.type = "button"; item.className = "legend-item" + (hidden.has(g) ? " off" : "");
      item.dataset.testid = "legend-item"; item.dataset.group = String(g);
      item.title = "Click to hide or show; double-click to show only this one";
      const swatch = document.createElement("span");
      swatch.className = "swatch"; swatch.style.background = palette[g % palette.length];
      item.append(swatch, name + " (" + counts[g].toLocaleString("en") + ")");
      item.addEventListener("click", () => { if (hidden.has(g)) hidden.delete(g); else hidden.add(g); buildLegend(); draw(); });
      item.addEventListener("dblclick", () => {
        hidden = new Set(colouring.groupNames.map((_, k) => k).filter(k => k !== g)); buildLegend(); draw();
      });
      legend.appendChild(item);
    });
  }

  colourings.forEach((c, k) => { const o = document.createElement("option"); o.value = String(k); o.textContent = c.name; colourSelect.appendChild(o); });
  colourSelect.addEventListener("change", () => { colouring = colourings[+colourSelect.value]; hidden = new Set(); buildLegend(); draw(); });

  let drag = null;
  canvas.addEventListener("pointerdown", e => { drag = { x: e.offsetX, y: e.offsetY, cx: view.cx, cy: view.cy, moved: false }; canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener("pointermove", e => {
    if (drag && (Math.abs(e.offsetX - drag.x) + Math.abs(e.offsetY - drag.y) > 3)) {
      drag.moved = true;
      view.cx = drag.cx - (e.offsetX - drag.x) / view.scale; view.cy = drag.cy + (e.offsetY - drag.y) / view.scale;
      hover.hidden = true; draw(); return;
    }
    if (!drag && e.pointerType === "mouse") showHover(nearest(e.offsetX, e.offsetY, 10), e.offsetX, e.offsetY);
  });
  canvas.addEventListener("pointerup", e => {
    // A tap (touch) or a click without dragging shows what hover shows.
    if (drag && !drag.moved) showHover(nearest(e.offsetX, e.offsetY, e.pointerType === "mouse" ? 10 : 24), e.offsetX, e.offsetY);
    drag = null;
  });
  canvas.addEventListener("pointerleave", e => { if (e.pointerType === "mouse") hover.hidden = true; });
  canvas.addEventListener("wheel", e => {
    e.preventDefault();
    const factor = Math.exp(-e.deltaY * 0.0015), w = canvas.clientWidth, h = canvas.clientHeight;
    const dx = (e.offsetX - w / 2) / view.scale, dy = (h / 2 - e.offsetY) / view.scale;
    view.cx += dx - dx / factor; view.cy += dy - dy / factor; view.scale *= factor;
    hover.hidden = true; draw();
  }, { passive: false });
  canvas.addEventListener("dblclick", () => { resetView(); draw(); });
  document.getElementById("reset-view").addEventListener("click", () => { resetView(); draw(); });
  window.addEventListener("resize", () => draw());

  resetView();
  buildLegend();
  draw();
  // For tests and scripts: where point i is on the page, and whether it is shown.
  window.medvisMap = {
    count: n,
    pageXY: i => { const box = canvas.getBoundingClientRect(); return [box.left + screenX[i], box.top + screenY[i]]; },
    isVisible,
    thumbnailsLoaded: () => !!atlas && atlas.complete && atlas.naturalWidth > 0,
  };
})();
