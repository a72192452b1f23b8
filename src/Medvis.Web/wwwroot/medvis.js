// Small browser helpers the Blazor pages call through JS interop.
window.medvis = {
    // The presenter view asks for the whole screen (browsers allow it only from a click).
    fullScreen: function () {
        const element = document.documentElement;
        if (!document.fullscreenElement && element.requestFullscreen) return element.requestFullscreen();
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
