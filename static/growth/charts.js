// Draws every report chart from its JSON data block (json_script). A file, never inline,
// because the Content Security Policy forbids inline script. The same figures are in the
// table under each chart.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  const palette = ["#1d3557", "#2a9d8f", "#e76f51", "#6a4c93", "#8a6d00", "#457b9d", "#b5179e", "#3a5a40", "#9d0208", "#495057"];
  document.querySelectorAll("[data-chart]").forEach(function (figure) {
    const source = document.getElementById(figure.dataset.chart);
    const canvas = figure.querySelector("canvas");
    if (!source || !canvas) { return; }
    const spec = JSON.parse(source.textContent);
    const kind = spec.kind;
    const datasets = spec.series.map(function (series, i) {
      const colour = palette[i % palette.length];
      return {
        label: series.label,
        data: series.values,
        backgroundColor: kind === "line" ? colour + "33" : colour,
        borderColor: colour,
        fill: kind === "line",
        tension: 0.2,
      };
    });
    const stacked = kind === "stacked";
    const horizontal = kind === "funnel";
    new Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: spec.series.length > 1 } },
        scales: {
          // Every figure charted is a count (people, check-ins): whole-number ticks only.
          x: { stacked: stacked, title: { display: !!spec.xTitle, text: spec.xTitle }, beginAtZero: true, ticks: { precision: 0 } },
          y: { stacked: stacked, title: { display: !!spec.yTitle, text: spec.yTitle }, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  });
})();
