// The WebGL view of large maps (Medvis.Web/Components/Shared/LargeMapCanvas). The points arrive once as binary
// columns (api/runs/{id}/points.bin: float32 x, float32 y, uint8 or int32 labels) and live on the GPU; hover and
// lasso go to the server's spatial index through the component (only a position or a polygon travels), so no
// per-point object ever crosses the Blazor circuit.
//
// Drawing: every point is a sprite added into an offscreen accumulation texture (colour sum and count per pixel);
// a second pass shades each pixel by its class colour mix and by density on a log scale. Zoomed out, where
// thousands of points share a pixel, that shows density; zoomed in, where points are apart, each shows in full colour.
// Without a GPU (a software WebGL such as SwiftShader, as in headless Chromium) rasterising a million sprites takes
// seconds, so there the sums are added up in JavaScript (tens of milliseconds) and only the shading runs in WebGL.

const POINTS_VS = `#version 300 es
layout(location = 0) in float x;
layout(location = 1) in float y;
layout(location = 2) in uint label;
layout(location = 3) in uint selected;
uniform vec2 center;
uniform int hasSelection;
uniform vec2 scale;      // clip units per data unit
uniform float pointSize;
uniform sampler2D palette; // one texel per class; alpha 0 hides the class
flat out vec4 color;
void main() {
    color = texelFetch(palette, ivec2(int(label), 0), 0);
    // Outside a lasso: grey and a quarter of the weight, context behind the selection.
    if (hasSelection == 1 && selected == 0u) color = vec4(0.78, 0.78, 0.78, color.a > 0.0 ? 0.25 : 0.0);
    gl_Position = vec4((vec2(x, y) - center) * scale, 0.0, 1.0);
    gl_PointSize = color.a > 0.0 ? pointSize : 0.0;
}`;

const POINTS_FS = `#version 300 es
precision highp float;
flat in vec4 color;
out vec4 sum;
void main() {
    vec2 d = gl_PointCoord - 0.5;
    if (dot(d, d) > 0.25) discard;
    sum = vec4(color.rgb, 1.0) * color.a;
}`;

const SHADE_VS = `#version 300 es
const vec2 corners[3] = vec2[3](vec2(-1.0, -1.0), vec2(3.0, -1.0), vec2(-1.0, 3.0));
void main() { gl_Position = vec4(corners[gl_VertexID], 0.0, 1.0); }`;

const SHADE_FS = `#version 300 es
precision highp float;
uniform sampler2D sums;
uniform float maxCount;
uniform int densityRamp; // 0: class colours shaded by density; 1: density on a colour ramp
out vec4 outColor;
vec3 ramp(float t) { // viridis, five stops
    vec3 c0 = vec3(0.267, 0.005, 0.329), c1 = vec3(0.231, 0.322, 0.545), c2 = vec3(0.129, 0.569, 0.549),
         c3 = vec3(0.369, 0.788, 0.384), c4 = vec3(0.993, 0.906, 0.144);
    t = clamp(t, 0.0, 1.0) * 4.0;
    if (t < 1.0) return mix(c0, c1, t);
    if (t < 2.0) return mix(c1, c2, t - 1.0);
    if (t < 3.0) return mix(c2, c3, t - 2.0);
    return mix(c3, c4, t - 3.0);
}
void main() {
    vec4 s = texelFetch(sums, ivec2(gl_FragCoord.xy), 0);
    if (s.a < 0.01) { outColor = vec4(1.0); return; }
    float density = clamp(log(1.0 + s.a) / log(1.0 + maxCount), 0.0, 1.0);
    if (densityRamp == 1) { outColor = vec4(ramp(density), 1.0); return; }
    vec3 mean = s.rgb / s.a;
    outColor = vec4(mix(vec3(1.0), mean, 0.3 + 0.7 * density), 1.0);
}`;

function compile(gl, vs, fs) {
    const program = gl.createProgram();
    for (const [type, source] of [[gl.VERTEX_SHADER, vs], [gl.FRAGMENT_SHADER, fs]]) {
        const shader = gl.createShader(type);
        gl.shaderSource(shader, source);
        gl.compileShader(shader);
        if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(shader));
        gl.attachShader(program, shader);
    }
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(program));
    return program;
}

