// Small browser helpers the Blazor pages call through JS interop.
window.medvis = {
    // The presenter view asks for the whole screen (browsers allow it only from a click).
    fullScreen: function () {
        const element = document.documentElement;
        if (!document.fullscreenElement && element.requestFullscreen) return element.requestFullscreen();
    },
    // Sets (or removes, for null) one query parameter of the address without a navigation, so the page keeps its
    // state (an upload under way, a zoom) while the address stays a link to what it shows.
    replaceQuery: function (name, value) {
        window.medvis.replaceQueryValues({ [name]: value });
    },
    // The same for several parameters at once (a map's zoom, lasso and clicked point).
    replaceQueryValues: function (values) {
        const url = new URL(window.location.href);
        for (const [name, value] of Object.entries(values || {})) {
            if (value === null || value === undefined || value === "") url.searchParams.delete(name);
            else url.searchParams.set(name, value);
        }
        window.history.replaceState(window.history.state, "", url.toString());
    },
    // Reports the points hovered and clicked, a map's zoom and its lassos to its component (ClassScatter's OnPointHovered,
    // OnPointClicked, OnZoomed and OnLassoed): the axis ranges
    // after every zoom, pan or reset by the person (null for the whole map), and a lasso's or box's outline in map
    // units with the traces hidden from the legend, which it does not select. Plotly may not have drawn the chart
    // yet when this is called, so it waits for it (up to 60 s). The component is replaced on each call, once per element.
    trackMap: function (elementId, component) {
        let tries = 0;
        const attach = function () {
            const element = document.getElementById(elementId);
            if (!element) return;
            if (!element.on || !element._fullLayout) {
                if (++tries < 600) setTimeout(attach, 100);
                return;
            }
            element.medvisComponent = component;
            if (element.medvisTracked) return;
            element.medvisTracked = true;
            // The first point under the pointer or the click, as its trace and its index in that trace.
            const report = function (method) {
                return function (event) {
                    const point = event && event.points && event.points[0];
                    if (!point) return;
                    const index = point.pointIndex !== undefined ? point.pointIndex : point.pointNumber;
                    element.medvisComponent.invokeMethodAsync(method, point.curveNumber, index).catch(() => { });
                };
            };
            element.on("plotly_hover", report("OnPointHovered"));
            element.on("plotly_click", report("OnPointClicked"));
            element.on("plotly_relayout", function (change) {
                if (element.medvisApplying || !change) return;
                const axes = Object.keys(change).filter(k => k.startsWith("xaxis") || k.startsWith("yaxis"));
                if (axes.length === 0) return;
                const whole = change["xaxis.autorange"] === true || change["yaxis.autorange"] === true;
                const x = element._fullLayout.xaxis.range, y = element._fullLayout.yaxis.range;
                element.medvisComponent.invokeMethodAsync("OnZoomed", whole ? null : [x[0], x[1], y[0], y[1]]).catch(() => { });
            });
            element.on("plotly_selected", function (event) {
                // A redraw or a click reports a selection without an outline: only a drawn lasso or box counts.
                if (!event) return;
                let xs, ys;
                if (event.lassoPoints && event.lassoPoints.x) { xs = event.lassoPoints.x; ys = event.lassoPoints.y; }
                else if (event.range && event.range.x && event.range.y) {
                    const [x0, x1] = event.range.x, [y0, y1] = event.range.y;
                    xs = [x0, x1, x1, x0]; ys = [y0, y0, y1, y1];
                } else return;
                const hidden = (element.data || []).map((t, i) => t.visible === "legendonly" ? i : -1).filter(i => i >= 0);
                element.medvisComponent.invokeMethodAsync("OnLassoed", xs.map(Number), ys.map(Number), hidden).catch(() => { });
            });
        };
        attach();
    },
    // The window's width in pixels: a map lays itself out for a phone's narrow screen.
    screenWidth: function () {
        return window.innerWidth;
    },
    // Shows the axis ranges [x0, x1, y0, y1] (null: the whole map) on a drawn map without reporting them back.
    setMapRange: async function (elementId, range) {
        const element = document.getElementById(elementId);
        if (!element || !element._fullLayout || !window.Plotly) return;
        element.medvisApplying = true;
        try {
            await window.Plotly.relayout(element, range
                ? { "xaxis.range": [range[0], range[1]], "yaxis.range": [range[2], range[3]] }
                : { "xaxis.autorange": true, "yaxis.autorange": true });
        } finally {
            element.medvisApplying = false;
        }
    },
    // Copies text to the clipboard; the Clipboard API needs a secure context (https or localhost), so plain http
    // falls back to a hidden text area and the older copy command. True when one of them worked.
    copyText: async function (text) {
        try {
            if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(text); return true; }
        } catch (e) { /* fall through to the older way */ }
        const area = document.createElement("textarea");
        area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        let copied = false;
        try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
        area.remove();
        return copied;
    },

    // Saves text as a file (CSV exports of selections).
    downloadText: function (fileName, text, mimeType) {
        const blob = new Blob([text], { type: mimeType || "text/plain" });
        const link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = fileName;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    },
    // Exports a Plotly chart by element id as png or svg (plotly's own downloadImage).
    downloadPlot: function (elementId, format, fileName) {
        const element = document.getElementById(elementId);
        if (!element || !window.Plotly) return false;
        window.Plotly.downloadImage(element, { format: format, filename: fileName, width: 1200, height: 1000 });
        return true;
    },
    // Plotly reports no clicks while a map is in lasso or box-select mode: a press and release that did not move is
    // reported as a click on the point under the pointer (the one hovered when the button went down). Once per element.
    clicksInSelectModes: function (elementId) {
        const element = document.getElementById(elementId);
        if (!element || element.medvisClicks) return;
        element.medvisClicks = true;
        let down = null;
        element.addEventListener("mousedown", function (e) {
            down = { x: e.clientX, y: e.clientY, points: element._hoverdata, moved: false };
        }, true);
        // A lasso ends where it began: any movement on the way makes the press a drag, not a click.
        document.addEventListener("mousemove", function (e) {
            if (down && (Math.abs(e.clientX - down.x) > 3 || Math.abs(e.clientY - down.y) > 3)) down.moved = true;
        }, true);
        // Plotly lays a cover over the page while the button is down, so the release lands outside the element.
        document.addEventListener("mouseup", function (e) {
            const start = down;
            down = null;
            const mode = element._fullLayout && element._fullLayout.dragmode;
            if (!start || (mode !== "lasso" && mode !== "select") || !start.points || start.points.length === 0) return;
            if (start.moved || Math.abs(e.clientX - start.x) > 3 || Math.abs(e.clientY - start.y) > 3) return;
            element.emit("plotly_click", { points: start.points, event: e });
        }, true);
    },
    // Points at one map position in each of several charts (linked hover): an arrow annotation, so no trace data is resent.
    markPoints: function (elementIds, xs, ys) {
        if (!window.Plotly) return;
        elementIds.forEach(function (id, i) {
            const element = document.getElementById(id);
            if (!element || !element.data) return;
            const mark = xs[i] === null ? [] : [{ x: xs[i], y: ys[i], text: "", showarrow: true, arrowhead: 2, arrowsize: 1.2,
                arrowwidth: 2, arrowcolor: "#111", ax: 28, ay: -28 }];
            window.Plotly.relayout(element, { annotations: mark });
        });
    }
};

// Plotly.Blazor queues each chart's first drawing until Plotly's script has loaded, then runs the queue in one loop,
// looking the chart up by id only when it queued it. A chart removed meanwhile (runs picked one by one in Compare while
// the script loads) makes its call throw, the loop stops, and every chart queued after it stays blank. Calls by the id
// of an element that is gone are skipped instead: there is nothing left to draw or to purge.
(function () {
    let plotly;
    const byIdOnly = ["newPlot", "react", "purge", "relayout", "restyle", "update", "extendTraces", "prependTraces"];
    const skipGone = function (call) {
        return function (target, ...rest) {
            if (typeof target === "string" && !document.getElementById(target)) return Promise.resolve();
            return call.call(this, target, ...rest);
        };
    };
    Object.defineProperty(window, "Plotly", {
        configurable: true,
        get: function () { return plotly; },
        set: function (value) {
            plotly = value;
            if (!value) return;
            byIdOnly.filter(name => typeof value[name] === "function").forEach(name => { value[name] = skipGone(value[name]); });
        }
    });
})();
