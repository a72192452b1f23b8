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
        const url = new URL(window.location.href);
        if (value === null || value === undefined || value === "") url.searchParams.delete(name);
        else url.searchParams.set(name, value);
        window.history.replaceState(window.history.state, "", url.toString());
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