function parseColumns(buffer) {
    const header = new DataView(buffer, 0, 16);
    const magic = String.fromCharCode(...new Uint8Array(buffer, 0, 4));
    if (magic !== "MVP1") throw new Error("not a Medvis point file");
    const n = header.getInt32(4, true), labelBytes = header.getInt32(8, true), classes = header.getInt32(12, true);
    const x = new Float32Array(buffer, 16, n);
    const y = new Float32Array(buffer, 16 + 4 * n, n);
    const labels = labelBytes === 1 ? new Uint8Array(buffer, 16 + 8 * n, n) : new Uint32Array(buffer, 16 + 8 * n, n);
    return { n, x, y, labels, labelBytes, classes };
}

// The overlay's ramp: viridis (as the small maps' Plotly colour scale and the page's legend), 0 dark purple, 1 yellow.
function valueColour(t) {
    const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
    const at = Math.min(0.9999, Math.max(0, t)) * (stops.length - 1), i = Math.floor(at), f = at - i;
    return stops[i].map((c, k) => Math.round(c + (stops[i + 1][k] - c) * f));
}

function hexToRgb(hex) {
    const v = parseInt(hex.replace("#", ""), 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

// A coarse histogram of the whole map: how many points the densest region holds per data unit², so the shading
// can put its log scale's top at the densest pixel of any view without reading the GPU's texture back.
function peakDensity(points, bounds) {
    const bins = 256, counts = new Uint32Array(bins * bins);
    const w = (bounds.maxX - bounds.minX) || 1, h = (bounds.maxY - bounds.minY) || 1;
    let peak = 0;
    for (let i = 0; i < points.n; i++) {
        const bx = Math.min(bins - 1, ((points.x[i] - bounds.minX) / w * bins) | 0);
        const by = Math.min(bins - 1, ((points.y[i] - bounds.minY) / h * bins) | 0);
        const c = ++counts[by * bins + bx];
        if (c > peak) peak = c;
    }
    return peak / ((w / bins) * (h / bins));
}

class LargeMap {
    constructor(host, component, options) {
        this.host = host;
        this.component = component;
        this.options = options;
        this.mode = "lasso";
        this.densityRamp = 0;
        this.hidden = new Set();
        this.lasso = null;      // polygon in data units, kept drawn after a lasso
        this.selected = null;   // per point 1 inside the lasso, 0 outside; null without a lasso
        this.hovered = null;    // {x, y} of the hovered point
        this.hoverPending = null;
        this.hoverBusy = false;
        this.frame = 0;
        this.canvas = document.createElement("canvas");
        this.overlay = document.createElement("canvas");
        for (const c of [this.canvas, this.overlay]) {
            c.style.position = "absolute";
            c.style.inset = "0";
            c.style.width = "100%";
            c.style.height = "100%";
            host.appendChild(c);
        }
        this.overlay.style.cursor = "crosshair";
        this.overlay.dataset.testid = "large-map-surface";
        // The view hangs on its element (not on window), for the browser tests' coordinate conversions.
        host.medvisMap = this;
        const gl = this.canvas.getContext("webgl2", { antialias: false, preserveDrawingBuffer: true });
        if (!gl) throw new Error("this browser has no WebGL2");
        this.gl = gl;
        this.floatTarget = !!gl.getExtension("EXT_color_buffer_float");
        const info = gl.getExtension("WEBGL_debug_renderer_info");
        const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
        this.cpuSums = options.accumulation === "cpu" || (options.accumulation !== "gpu" && /swiftshader|llvmpipe|software/i.test(renderer));
        host.dataset.accumulation = this.cpuSums ? "cpu" : "gpu";
        this.pointsProgram = compile(gl, POINTS_VS, POINTS_FS);
        this.shadeProgram = compile(gl, SHADE_VS, SHADE_FS);
        this.resizeObserver = new ResizeObserver(() => this.resize());
        this.resizeObserver.observe(host);
        this.listen();
    }

    async load(url) {
        // Where the time to the first picture goes, on the element for whoever measures it.
        this.host.dataset.fetchStartMs = Math.round(performance.now()).toString();
        // The same request as the page's preload link (cors mode, same-origin credentials), so it is served from it.
        const response = await fetch(url, { mode: "cors", credentials: "same-origin" });
        if (!response.ok) throw new Error(`points: HTTP ${response.status}`);
        const points = parseColumns(await response.arrayBuffer());
        this.host.dataset.fetchedMs = Math.round(performance.now()).toString();
        this.points = points;
        let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        for (let i = 0; i < points.n; i++) {
            const px = points.x[i], py = points.y[i];
            if (px < minX) minX = px; if (px > maxX) maxX = px;
            if (py < minY) minY = py; if (py > maxY) maxY = py;
        }
        if (points.n === 0) { minX = minY = 0; maxX = maxY = 1; }
        this.bounds = { minX, minY, maxX, maxY };
        this.peak = peakDensity(points, this.bounds);
        const gl = this.gl;
        this.vao = gl.createVertexArray();
        gl.bindVertexArray(this.vao);
        const upload = (location, array, setup) => {
            const buffer = gl.createBuffer();
            gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
            gl.bufferData(gl.ARRAY_BUFFER, array, gl.STATIC_DRAW);
            gl.enableVertexAttribArray(location);
            setup(location);
        };
        upload(0, points.x, l => gl.vertexAttribPointer(l, 1, gl.FLOAT, false, 0, 0));
        upload(1, points.y, l => gl.vertexAttribPointer(l, 1, gl.FLOAT, false, 0, 0));
        upload(2, points.labels, l => gl.vertexAttribIPointer(l, 1, points.labelBytes === 1 ? gl.UNSIGNED_BYTE : gl.UNSIGNED_INT, 0, 0));
        this.labelBuffer = gl.getVertexAttrib(2, gl.VERTEX_ATTRIB_ARRAY_BUFFER_BINDING);
        this.colourBy = points.labels; // what picks each point's palette entry: its class, or its value under an overlay
        this.selectionBuffer = gl.createBuffer();
        gl.bindBuffer(gl.ARRAY_BUFFER, this.selectionBuffer);
        gl.bufferData(gl.ARRAY_BUFFER, points.n, gl.DYNAMIC_DRAW);
        gl.enableVertexAttribArray(3);
        gl.vertexAttribIPointer(3, 1, gl.UNSIGNED_BYTE, 0, 0);
        gl.bindVertexArray(null);
        this.host.dataset.uploadedMs = Math.round(performance.now()).toString();
        this.paletteTexture = gl.createTexture();
        this.updatePalette();
        this.resize();
        this.reset();
        this.drawNow();
        // Reading one pixel waits for the GPU: the picture is on screen when this returns.
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
        this.host.dataset.firstPictureMs = Math.round(performance.now()).toString();
        this.host.dataset.points = points.n.toString();
        this.host.dataset.drawn = "1";
        return { points: points.n, floatTarget: this.floatTarget };
    }

    updatePalette() {
        if (this.values) { this.updateRamp(); return; }
        const gl = this.gl, classes = Math.max(1, this.points.classes);
        const texels = new Uint8Array(classes * 4);
        // Labels past the class count (a damaged file) stay hidden, as the shader's texelFetch outside the palette does.
        this.paletteFloats = new Float32Array(Math.max(classes, this.points.labelBytes === 1 ? 256 : classes) * 4);
        for (let c = 0; c < classes; c++) {
            const [r, g, b] = hexToRgb(this.options.palette[c % this.options.palette.length]);
            texels.set([r, g, b, this.hidden.has(c) ? 0 : 255], c * 4);
            this.paletteFloats.set([r / 255, g / 255, b / 255, this.hidden.has(c) ? 0 : 1], c * 4);
        }
        gl.bindTexture(gl.TEXTURE_2D, this.paletteTexture);
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, classes, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, texels);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    }

    // Under a value overlay: 256 palette entries along the colour ramp (0 to 255).
    updateRamp() {
        const gl = this.gl, texels = new Uint8Array(256 * 4);
        this.paletteFloats = new Float32Array(256 * 4);
        for (let v = 0; v < 256; v++) {
            const [r, g, b] = valueColour(v / 255);
            texels.set([r, g, b, 255], v * 4);
            this.paletteFloats.set([r / 255, g / 255, b / 255, 1], v * 4);
        }
        gl.bindTexture(gl.TEXTURE_2D, this.paletteTexture);
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, 256, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, texels);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    }

    // Colours by one byte per point (null: by class again); the bytes come from url as a plain array of n bytes.
    async setValues(url) {
        if (!this.points) return;
        const gl = this.gl;
        if (url) {
            const response = await fetch(url, { credentials: "same-origin" });
            if (!response.ok) throw new Error(`values: HTTP ${response.status}`);
            const values = new Uint8Array(await response.arrayBuffer());
            if (values.length !== this.points.n) throw new Error(`values: ${values.length} for ${this.points.n} points`);
            this.values = values;
            if (!this.valueBuffer) this.valueBuffer = gl.createBuffer();
            gl.bindBuffer(gl.ARRAY_BUFFER, this.valueBuffer);
            gl.bufferData(gl.ARRAY_BUFFER, values, gl.STATIC_DRAW);
            gl.bindVertexArray(this.vao);
            gl.vertexAttribIPointer(2, 1, gl.UNSIGNED_BYTE, 0, 0);
        } else {
            this.values = null;
            gl.bindVertexArray(this.vao);
            gl.bindBuffer(gl.ARRAY_BUFFER, this.labelBuffer);
            gl.vertexAttribIPointer(2, 1, this.points.labelBytes === 1 ? gl.UNSIGNED_BYTE : gl.UNSIGNED_INT, 0, 0);
        }
        gl.bindVertexArray(null);
        this.colourBy = this.values ?? this.points.labels;
        this.host.dataset.colouring = this.values ? "values" : "classes";
        this.updatePalette();
        this.requestDraw();
    }

    // A selection made elsewhere (another map of a comparison): bit i%8 of byte i/8 marks point i; null clears it.
    setSelection(bits, keepLasso) {
        if (!this.points) return;
        if (!keepLasso) this.lasso = null;
        if (!bits) { this.selected = null; this.requestDraw(); return; }
        const n = this.points.n, flags = new Uint8Array(n);
        for (let i = 0; i < n; i++) flags[i] = (bits[i >> 3] >> (i & 7)) & 1;
        this.selected = flags;
        const gl = this.gl;
        gl.bindBuffer(gl.ARRAY_BUFFER, this.selectionBuffer);
        gl.bufferSubData(gl.ARRAY_BUFFER, 0, flags);
        this.requestDraw();
    }

    // Rings point index (the image hovered in another map); a negative index removes the ring.
    markPoint(index) {
        if (!this.points) return;
        this.hovered = index >= 0 && index < this.points.n ? { x: this.points.x[index], y: this.points.y[index] } : null;
        this.drawOverlay();
    }

    resize() {
        const ratio = Math.min(window.devicePixelRatio || 1, 2);
        const width = Math.max(1, Math.round(this.host.clientWidth * ratio));
        const height = Math.max(1, Math.round(this.host.clientHeight * ratio));
        if (this.canvas.width === width && this.canvas.height === height && this.target) return;
        this.ratio = ratio;
        for (const c of [this.canvas, this.overlay]) { c.width = width; c.height = height; }
        const gl = this.gl;
        if (this.target) { gl.deleteTexture(this.target.texture); gl.deleteFramebuffer(this.target.framebuffer); }
        const texture = gl.createTexture();
        gl.bindTexture(gl.TEXTURE_2D, texture);
        this.sums = this.cpuSums ? new Float32Array(width * height * 4) : null;
        if (this.cpuSums) gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA32F, width, height, 0, gl.RGBA, gl.FLOAT, null);
        // Half floats blend wherever EXT_color_buffer_float exists (32-bit floats would also need EXT_float_blend).
        else if (this.floatTarget) gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA16F, width, height, 0, gl.RGBA, gl.HALF_FLOAT, null);
        else gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, width, height, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
        gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
        const framebuffer = gl.createFramebuffer();
        gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
        gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
        gl.bindFramebuffer(gl.FRAMEBUFFER, null);
        this.target = { texture, framebuffer };
        if (this.points) { if (!this.view) this.reset(); this.requestDraw(); }
    }

    // The whole map in view with 4% margin, one scale for both axes (a map's distances mean the same both ways).
    reset() {
        const b = this.bounds, w = this.canvas.width, h = this.canvas.height;
        const spanX = Math.max(b.maxX - b.minX, 1e-9) * 1.08, spanY = Math.max(b.maxY - b.minY, 1e-9) * 1.08;
        this.view = { cx: (b.minX + b.maxX) / 2, cy: (b.minY + b.maxY) / 2, pixelsPerUnit: Math.min(w / spanX, h / spanY) };
        this.fitScale = this.view.pixelsPerUnit;
        this.requestDraw();
    }

    // The axis ranges in view, [x0, x1, y0, y1] in data units.
    range() {
        const v = this.view, halfW = this.canvas.width / 2 / v.pixelsPerUnit, halfH = this.canvas.height / 2 / v.pixelsPerUnit;
        return [v.cx - halfW, v.cx + halfW, v.cy - halfH, v.cy + halfH];
    }

    // Shows the ranges [x0, x1, y0, y1] (null: the whole map): centred, and as large as the window holds both.
    setRange(range) {
        if (!range) { this.reset(); return; }
        const [x0, x1, y0, y1] = range;
        if (!(x1 > x0) || !(y1 > y0)) return;
        const ppu = Math.min(this.canvas.width / (x1 - x0), this.canvas.height / (y1 - y0));
        this.view = { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, pixelsPerUnit: Math.min(this.fitScale * 1e5, Math.max(this.fitScale * 0.2, ppu)) };
        this.requestDraw();
    }

    // Tells the component where the view went, once the wheel or the drag has rested for a moment (null: the whole map).
    reportRange(whole) {
        clearTimeout(this.rangeTimer);
        this.rangeTimer = setTimeout(() => {
            this.component.invokeMethodAsync("OnZoomed", whole ? null : this.range()).catch(() => { });
        }, 250);
    }

    toData(px, py) { // CSS pixels within the host → data units
        const v = this.view, r = this.ratio;
        return [v.cx + (px * r - this.canvas.width / 2) / v.pixelsPerUnit, v.cy - (py * r - this.canvas.height / 2) / v.pixelsPerUnit];
    }

    toScreen(x, y) { // data units → CSS pixels within the host
        const v = this.view, r = this.ratio;
        return [((x - v.cx) * v.pixelsPerUnit + this.canvas.width / 2) / r, (this.canvas.height / 2 - (y - v.cy) * v.pixelsPerUnit) / r];
    }

    pointSize() {
        // Grows with zoom: about 2 device pixels for the whole map, up to 10 when zoomed far in.
        return Math.min(10, Math.max(1.5, 2 * Math.sqrt(this.view.pixelsPerUnit / this.fitScale))) * this.ratio;
    }

    requestDraw() {
        if (this.frame) return;
        this.frame = requestAnimationFrame(() => { this.frame = 0; this.drawNow(); });
    }

    drawNow() {
        if (!this.points || !this.view) return;
        const gl = this.gl, w = this.canvas.width, h = this.canvas.height, v = this.view, size = this.pointSize();
        if (this.cpuSums) this.accumulateOnCpu(w, h, v, size);
        else this.accumulateOnGpu(w, h, v, size);
        this.shade(w, h, v, size);
        this.drawOverlay();
    }

    // Adds every visible point's colour and a count of 1 into the pixels its disc covers, as the sprites would.
    accumulateOnCpu(w, h, v, size) {
        const gl = this.gl, sums = this.sums, points = this.points, n = points.n, xs = points.x, ys = points.y, labels = this.colourBy;
        sums.fill(0);
        const colours = this.paletteFloats, selected = this.selected;
        const ppu = v.pixelsPerUnit, ox = w / 2 - v.cx * ppu, oy = h / 2 - v.cy * ppu;
        const side = Math.max(1, Math.round(size)), radius = side / 2, r2 = radius * radius;
        const offsets = [];
        for (let dy = 0; dy < side; dy++)
            for (let dx = 0; dx < side; dx++)
                if ((dx + 0.5 - radius) ** 2 + (dy + 0.5 - radius) ** 2 <= r2 || side <= 2) offsets.push(dx, dy);
        for (let i = 0; i < n; i++) {
            const c = labels[i] * 4;
            if (!(colours[c + 3] > 0)) continue;
            // Rows counted from the bottom, as gl_FragCoord counts them in the shading pass.
            const px = Math.floor(xs[i] * ppu + ox - radius + 0.5), py = Math.floor(ys[i] * ppu + oy - radius + 0.5);
            if (px < -side || py < -side || px >= w || py >= h) continue;
            // Outside a lasso: grey and a quarter of the weight, as in the sprite shader.
            const outside = selected !== null && selected[i] === 0, weight = outside ? 0.25 : 1;
            const r = (outside ? 0.78 : colours[c]) * weight, g = (outside ? 0.78 : colours[c + 1]) * weight, b = (outside ? 0.78 : colours[c + 2]) * weight;
            for (let k = 0; k < offsets.length; k += 2) {
                const x = px + offsets[k], y = py + offsets[k + 1];
                if (x < 0 || y < 0 || x >= w || y >= h) continue;
                const at = (y * w + x) * 4;
                sums[at] += r; sums[at + 1] += g; sums[at + 2] += b; sums[at + 3] += weight;
            }
        }
        gl.bindTexture(gl.TEXTURE_2D, this.target.texture);
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA32F, w, h, 0, gl.RGBA, gl.FLOAT, sums);
    }

    accumulateOnGpu(w, h, v, size) {
        const gl = this.gl;
        gl.bindFramebuffer(gl.FRAMEBUFFER, this.target.framebuffer);
        gl.viewport(0, 0, w, h);
        gl.clearColor(0, 0, 0, 0);
        gl.clear(gl.COLOR_BUFFER_BIT);
        gl.enable(gl.BLEND);
        gl.blendFunc(gl.ONE, gl.ONE);
        gl.useProgram(this.pointsProgram);
        gl.uniform2f(gl.getUniformLocation(this.pointsProgram, "center"), v.cx, v.cy);
        gl.uniform2f(gl.getUniformLocation(this.pointsProgram, "scale"), 2 * v.pixelsPerUnit / w, 2 * v.pixelsPerUnit / h);
        gl.uniform1f(gl.getUniformLocation(this.pointsProgram, "pointSize"), size);
        gl.uniform1i(gl.getUniformLocation(this.pointsProgram, "hasSelection"), this.selected ? 1 : 0);
        gl.activeTexture(gl.TEXTURE0);
        gl.bindTexture(gl.TEXTURE_2D, this.paletteTexture);
        gl.uniform1i(gl.getUniformLocation(this.pointsProgram, "palette"), 0);
        gl.bindVertexArray(this.vao);
        gl.drawArrays(gl.POINTS, 0, this.points.n);
        gl.bindVertexArray(null);
        gl.disable(gl.BLEND);
    }

    shade(w, h, v, size) {
        const gl = this.gl;
        gl.bindFramebuffer(gl.FRAMEBUFFER, null);
        gl.viewport(0, 0, w, h);
        gl.useProgram(this.shadeProgram);
        gl.bindTexture(gl.TEXTURE_2D, this.target.texture);
        gl.uniform1i(gl.getUniformLocation(this.shadeProgram, "sums"), 0);
        // The densest pixel of this view: the densest region's points per unit², times a pixel's area, times the
        // pixels one sprite covers.
        const perPixel = this.peak / (v.pixelsPerUnit * v.pixelsPerUnit) * (size * size * 0.785);
        const maxCount = this.floatTarget || this.cpuSums ? Math.max(1.5, perPixel) : 1.5;
        gl.uniform1f(gl.getUniformLocation(this.shadeProgram, "maxCount"), maxCount);
        gl.uniform1i(gl.getUniformLocation(this.shadeProgram, "densityRamp"), this.densityRamp);
        gl.drawArrays(gl.TRIANGLES, 0, 3);
    }

    drawOverlay() {
        const ctx = this.overlay.getContext("2d"), r = this.ratio;
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
        ctx.setTransform(r, 0, 0, r, 0, 0);
        const path = this.drawing ?? (this.lasso ? this.lasso.map(([x, y]) => this.toScreen(x, y)) : null);
        if (path && path.length > 1) {
            ctx.beginPath();
            ctx.moveTo(path[0][0], path[0][1]);
            for (const [x, y] of path.slice(1)) ctx.lineTo(x, y);
            if (!this.drawing) ctx.closePath();
            ctx.setLineDash([5, 4]);
            ctx.lineWidth = 1.5;
            ctx.strokeStyle = "#222";
            ctx.stroke();
            ctx.fillStyle = "rgba(30, 30, 30, 0.06)";
            if (!this.drawing) ctx.fill();
            ctx.setLineDash([]);
        }
        if (this.hovered) {
            const [sx, sy] = this.toScreen(this.hovered.x, this.hovered.y);
            ctx.beginPath();
            ctx.arc(sx, sy, 7, 0, 2 * Math.PI);
            ctx.lineWidth = 2;
            ctx.strokeStyle = "#111";
            ctx.stroke();
        }
    }

    listen() {
        const surface = this.overlay;
        const position = e => { const b = surface.getBoundingClientRect(); return [e.clientX - b.left, e.clientY - b.top]; };
        surface.addEventListener("wheel", e => {
            e.preventDefault();
            const [px, py] = position(e);
            const [dx, dy] = this.toData(px, py);
            const factor = Math.exp(-e.deltaY * 0.0015);
            this.view.pixelsPerUnit = Math.min(this.fitScale * 1e5, Math.max(this.fitScale * 0.2, this.view.pixelsPerUnit * factor));
            // Keep the data point under the cursor where it is.
            const [nx, ny] = this.toData(px, py);
            this.view.cx += dx - nx;
            this.view.cy += dy - ny;
            this.requestDraw();
            this.reportRange(false);
        }, { passive: false });
        surface.addEventListener("pointerdown", e => {
            if (e.button !== 0 || !this.points) return;
            surface.setPointerCapture(e.pointerId);
            const start = position(e);
            if (this.mode === "lasso" && !e.shiftKey) this.drawing = [start];
            else this.panning = { start, cx: this.view.cx, cy: this.view.cy };
        });
        surface.addEventListener("pointermove", e => {
            const [px, py] = position(e);
            if (this.drawing) {
                const last = this.drawing[this.drawing.length - 1];
                // Vertices at least 3 px apart: a lasso of a few hundred vertices, however slowly drawn.
                if (Math.hypot(px - last[0], py - last[1]) >= 3) { this.drawing.push([px, py]); this.drawOverlay(); }
                return;
            }
            if (this.panning) {
                const r = this.ratio / this.view.pixelsPerUnit;
                this.view.cx = this.panning.cx - (px - this.panning.start[0]) * r;
                this.view.cy = this.panning.cy + (py - this.panning.start[1]) * r;
                this.requestDraw();
                return;
            }
            this.hover(px, py);
        });
        const finish = e => {
            if (this.drawing) {
                const path = this.drawing;
                this.drawing = null;
                if (path.length >= 3) {
                    this.lasso = path.map(([x, y]) => this.toData(x, y));
                    // The component answers with the outline it keeps (rounded and reduced) through setLasso.
                    this.component.invokeMethodAsync("OnLasso", this.lasso.map(p => p[0]), this.lasso.map(p => p[1]));
                    this.markSelection(this.lasso);
                }
                this.drawOverlay();
            }
            if (this.panning) this.reportRange(false);
            this.panning = null;
        };
        surface.addEventListener("pointerup", finish);
        surface.addEventListener("pointercancel", finish);
        surface.addEventListener("dblclick", () => { this.reset(); this.reportRange(true); });
        surface.addEventListener("pointerleave", () => { this.hoverPending = null; });
    }

    // One hover question at a time; the latest position waits while one is out, older ones are dropped.
    hover(px, py) {
        if (!this.points) return;
        const [x, y] = this.toData(px, py);
        this.hoverPending = { x, y, radius: 10 * this.ratio / this.view.pixelsPerUnit };
        if (this.hoverBusy) return;
        this.askHover();
    }

    async askHover() {
        const question = this.hoverPending;
        if (!question) return;
        this.hoverPending = null;
        this.hoverBusy = true;
        try {
            const found = await this.component.invokeMethodAsync("OnHover", question.x, question.y, question.radius);
            if (found) { this.hovered = { x: found.x, y: found.y }; this.drawOverlay(); }
        } catch { /* a closed circuit: hovering does nothing */ }
        this.hoverBusy = false;
        if (this.hoverPending) this.askHover();
    }

    // Which points the lasso holds, for drawing the others grey: the server's rule (even-odd, ray to +x), here only
    // for the picture; the selection itself comes from the server's index.
    markSelection(polygon) {
        const points = this.points, n = points.n, flags = new Uint8Array(n);
        let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
        for (const [x, y] of polygon) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
        const count = polygon.length;
        for (let i = 0; i < n; i++) {
            const x = points.x[i], y = points.y[i];
            if (x < minX || x > maxX || y < minY || y > maxY || this.hidden.has(points.labels[i])) continue;
            let inside = false;
            for (let a = 0, b = count - 1; a < count; b = a++) {
                const [ax, ay] = polygon[a], [bx, by] = polygon[b];
                if ((ay > y) !== (by > y) && x < (bx - ax) * (y - ay) / (by - ay) + ax) inside = !inside;
            }
            if (inside) flags[i] = 1;
        }
        this.selected = flags;
        const gl = this.gl;
        gl.bindBuffer(gl.ARRAY_BUFFER, this.selectionBuffer);
        gl.bufferSubData(gl.ARRAY_BUFFER, 0, flags);
        this.requestDraw();
    }

    setMode(mode) { this.mode = mode; this.overlay.style.cursor = mode === "lasso" ? "crosshair" : "grab"; }

    setDensityRamp(on) { this.densityRamp = on ? 1 : 0; this.requestDraw(); }

    setHidden(classes) { this.hidden = new Set(classes); this.updatePalette(); this.requestDraw(); }

    clearLasso() { this.lasso = null; this.selected = null; this.requestDraw(); }

    // Shows a lasso given in data units (the component's outline, or one from a link) with its grey context.
    setLasso(xs, ys) {
        if (!xs || xs.length < 3 || xs.length !== ys.length) { this.clearLasso(); return; }
        this.lasso = xs.map((x, i) => [x, ys[i]]);
        this.markSelection(this.lasso);
        this.drawOverlay();
    }

    png() { this.drawNow(); return this.canvas.toDataURL("image/png"); }

    dispose() {
        this.resizeObserver.disconnect();
        if (this.frame) cancelAnimationFrame(this.frame);
        const lose = this.gl.getExtension("WEBGL_lose_context");
        if (lose) lose.loseContext();
        this.host.replaceChildren();
    }
}

// Creates the view in host, fetches the points from url and draws them; component is the .NET object answering
// OnHover(x, y, radius) and OnLasso(xs, ys). Returns the view, which the component calls back with setMode etc.
export async function create(host, url, component, options) {
    const map = new LargeMap(host, component, options);
    const info = await map.load(url);
    return { map, info };
}

export function setMode(handle, mode) { handle.map.setMode(mode); }
export function setDensityRamp(handle, on) { handle.map.setDensityRamp(on); }
export function setHidden(handle, classes) { handle.map.setHidden(classes); }
export function reset(handle) { handle.map.reset(); handle.map.reportRange(true); }
export function clearLasso(handle) { handle.map.clearLasso(); }
export function setLasso(handle, xs, ys) { handle.map.setLasso(xs, ys); }
export function setRange(handle, range) { handle.map.setRange(range); }
export function range(handle) { return handle.map.range(); }
export function setSelection(handle, bits, keepLasso) { handle.map.setSelection(bits, keepLasso); }
export function markPoint(handle, index) { handle.map.markPoint(index); }
export async function setValues(handle, url) { await handle.map.setValues(url); }
export function dispose(handle) { if (handle && handle.map) handle.map.dispose(); }

// Saves the current picture as a PNG file.
export function downloadPng(handle, fileName) {
    const link = document.createElement("a");
    link.href = handle.map.png();
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
}
